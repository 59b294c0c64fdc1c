import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const SRC = path.resolve(__dirname, '..', '..', '..', 'server', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** `file: specifier` for every import or require of a module whose specifier matches. */
function imports(files: string[], forbidden: RegExp): string[] {
  return files.flatMap((file) =>
    [...fs.readFileSync(file, 'utf8').matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)]
      .map((m) => m[1])
      .filter((specifier) => forbidden.test(specifier))
      .map((specifier) => `${path.relative(SRC, file)}: ${specifier}`),
  );
}

test('the engine imports no LSP or VS Code module', () => {
  const files = sources(path.join(SRC, 'engine'));
  assert.ok(files.length > 40);
  assert.deepEqual(imports(files, /^(vscode|vscode-languageserver|vscode-languageclient|vscode-jsonrpc)(\/|$)/), []);
});

test('the language server and the CLI import the engine through its facade only', () => {
  const files = [...sources(path.join(SRC, 'lsp')), ...sources(path.join(SRC, 'cli'))];
  assert.ok(files.length > 10);
  assert.deepEqual(imports(files, /^\.\.\/engine\//), []);
});

test('the checks see a planted deep import', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  const file = path.join(dir, 'planted.ts');
  fs.writeFileSync(file, "import { stageModel } from '../engine/stages';\nimport { Connection } from 'vscode-languageserver';\n");
  assert.equal(imports([file], /^\.\.\/engine\//).length, 1);
  assert.equal(imports([file], /^vscode-languageserver(\/|$)/).length, 1);
});
