// Removes compiled files of out/ whose TypeScript source is gone. `tsc -b` never deletes outputs, and
// a stale out/…/dialects/appmesh.js would shadow the folder dialects/appmesh/ for `require`. Each
// project of tsconfig.json's references maps its rootDir to its outDir; only those outputs are pruned.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let removed = 0;

function prune(outDir, rootDir) {
  for (const entry of fs.readdirSync(outDir, { withFileTypes: true })) {
    const full = path.join(outDir, entry.name);
    if (entry.isDirectory()) {
      prune(full, path.join(rootDir, entry.name));
      if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
      continue;
    }
    const match = /^(.*)\.(js|js\.map|d\.ts)$/.exec(entry.name);
    if (match && !fs.existsSync(path.join(rootDir, `${match[1]}.ts`))) {
      fs.rmSync(full);
      removed++;
    }
  }
}

const readConfig = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));
for (const reference of readConfig(path.join(repo, 'tsconfig.json')).references ?? []) {
  const projectDir = path.resolve(repo, reference.path);
  const { compilerOptions = {} } = readConfig(path.join(projectDir, 'tsconfig.json'));
  if (!compilerOptions.outDir) continue;
  const outDir = path.resolve(projectDir, compilerOptions.outDir);
  if (fs.existsSync(outDir)) prune(outDir, path.resolve(projectDir, compilerOptions.rootDir ?? '.'));
}
if (removed > 0) console.log(`prune-out: removed ${removed} compiled files whose source is gone`);
