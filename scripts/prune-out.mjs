// Removes compiled files of out/ whose TypeScript source is gone. `tsc -b` never deletes outputs, and
// a stale out/…/dialects/appmesh.js would shadow the folder dialects/appmesh/ for `require`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(repo, 'out');
let removed = 0;

function prune(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(full);
      if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
      continue;
    }
    const match = /^(.*)\.(js|js\.map|d\.ts)$/.exec(entry.name);
    if (!match) continue;
    const source = path.join(repo, path.relative(out, dir), `${match[1]}.ts`);
    if (!fs.existsSync(source)) {
      fs.rmSync(full);
      removed++;
    }
  }
}

if (fs.existsSync(out)) prune(out);
if (removed > 0) console.log(`prune-out: removed ${removed} compiled files whose source is gone`);
