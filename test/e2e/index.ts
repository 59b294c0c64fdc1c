import * as path from 'node:path';
import Mocha from 'mocha';

/**
 * Entry point VS Code calls in the extension host (extensionTestsPath): runs the suite with mocha
 * and rejects when a test fails, which the host turns into a non-zero exit code.
 */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 60000, color: false });
  mocha.addFile(path.join(__dirname, 'extension.e2e.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} end-to-end tests failed`)) : resolve()));
  });
}
