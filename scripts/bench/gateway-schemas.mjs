#!/usr/bin/env node
// Our Gateway API schemas, precompiled by the build, against the validators of the npm package
// @kubernetes-models/gateway-api: bytes of what the .vsix would carry, and the time to load a
// validator and check one HTTPRoute in a fresh process (what the first diagnostics of a session wait
// for). Prints one table; docs/architecture.md ("Gateway API schemas: ours or @kubernetes-models")
// quotes it.
//
//   npm run build
//   (cd /tmp/km && npm init -y && npm install @kubernetes-models/gateway-api@2.0.0)   # outside the repository
//   node scripts/bench/gateway-schemas.mjs --models /tmp/km [--runs 21]
//
// The package is not a dependency of ours: --models names a folder where it is installed. esbuild
// bundles its HTTPRoute validator (ESM) into one CommonJS file, as scripts/bundle.mjs bundles ours.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { parse } from 'yaml';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : process.argv[at + 1];
};
const models = option('--models');
const runs = Number(option('--runs', '21'));
if (!models || !fs.existsSync(path.join(models, 'node_modules', '@kubernetes-models', 'gateway-api', 'package.json'))) {
  throw new Error('--models DIR: a folder where `npm install @kubernetes-models/gateway-api@2.0.0` was run');
}
const ours = path.join(REPO, 'dist', 'schemas', 'gatewayapi', 'v1', 'httproute.schema.js');
const oursSource = path.join(REPO, 'out', 'schemas', 'gatewayapi', 'v1', 'httproute.schema.js');
if (!fs.existsSync(ours) || !fs.existsSync(oursSource)) throw new Error('run `npm run build` first');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-schemas-'));
const theirPackage = JSON.parse(fs.readFileSync(path.join(models, 'node_modules', '@kubernetes-models', 'gateway-api', 'package.json'), 'utf8'));

/** Their validators, one CommonJS bundle per entry, with the options scripts/bundle.mjs uses. */
async function bundleTheirs(name, exports, minify) {
  const outfile = path.join(work, `${name}${minify ? '.min' : ''}.cjs`);
  await build({
    stdin: { contents: exports, resolveDir: models, loader: 'js' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify,
    logLevel: 'error',
    outfile,
  });
  return outfile;
}

/** Ours minified, as `npm run package` bundles them (scripts/bundle.mjs --minify). */
async function bundleOurs(source, minify) {
  const outfile = path.join(work, `ours-${path.basename(path.dirname(source))}-${path.basename(source, '.js')}${minify ? '.min' : ''}.cjs`);
  await build({ entryPoints: [source], bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify, logLevel: 'error', outfile });
  return outfile;
}

const HTTP_ROUTE = "export { validate } from '@kubernetes-models/gateway-api/_schemas/IoK8sSigsGatewayApiApisV1HTTPRoute';";
// Every kind and version that both ship (they lack v1 TCPRoute and UDPRoute), in one bundle: shared code counted once.
const theirSchemas = fs.readdirSync(path.join(models, 'node_modules', '@kubernetes-models', 'gateway-api', '_schemas'));
const ourFiles = fs
  .readdirSync(path.join(REPO, 'out', 'schemas', 'gatewayapi'), { recursive: true })
  .map(String)
  .filter((f) => /^v1(beta1)?[/\\][a-z]+\.schema\.js$/.test(f));
const shared = [];
const kindsTheyLack = [];
for (const file of ourFiles) {
  const [version, name] = file.split(/[/\\]/);
  const match = theirSchemas.find((s) => s.toLowerCase() === `iok8ssigsgatewayapiapis${version}${name.replace('.schema.js', '')}.js`);
  if (match) shared.push({ file, module: match.replace(/\.js$/, '') });
  else kindsTheyLack.push(`${version}/${name.replace('.schema.js', '')}`);
}
const ALL_THEIRS = shared.map(({ module }, i) => `export { validate as v${i} } from '@kubernetes-models/gateway-api/_schemas/${module}';`).join('\n');

const bytes = (file) => fs.statSync(file).size;
const gzipped = (file) => gzipSync(fs.readFileSync(file), { level: 9 }).length;
const sum = (files, measure) => files.reduce((total, file) => total + measure(file), 0);

const theirs = await bundleTheirs('httproute', HTTP_ROUTE, false);
const theirsMin = await bundleTheirs('httproute', HTTP_ROUTE, true);
const theirsAll = await bundleTheirs('all', ALL_THEIRS, false);
const theirsAllMin = await bundleTheirs('all', ALL_THEIRS, true);
const oursMin = await bundleOurs(oursSource, true);
const oursShared = shared.map(({ file }) => path.join(REPO, 'dist', 'schemas', 'gatewayapi', file));
const oursSharedMin = await Promise.all(shared.map(({ file }) => bundleOurs(path.join(REPO, 'out', 'schemas', 'gatewayapi', file), true)));

// One real HTTPRoute (a 90/10 split of the Gateway API's examples) and a broken copy.
const route = parse(fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'gateway-api-examples', 'traffic-splitting-traffic-split-2.yaml'), 'utf8'));
const broken = structuredClone(route);
broken.spec.rules[0].backendRefs[0].weight = -1;
// A misspelt key, which the API server would prune without a word.
const misspelt = structuredClone(route);
misspelt.spec.rules[0].backendRef = misspelt.spec.rules[0].backendRefs;
delete misspelt.spec.rules[0].backendRefs;
const routeFile = path.join(work, 'route.json');
fs.writeFileSync(routeFile, JSON.stringify({ route, broken, misspelt }));

/** A fresh process loads one validator module and checks the route; its time, and what both checks said. */
function timeOnce(module, pick) {
  const program = `
    const { performance } = require('node:perf_hooks');
    const { route, broken, misspelt } = JSON.parse(require('node:fs').readFileSync(${JSON.stringify(routeFile)}, 'utf8'));
    const start = performance.now();
    const loaded = require(${JSON.stringify(module)});
    const validate = ${pick};
    const valid = validate(route);
    const ms = performance.now() - start;
    const rejects = !validate(broken) && validate.errors.map((e) => e.instancePath + ' ' + e.keyword).join(', ');
    const errorKeys = Object.keys(validate.errors?.[0] ?? {}).join(', ');
    const rejectsMisspelt = !validate(misspelt) && validate.errors.map((e) => e.instancePath + ' ' + e.keyword).join(', ');
    process.stdout.write(JSON.stringify({ ms, valid, rejects, errorKeys, rejectsMisspelt }));`;
  const child = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const timings = { ours: [], oursMin: [], theirs: [], theirsMin: [] };
const verdicts = {};
for (let i = 0; i < runs; i++) {
  // Interleaved, so that a slow moment of the machine does not fall on one side only.
  for (const [name, module, pick] of [
    ['ours', ours, 'loaded.default ?? loaded'],
    ['oursMin', oursMin, 'loaded.default ?? loaded'],
    ['theirs', theirs, 'loaded.validate'],
    ['theirsMin', theirsMin, 'loaded.validate'],
  ]) {
    const { ms, ...verdict } = timeOnce(module, pick);
    timings[name].push(ms);
    verdicts[name] = verdict;
  }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const ms = (values) => `${median(values).toFixed(2)} ms`;
const rows = [
  ['', 'ours (dist/schemas, npm run build)', `@kubernetes-models/gateway-api@${theirPackage.version} (esbuild, CommonJS)`],
  ['HTTPRoute v1 validator, bytes', `${kb(bytes(ours))} (gzip ${kb(gzipped(ours))})`, `${kb(bytes(theirs))} (gzip ${kb(gzipped(theirs))})`],
  ['… minified', `${kb(bytes(oursMin))} (gzip ${kb(gzipped(oursMin))})`, `${kb(bytes(theirsMin))} (gzip ${kb(gzipped(theirsMin))})`],
  [
    `the ${shared.length} kinds/versions both have, bytes`,
    `${kb(sum(oursShared, bytes))} in ${shared.length} files (gzip ${kb(sum(oursShared, gzipped))})`,
    `${kb(bytes(theirsAll))} in one bundle (gzip ${kb(gzipped(theirsAll))})`,
  ],
  [
    '… minified',
    `${kb(sum(oursSharedMin, bytes))} (gzip ${kb(sum(oursSharedMin, gzipped))})`,
    `${kb(bytes(theirsAllMin))} (gzip ${kb(gzipped(theirsAllMin))})`,
  ],
  [`load + validate one HTTPRoute, median of ${runs} fresh processes`, ms(timings.ours), ms(timings.theirs)],
  ['… minified', ms(timings.oursMin), ms(timings.theirsMin)],
  ['the example route', verdicts.ours.valid ? 'valid' : 'invalid', verdicts.theirs.valid ? 'valid' : 'invalid'],
  ['its copy with weight -1', verdicts.ours.rejects || 'accepted', verdicts.theirs.rejects || 'accepted'],
  ['what an error object holds', verdicts.ours.errorKeys, verdicts.theirs.errorKeys],
  ['its copy with `backendRef:` for `backendRefs:`', verdicts.ours.rejectsMisspelt || 'accepted', verdicts.theirs.rejectsMisspelt || 'accepted'],
  ['kinds/versions we have and they lack', '', kindsTheyLack.join(', ') || 'none'],
];
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
fs.rmSync(work, { recursive: true, force: true });
