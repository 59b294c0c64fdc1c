#!/usr/bin/env node
// One measurement in a fresh process, so that every number starts from the same cold JIT:
//
//   node scripts/bench/floor.mjs floor ROOT      walk + read + `yaml` parseAllDocuments of every YAML file
//   node scripts/bench/floor.mjs engine-floor ROOT   walk + read + the engine's own parse (fast parser,
//                                                `yaml` where it gives up) of every YAML file
//   node scripts/bench/floor.mjs validate ROOT   the compiled engine's Validator over the same tree
//
// Prints one JSON object on stdout. Module loading is outside the timed region in both modes.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const YAML_FILE = /\.ya?ml$/i;

function walk(dir, found) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '.git') walk(full, found);
    } else if (entry.isFile() && (YAML_FILE.test(entry.name) || entry.name === 'Kustomization')) {
      found.push(full);
    }
  }
  return found;
}

const [mode, root] = process.argv.slice(2);
if (!root || !['floor', 'engine-floor', 'validate'].includes(mode)) {
  console.error('Usage: node scripts/bench/floor.mjs floor|engine-floor|validate ROOT');
  process.exit(2);
}

if (mode === 'floor' || mode === 'engine-floor') {
  const parse =
    mode === 'floor'
      ? require(path.join(REPO, 'node_modules', 'yaml')).parseAllDocuments
      : (text) => require(path.join(REPO, 'out', 'server', 'src', 'engine', 'yaml')).parseYaml(text).documents;
  const t0 = process.hrtime.bigint();
  const files = walk(path.resolve(root), []);
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const t1 = process.hrtime.bigint();
  let documents = 0;
  for (const text of texts) documents += parse(text).length;
  const t2 = process.hrtime.bigint();
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  console.log(
    JSON.stringify({
      mode,
      files: files.length,
      documents,
      bytes,
      readMs: Number(t1 - t0) / 1e6,
      parseMs: Number(t2 - t1) / 1e6,
      totalMs: Number(t2 - t0) / 1e6,
    }),
  );
} else {
  const engine = require(path.join(REPO, 'out', 'server', 'src', 'engine'));
  const t0 = process.hrtime.bigint();
  const workspace = new engine.Workspace(new engine.DiskFileSource(), [path.resolve(root)]);
  const validator = new engine.Validator(workspace);
  const diagnostics = validator.diagnostics();
  const t1 = process.hrtime.bigint();
  let count = 0;
  for (const list of diagnostics.values()) count += list.length;
  console.log(
    JSON.stringify({
      mode,
      files: workspace.yamlFiles().length,
      diagnostics: count,
      totalMs: Number(t1 - t0) / 1e6,
      rssMB: process.memoryUsage().rss / 1048576,
    }),
  );
}
