#!/usr/bin/env node
// Profiles what one edit costs at scale, in process, with the compiled engine (out/): the same
// steps the language server takes on didChange (overlay the text, invalidate the path, findings,
// diagnostics), timed per step and CPU-profiled over the edits only (not the cold pass).
//
// Usage: node scripts/bench/profile-edit.mjs [--n 1000] [--edits 10] [--from STAGE --to STAGE] [--root DIR] [--out DIR]
//   --from, --to  a stage directory generated at stage FROM (blue, canary5, canary95, green) is
//                 switched between it and TO (any stage of generate.mjs's stageKustomization, such as
//                 greenStandby, the bench's stage move); by default a valid stage and broken (v2
//                 entries commented out). Needs a generated workspace (not --root) to know the stages.
//   --root DIR  an existing generated workspace (scripts/bench/generate.mjs); else one is generated
//   --out DIR   where edit.cpuprofile and cold.cpuprofile go (default: a temp dir, printed)
import * as fs from 'node:fs';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generate, stageKustomization } from './generate.mjs';
import { summarize } from './profile-summary.mjs';

const require = createRequire(import.meta.url);
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const engine = require(path.join(REPO, 'out', 'server', 'src', 'engine'));
const { OverlayFileSource } = require(path.join(REPO, 'out', 'server', 'src', 'lsp', 'overlay'));

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const n = Number(opt('n', '1000'));
const edits = Number(opt('edits', '10'));
const fromStage = opt('from');
const toStage = opt('to', 'broken');
const out = path.resolve(opt('out') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-kustomize-profile-')));
fs.mkdirSync(out, { recursive: true });
let root = opt('root');
let manifest;
if (root) {
  root = path.resolve(root);
  manifest = JSON.parse(fs.readFileSync(path.join(root, 'bench-manifest.json'), 'utf8'));
} else {
  root = path.join(out, `ws-${n}`);
  manifest = generate({ n, out: root });
}

const session = new Session();
session.connect();
const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));

async function profiled(name, run) {
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  const value = await run();
  const { profile } = await post('Profiler.stop');
  fs.writeFileSync(path.join(out, `${name}.cpuprofile`), JSON.stringify(profile));
  return { value, summary: summarize(profile, 30) };
}

const files = new OverlayFileSource(new engine.DiskFileSource());
const workspace = new engine.Workspace(files, [root]);
const validator = new engine.Validator(workspace);

const cold = await profiled('cold', () => {
  const t0 = performance.now();
  const findings = validator.findings();
  const t1 = performance.now();
  validator.diagnostics(() => ({}), findings);
  return { findingsMs: t1 - t0, totalMs: performance.now() - t0 };
});
console.log(
  `cold: findings ${cold.value.findingsMs.toFixed(0)} ms, with diagnostics ${cold.value.totalMs.toFixed(0)} ms, rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`,
);

// Find a stage directory in a valid stage, as the bench does, and switch it between valid and broken.
const dirs = manifest.stageDirs ?? [];
const dir = dirs.find(
  (d) =>
    !manifest.expected.some((e) => e.file.startsWith(d + path.sep)) &&
    (fromStage === undefined || manifest.apps?.find((a) => a.dir === d)?.stage === fromStage),
);
const file = path.join(dir, 'kustomization.yaml');
const valid = fs.readFileSync(file, 'utf8');
const services = [
  ...new Set(
    fs
      .readdirSync(dir)
      .filter((f) => /-v1\.yaml$/.test(f))
      .map((f) => f.replace(/-v1\.yaml$/, '')),
  ),
];
const broken = stageKustomization(path.basename(dir), services, toStage);

const timings = [];
const edit = await profiled('edit', () => {
  for (let i = 0; i < edits; i++) {
    const t0 = performance.now();
    files.setOpen(file, i % 2 === 0 ? broken : valid);
    workspace.invalidate(file);
    const t1 = performance.now();
    const roots = validator.roots();
    const t2 = performance.now();
    const findings = validator.findings();
    const t3 = performance.now();
    validator.diagnostics(() => ({}), findings);
    const t4 = performance.now();
    timings.push({ invalidate: t1 - t0, roots: t2 - t1, findings: t3 - t2, diagnostics: t4 - t3, total: t4 - t0, rootCount: roots.length });
  }
});
const med = (key) => {
  const values = timings.map((t) => t[key]).sort((a, b) => a - b);
  return values[Math.floor((values.length - 1) / 2)].toFixed(1);
};
console.log(
  `${edits} edits of ${path.relative(root, file)}: median invalidate ${med('invalidate')} ms, roots() ${med('roots')} ms (measured separately; findings() calls it again), findings ${med('findings')} ms, diagnostics ${med('diagnostics')} ms, total ${med('total')} ms`,
);
console.log(`rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB; profiles in ${out}`);
for (const [name, p] of [
  ['cold', cold.summary],
  ['edit', edit.summary],
]) {
  console.log(`\n== ${name}: self time (of ${p.totalMs} ms sampled)`);
  for (const r of p.self.slice(0, 20)) console.log(`${String(r.ms).padStart(7)} ms ${String(r.pct).padStart(5)} %  ${r.fn}`);
  console.log(`== ${name}: inclusive time`);
  for (const r of p.inclusive.slice(0, 30)) console.log(`${String(r.ms).padStart(7)} ms ${String(r.pct).padStart(5)} %  ${r.fn}`);
}
session.disconnect();
