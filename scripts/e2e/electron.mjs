// `npm run test:vscode`: the test/e2e suite in a desktop VS Code that @vscode/test-electron downloads.
// Where VS Code cannot be downloaded (this project's CI machines), `npm run test:e2e` runs the same
// suite in code-server instead.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mk-vscode-'));
const workspace = path.join(scratch, 'dj-broken');
fs.cpSync(path.join(repo, 'examples', 'dj-broken'), workspace, { recursive: true });

await runTests({
  extensionDevelopmentPath: repo,
  extensionTestsPath: path.join(repo, 'out', 'e2e', 'index.js'),
  launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(scratch, 'user-data')],
});
