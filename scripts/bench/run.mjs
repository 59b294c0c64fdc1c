#!/usr/bin/env node
// `npm run bench`: edit latency, scale, peers and parse floor of Mesh Kustomize, in one run.
// Prints a Markdown table, or with --json one JSON object (progress goes to stderr either way).
// See docs/benchmarks.md for what each row means and how the numbers were taken.
//
// Options:
//   --json                 one JSON object on stdout instead of the table
//   --sizes 100,1000,2500  generated workspace sizes (applications; ≈12 YAML files each), App Mesh trees
//   --dialect-sizes 1000   sizes of the Gateway API workspace, the Istio one and the mixed one (App Mesh,
//                          Gateway API and Istio applications side by side); empty to skip them
//   --edits 200            edits per file on the DJ example
//   --scale-edits 15       edits after the cold start of each generated workspace
//   --move-edits 30        stage moves (and as many edits that change no entry) after those
//   --peer-runs 5          cold starts per server for the yaml-language-server comparison
//   --kubectl-sample 100   at most this many stage directories per size go through `kubectl kustomize`;
//                          above it, a seeded sample is timed and the total extrapolated (labelled so)
//   --kubectl-top-max 100  `kubectl kustomize` of the top-level root only up to this size (it took
//                          11 s at N=100 and over 240 s at N=1000 on the reference machine)
//   --peers-at 1000        also compare with yaml-language-server inside the workspace of this size
//   --phases dj,peers,scale,package   which phases to run (package: the .vsix size and its activation
//                          time in code-server, through scripts/bench/activation.mjs)
//   --activation-runs 5    fresh code-server starts for the activation time
//   --seed 42              generator seed
//   --keep                 keep the temporary workspaces (their path is printed)
//   --cpu-prof DIR         run the language server and the CLI with --cpu-prof, profiles into DIR
//   --save FILE            also write the JSON report to FILE
//   --report FILE          print the table of a saved JSON report, and measure nothing
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generate, rng, stageKustomization } from './generate.mjs';
import { LspProcess, peakRssMB, uriOf } from './lsp.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SERVER = path.join(REPO, 'dist', 'server.js');
const CLI = path.join(REPO, 'dist', 'cli.js');
const YAML_LS = path.join(REPO, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const KUBECTL = fs.existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : 'kubectl';
const FLOOR = path.join(REPO, 'scripts', 'bench', 'floor.mjs');
const ENGINE = path.join(REPO, 'out', 'server', 'src', 'engine', 'index.js');

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const options = {
  json: flag('json'),
  sizes: option('sizes', '100,1000,2500').split(',').filter(Boolean).map(Number),
  dialectSizes: option('dialect-sizes', '1000').split(',').filter(Boolean).map(Number),
  edits: Number(option('edits', '200')),
  scaleEdits: Number(option('scale-edits', '15')),
  moveEdits: Number(option('move-edits', '30')),
  peerRuns: Number(option('peer-runs', '5')),
  kubectlSample: Number(option('kubectl-sample', '100')),
  kubectlTopMax: Number(option('kubectl-top-max', '100')),
  peersAt: Number(option('peers-at', '1000')),
  phases: new Set(option('phases', 'dj,peers,scale,package').split(',')),
  activationRuns: Number(option('activation-runs', '5')),
  seed: Number(option('seed', '42')),
  keep: flag('keep'),
  cpuProf: option('cpu-prof', undefined),
  save: option('save', undefined),
  report: option('report', undefined),
};

/** Upper bounds: a phase that runs past them is stopped and reported as timed out. */
const LIMITS = {
  waitMs: 120_000, // any single wait for the server
  editMs: 15_000, // one edit → diagnostics
  scaleEditsMs: 45_000, // edits after a cold start stop after this (at least 5 are made)
  coldMs: 240_000, // one cold start to all diagnostics
  cliMs: 300_000, // one CLI run
  kubectlMs: 60_000, // one `kubectl kustomize` of a stage directory
  kubectlTopMs: 240_000, // one `kubectl kustomize` of the top-level root
  floorMs: 300_000, // one floor/validate child process
  totalMs: 20 * 60_000, // the whole bench
};

const log = (message) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
const started = performance.now();

// Every child is tracked and killed on the way out, whatever happens.
const live = new Set();
function track(proc) {
  live.add(proc);
  return proc;
}
async function stopAll() {
  for (const proc of [...live]) {
    await proc.stop().catch(() => undefined);
    live.delete(proc);
  }
}
const watchdog = setTimeout(() => {
  log(`the whole bench ran past ${LIMITS.totalMs / 60000} min: stopping`);
  for (const proc of live) proc.child.kill('SIGKILL');
  process.exit(3);
}, LIMITS.totalMs);
watchdog.unref();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const proc of live) proc.child.kill('SIGKILL');
    process.exit(130);
  });
}

// ---------------------------------------------------------------- statistics

function percentile(values, q) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
const median = (values) => percentile(values, 0.5);
const round = (value, digits = 1) =>
  value === undefined || value === null || Number.isNaN(value) ? undefined : Math.round(value * 10 ** digits) / 10 ** digits;
const ms = (value) => (value === undefined ? '—' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 0)} ms`);

// ---------------------------------------------------------------- our server

const serverArgs = (label) => [
  ...(options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`, `--cpu-prof-name=server-${label}-${Date.now()}.cpuprofile`] : []),
  SERVER,
  '--stdio',
];

/** What VS Code announces: push diagnostics with versions, configuration, client-side file watching. */
const OUR_CAPABILITIES = {
  textDocument: {
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
    synchronization: { dynamicRegistration: false, didSave: true },
  },
  workspace: {
    configuration: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
    codeLens: { refreshSupport: true },
  },
  window: { showMessage: {} },
};

function initializeParams(root, capabilities) {
  return {
    processId: process.pid,
    rootUri: uriOf(root),
    workspaceFolders: [{ uri: uriOf(root), name: path.basename(root) }],
    capabilities,
  };
}

async function startOurs(root, label) {
  const server = track(
    new LspProcess(process.execPath, serverArgs(label), {
      onRequest: (method, params) => (method === 'workspace/configuration' ? params.items.map(() => null) : null),
    }),
  );
  const initializeSent = performance.now();
  await withTimeout(server.request('initialize', initializeParams(root, OUR_CAPABILITIES)), LIMITS.waitMs, 'initialize');
  const initialized = performance.now();
  server.notify('initialized', {});
  return { server, initializeSent, initialized };
}

function withTimeout(promise, timeoutMs, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${what}`)), timeoutMs);
    }),
  ]);
}

const isPublishFor = (uri, version) => (m) =>
  m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && (version === undefined || m.params.version === version);

/**
 * Sends `count` full-text didChange notifications alternating between two texts, one after the
 * other, and returns the time from each send to the publishDiagnostics carrying its version.
 */
async function timeEdits(server, filePath, texts, count, firstVersion, budgetMs = Infinity, minimum = 5) {
  const uri = uriOf(filePath);
  const latencies = [];
  let version = firstVersion;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    if (i >= minimum && performance.now() - start > budgetMs) break;
    version++;
    const text = texts[i % 2];
    const wait = server.waitForNotification(isPublishFor(uri, version), LIMITS.editMs, `diagnostics of ${path.basename(filePath)} v${version}`);
    const sent = server.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    const { at } = await wait;
    latencies.push(at - sent);
  }
  return { latencies, version };
}

/**
 * Sends `count` full-text didChange notifications alternating between two texts, and returns the
 * time from each send to the publish of `watched` (another file, whose diagnostics the change adds
 * or clears): `shows` holds of its diagnostics after texts[0], and not after texts[1].
 */
async function timeWatchedEdits(server, filePath, texts, count, firstVersion, budgetMs, watched, shows) {
  const uri = uriOf(filePath);
  const watchedUri = uriOf(watched);
  const latencies = [];
  let version = firstVersion;
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    if (i >= 5 && performance.now() - start > budgetMs) break;
    version++;
    const first = i % 2 === 0;
    const wait = server.waitForNotification(
      (m) => isPublishFor(watchedUri)(m) && shows(m.params.diagnostics) === first,
      LIMITS.editMs,
      `diagnostics of ${path.basename(watched)} after change v${version}`,
    );
    const sent = server.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: texts[i % 2] }] });
    const { at } = await wait;
    latencies.push(at - sent);
  }
  return { latencies, version };
}

/**
 * Opens `filePath` with `before`, then changes it `count` times between `after` and `before`; each
 * time, waits for the publish of `watched`, of whose diagnostics `shows` holds after `after` only.
 */
async function timeMoves(server, filePath, before, after, watched, shows, count, budgetMs) {
  const uri = uriOf(filePath);
  server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: before } });
  await server.quiet(500, 10_000);
  return timeWatchedEdits(server, filePath, [after, before], count, 1, budgetMs, watched, shows);
}

/** Opens a document with `text` (which must have diagnostics) and waits for them; or for those of `watched`, once `shows` holds of them. */
async function openAndWait(server, filePath, text, watched, shows) {
  const uri = uriOf(filePath);
  const wait = watched
    ? server.waitForNotification(
        (m) => isPublishFor(uriOf(watched))(m) && shows(m.params.diagnostics),
        LIMITS.waitMs,
        `diagnostics of ${path.basename(watched)} after opening ${path.basename(filePath)}`,
      )
    : server.waitForNotification(isPublishFor(uri, 1), LIMITS.waitMs, `diagnostics of opened ${path.basename(filePath)}`);
  server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  return wait;
}

const hasCode = (code) => (diagnostics) => diagnostics.some((d) => d.code === code);

const summary = (latencies) => ({
  n: latencies.length,
  p50: round(median(latencies), 2),
  p99: round(percentile(latencies, 0.99), 2),
  max: round(Math.max(...latencies), 2),
});

// ---------------------------------------------------------------- phase 1: DJ edit latency

function copyExample(tmp) {
  const dir = path.join(tmp, 'dj');
  fs.cpSync(path.join(REPO, 'examples', 'dj'), dir, { recursive: true });
  return dir;
}

/** The DJ kustomization as in examples/dj-broken: the canary router enabled while v2 is commented out. */
const brokenDjKustomization = (text) =>
  text.replace('- dj-app-mesh-metal-v2.yaml', '#- dj-app-mesh-metal-v2.yaml').replace('- dj-app-mesh-jazz-v2.yaml', '#- dj-app-mesh-jazz-v2.yaml');
/** The canary router with its metal weights at 95 + 15: over 100. */
const overweightRouter = (text) => text.replace(/(name: metal-v2\n\s+weight: )5\b/, '$115');

async function phaseDj(tmp) {
  const dir = copyExample(tmp);
  const kustomization = path.join(dir, 'kustomization.yaml');
  const router = path.join(dir, 'dj-mesh-router-v1-95-v2-5.yaml');
  const kText = fs.readFileSync(kustomization, 'utf8');
  const rText = fs.readFileSync(router, 'utf8');
  const kBroken = brokenDjKustomization(kText);
  const rBroken = overweightRouter(rText);
  if (kBroken === kText || rBroken === rText) throw new Error('the DJ example changed: the bench edits no longer apply');
  log('DJ example: starting the server');
  const { server } = await startOurs(dir, 'dj');
  try {
    await openAndWait(server, kustomization, kBroken);
    // The router opened broken too: its diagnostics show up with version 1.
    await openAndWait(server, router, rBroken);
    log(`DJ example: ${options.edits} edits to kustomization.yaml`);
    const k = await timeEdits(server, kustomization, [kText, kBroken], options.edits, 1);
    // The router's edits run against the valid kustomization (one more, untimed, edit when needed).
    if (options.edits % 2 === 0) await timeEdits(server, kustomization, [kText], 1, k.version);
    log(`DJ example: ${options.edits} edits to ${path.basename(router)}`);
    const r = await timeEdits(server, router, [rText, rBroken], options.edits, 1);
    const all = [...k.latencies, ...r.latencies];
    return { kustomization: summary(k.latencies), router: summary(r.latencies), all: summary(all), serverPeakRssMB: round(peakRssMB(server.pid)) };
  } finally {
    await server.stop();
    live.delete(server);
  }
}

// ---------------------------------------------------------------- phase 3a: yaml-language-server

const schemaUri = (relative) => uriOf(path.join(REPO, 'schemas', relative));

function yamlSettings() {
  return {
    validate: true,
    hover: false,
    completion: false,
    format: { enable: false },
    schemaStore: { enable: false },
    kubernetesCRDStore: { enable: false },
    schemas: {
      [schemaUri('kustomization.schema.json')]: ['kustomization.yaml'],
      [schemaUri('appmesh/v1beta2/virtualrouter.schema.json')]: ['*router*.yaml'],
    },
  };
}

function startYamlLs() {
  const settings = yamlSettings();
  const server = track(
    new LspProcess(process.execPath, [YAML_LS, '--stdio'], {
      onRequest: (method, params) => {
        if (method !== 'workspace/configuration') return null;
        return params.items.map((item) => (item.section === 'yaml' ? settings : item.section === 'http' ? { proxy: '', proxyStrictSSL: false } : null));
      },
    }),
  );
  return { server, settings };
}

const YAML_LS_CAPABILITIES = {
  textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, synchronization: { dynamicRegistration: false } },
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false }, workspaceFolders: true },
};

/** Replaces the `index`-th match of a global regular expression. */
function replaceNth(text, regex, index, replacement) {
  let seen = -1;
  return text.replace(regex, (...match) => (++seen === index ? replacement(...match) : match[0]));
}

/**
 * The files of the comparison, each with two texts that both carry one schema error (on a
 * different line), so that every change gives new diagnostics in both servers.
 */
function peerCases(kPath, rPath) {
  const k = fs.readFileSync(kPath, 'utf8');
  const r = fs.readFileSync(rPath, 'utf8');
  const lineOf = (text, needle) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;
  // Kustomization: an unknown key (a typo of namePrefix), first at the top, then at the bottom.
  const kA = k.replace('kind: Kustomization\n', 'kind: Kustomization\nnamePrefx: blue-\n');
  const kB = k + 'namePrefx: blue-\n';
  // Router: a weight written as a string, first in the first router, then in the second.
  const canaryWeight = /(name: \S+-v2\n\s+weight: )5\b/g;
  const rA = replaceNth(r, canaryWeight, 0, (_m, head) => `${head}"5"`);
  const rB = replaceNth(r, canaryWeight, 1, (_m, head) => `${head}"5"`);
  if (kA === k || rA === r || rB === r) throw new Error(`the peer comparison's edits do not apply to ${kPath} / ${rPath}`);
  return [
    { name: 'kustomization.yaml', file: kPath, texts: [kA, kB], lines: [lineOf(kA, 'namePrefx'), lineOf(kB, 'namePrefx')] },
    { name: 'router', file: rPath, texts: [rA, rB], lines: [lineOf(rA, '"5"'), lineOf(rB, '"5"')] },
  ];
}

const hasDiagnosticAt = (uri, line) => (m) =>
  m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.diagnostics.some((d) => d.range.start.line === line);

/**
 * One cold start of a server with the file already broken on disk and opened at once, as an
 * editor restored with that file: spawn → first diagnostics at the error, and didOpen → same.
 * Then `warm` changes alternating between the two texts: didChange → diagnostics at the new line.
 */
async function peerRun(kind, root, testCase, warm) {
  fs.writeFileSync(testCase.file, testCase.texts[0]);
  const uri = uriOf(testCase.file);
  let server;
  let wait;
  if (kind === 'ours') {
    server = track(
      new LspProcess(process.execPath, serverArgs('peer'), {
        onRequest: (method, params) => (method === 'workspace/configuration' ? params.items.map(() => null) : null),
      }),
    );
    await withTimeout(server.request('initialize', initializeParams(root, OUR_CAPABILITIES)), LIMITS.waitMs, 'initialize');
    wait = server.waitForNotification(hasDiagnosticAt(uri, testCase.lines[0]), LIMITS.coldMs, `our diagnostics of ${testCase.name}`);
    server.notify('initialized', {});
  } else {
    ({ server } = startYamlLs());
    await withTimeout(server.request('initialize', initializeParams(root, YAML_LS_CAPABILITIES)), LIMITS.waitMs, 'initialize');
    wait = server.waitForNotification(hasDiagnosticAt(uri, testCase.lines[0]), LIMITS.coldMs, `yaml-language-server diagnostics of ${testCase.name}`);
    server.notify('initialized', {});
    server.notify('workspace/didChangeConfiguration', { settings: { yaml: yamlSettings() } });
  }
  const opened = server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: testCase.texts[0] } });
  try {
    const { at } = await wait;
    const result = { fromSpawn: at - server.spawnedAt, fromOpen: at - opened, warm: [] };
    let version = 1;
    for (let i = 0; i < warm; i++) {
      version++;
      const which = i % 2 === 0 ? 1 : 0;
      const next = server.waitForNotification(hasDiagnosticAt(uri, testCase.lines[which]), LIMITS.editMs, `${kind} diagnostics after change v${version}`);
      const sent = server.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: testCase.texts[which] }] });
      result.warm.push((await next).at - sent);
    }
    return result;
  } finally {
    await server.stop();
    live.delete(server);
  }
}

/** Both servers on the same two files of `root`, `runs` cold starts each, `warm` changes in the first. */
async function comparePeers(label, root, kPath, rPath, runs, warm) {
  const results = { workspace: label, runs, warmChanges: warm };
  for (const testCase of peerCases(kPath, rPath)) {
    const original = fs.readFileSync(testCase.file, 'utf8');
    const row = { ours: { fromSpawn: [], fromOpen: [], warm: [] }, yamlLs: { fromSpawn: [], fromOpen: [], warm: [] } };
    try {
      for (let run = 0; run < runs; run++) {
        // Alternate which server goes first, so neither always gets a warmer page cache.
        const order = run % 2 === 0 ? ['ours', 'yamlLs'] : ['yamlLs', 'ours'];
        for (const kind of order) {
          log(`peers (${label}): ${testCase.name}, ${kind}, run ${run + 1}/${runs}`);
          const r = await peerRun(kind, root, testCase, run === 0 ? warm : 0);
          row[kind].fromSpawn.push(r.fromSpawn);
          row[kind].fromOpen.push(r.fromOpen);
          row[kind].warm.push(...r.warm);
        }
      }
    } finally {
      fs.writeFileSync(testCase.file, original);
    }
    const med = (list) => round(median(list), 1);
    results[testCase.name] = {
      ours: { fromSpawnMs: med(row.ours.fromSpawn), fromOpenMs: med(row.ours.fromOpen), warmChangeP50Ms: med(row.ours.warm) },
      yamlLs: { fromSpawnMs: med(row.yamlLs.fromSpawn), fromOpenMs: med(row.yamlLs.fromOpen), warmChangeP50Ms: med(row.yamlLs.warm) },
      ratioFromSpawn: round(median(row.ours.fromSpawn) / median(row.yamlLs.fromSpawn), 2),
      ratioFromOpen: round(median(row.ours.fromOpen) / median(row.yamlLs.fromOpen), 2),
      ratioWarmChange: round(median(row.ours.warm) / median(row.yamlLs.warm), 2),
    };
  }
  return results;
}

async function phasePeers(tmp) {
  const dir = copyExample(tmp);
  return comparePeers('DJ example', dir, path.join(dir, 'kustomization.yaml'), path.join(dir, 'dj-mesh-router-v1-95-v2-5.yaml'), options.peerRuns, 20);
}

// ---------------------------------------------------------------- phase 2/3b/4: generated workspaces

/** Cold start of our server over a generated workspace until every deliberate error is published. */
async function coldServer(manifest) {
  // A file may expect diagnostics of several codes.
  const expected = new Map();
  for (const e of manifest.expected) expected.set(uriOf(e.file), [...(expected.get(uriOf(e.file)) ?? []), e]);
  const remaining = new Set(expected.keys());
  const published = new Map();
  let doneResolve;
  const done = new Promise((resolve) => (doneResolve = resolve));
  const { server, initializeSent, initialized } = await startOurs(manifest.root, `n${manifest.n}`);
  let lastPublish = 0;
  const off = server.onNotification((m, at) => {
    if (m.method !== 'textDocument/publishDiagnostics') return;
    lastPublish = at;
    published.set(m.params.uri, m.params.diagnostics);
    const wanted = expected.get(m.params.uri);
    if (wanted?.every((e) => m.params.diagnostics.filter((d) => d.code === e.code).length === e.count)) remaining.delete(m.params.uri);
    if (remaining.size === 0) doneResolve(at);
  });
  try {
    const allAt = await withTimeout(done, LIMITS.coldMs, `all ${expected.size} expected files published (cold, N=${manifest.n})`);
    // Anything else published after the expected set is reported, not waited for: a quiet second.
    await server.quiet(1000, 10_000);
    const unexpected = [...published.entries()].filter(([uri, d]) => !expected.has(uri) && d.length > 0).length;
    const rssAfterCold = peakRssMB(server.pid);
    const lastColdPublish = lastPublish;

    // One edit afterwards: a stage kustomization switched between its valid stage and "broken".
    // App Mesh and Gateway API report the broken stage on the kustomization itself. On Istio the
    // kustomization has no diagnostic either way (the server then publishes nothing for it): the
    // edit shows on frontend.yaml, whose DestinationRules get subset-without-workloads.
    const app = manifest.apps.find((a) => a.stage === 'canary5' || a.stage === 'canary95' || a.stage === 'blue');
    const file = path.join(app.dir, 'kustomization.yaml');
    const valid = fs.readFileSync(file, 'utf8');
    const broken = stageKustomization(app.app, app.services, 'broken');
    const istio = app.dialect === 'istio';
    const frontend = path.join(app.dir, 'frontend.yaml');
    const routedToNoPods = hasCode('subset-without-workloads');
    const openSent = performance.now();
    const { at: openAt } = istio ? await openAndWait(server, file, broken, frontend, routedToNoPods) : await openAndWait(server, file, broken);
    const edits = istio
      ? await timeWatchedEdits(server, file, [valid, broken], options.scaleEdits, 1, LIMITS.scaleEditsMs, frontend, (d) => !routedToNoPods(d))
      : await timeEdits(server, file, [valid, broken], options.scaleEdits, 1, LIMITS.scaleEditsMs);

    // A stage move in another application: canary 5 % → v2 with v1 kept for rollback and back, the
    // router entries commented and uncommented (what the stage commands write). The edited file has
    // no diagnostics either way; the move shows on the v1 files, which get no traffic after it
    // (version-without-traffic), so the time is taken to the publish for one of them. On Istio
    // nothing shows that move (v1's pods still run, its subset just gets no traffic), so the move
    // goes to v2 alone (v1's entries commented out too): frontend.yaml's v1 subsets are left without
    // pods (idle-subset-without-workloads).
    const moveApp = manifest.apps.find((a) => a.stage === 'canary5' && a !== app);
    const moveFile = path.join(moveApp.dir, 'kustomization.yaml');
    const atStage = fs.readFileSync(moveFile, 'utf8');
    const moveIstio = moveApp.dialect === 'istio';
    const moveTo = moveIstio ? 'green' : 'greenStandby';
    const moved = stageKustomization(moveApp.app, moveApp.services, moveTo);
    const moves = moveIstio
      ? await timeMoves(
          server,
          moveFile,
          atStage,
          moved,
          path.join(moveApp.dir, 'frontend.yaml'),
          hasCode('idle-subset-without-workloads'),
          options.moveEdits,
          LIMITS.scaleEditsMs,
        )
      : await timeMoves(
          server,
          moveFile,
          atStage,
          moved,
          path.join(moveApp.dir, `${moveApp.services[0]}-v1.yaml`),
          hasCode('version-without-traffic'),
          options.moveEdits,
          LIMITS.scaleEditsMs,
        );
    // For comparison, an edit that changes no entry: a comment line added to and removed from the
    // broken kustomization. On Istio no file's diagnostics change with it, so nothing is published to time.
    let comments;
    if (!istio) {
      const last = await timeEdits(server, file, [broken], 1, edits.version);
      comments = await timeEdits(server, file, [`${broken}# reviewed\n`, broken], options.moveEdits, last.version, LIMITS.scaleEditsMs);
    }
    return {
      initializeMs: round(initialized - initializeSent),
      coldMs: round(allAt - initializeSent),
      lastPublishMs: round(lastColdPublish - initializeSent),
      unexpectedFilesWithDiagnostics: unexpected,
      openMs: round(openAt - openSent),
      edit: { ...summary(edits.latencies), shownOn: path.basename(istio ? frontend : file) },
      stageMove: { ...summary(moves.latencies), to: moveTo },
      noEntryEdit: comments && summary(comments.latencies),
      peakRssAfterColdMB: round(rssAfterCold),
      peakRssMB: round(peakRssMB(server.pid)),
    };
  } finally {
    off();
    await server.stop();
    live.delete(server);
  }
}

function timeProcess(command, args, timeoutMs) {
  const t0 = performance.now();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  const elapsed = performance.now() - t0;
  return { ms: elapsed, status: result.status, signal: result.signal, stderr: result.stderr?.toString().slice(0, 500) ?? '' };
}

function runCli(root, label) {
  const profile = options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`, `--cpu-prof-name=cli-${label}-${Date.now()}.cpuprofile`] : [];
  const r = timeProcess(process.execPath, [...profile, CLI, 'check', root, '--format', 'json'], LIMITS.cliMs);
  // Exit status 1 is expected: the tree holds deliberate errors.
  if (r.status !== 0 && r.status !== 1) throw new Error(`mesh-kustomize check failed (${r.status ?? r.signal}): ${r.stderr}`);
  return r.ms;
}

function kubectlTimes(manifest) {
  const dirs = manifest.stageDirs;
  let sample = dirs;
  if (dirs.length > options.kubectlSample) {
    const random = rng(options.seed + 7);
    const picked = new Set();
    while (picked.size < options.kubectlSample) picked.add(Math.floor(random() * dirs.length));
    sample = [...picked].sort((a, b) => a - b).map((i) => dirs[i]);
  }
  let total = 0;
  for (const dir of sample) {
    const r = timeProcess(KUBECTL, ['kustomize', dir], LIMITS.kubectlMs);
    if (r.status !== 0) throw new Error(`kubectl kustomize ${dir} failed (${r.status ?? r.signal}): ${r.stderr}`);
    total += r.ms;
  }
  const perDirMs = total / sample.length;
  const top = manifest.n <= options.kubectlTopMax ? timeProcess(KUBECTL, ['kustomize', manifest.topRoots[0]], LIMITS.kubectlTopMs) : { skipped: true };
  return {
    stageDirs: dirs.length,
    timed: sample.length,
    extrapolated: sample.length < dirs.length,
    perDirMs: round(perDirMs, 2),
    allStageDirsMs: round(perDirMs * dirs.length),
    topRootMs: top.status === 0 ? round(top.ms) : undefined,
    topRootProblem: top.skipped
      ? `not run above N=${options.kubectlTopMax} (--kubectl-top-max)`
      : top.status === 0
        ? undefined
        : top.signal
          ? `timed out after ${LIMITS.kubectlTopMs / 1000} s`
          : `exit ${top.status}: ${top.stderr}`,
  };
}

function childJson(args, timeoutMs) {
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr.slice(0, 1000)}`);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

const DIALECT_LABELS = { appmesh: '', gatewayapi: ' Gateway API', istio: ' Istio', mixed: ' mixed App Mesh + Gateway API + Istio' };

/** The codes the generator expects that the built engine has no rule for: the cold start would wait for them in vain. */
function unknownCodes(manifest) {
  const known = new Set(createRequire(import.meta.url)(ENGINE).allRules.map((rule) => rule.code));
  return [...new Set(manifest.expected.map((e) => e.code))].filter((code) => !known.has(code));
}

async function phaseScale(tmp, n, dialect = 'appmesh') {
  const root = path.join(tmp, `ws-${n}-${dialect}`);
  const tag = `N=${n}${DIALECT_LABELS[dialect]}`;
  log(`${tag}: generating`);
  const t0 = performance.now();
  const manifest = generate({ n, out: root, seed: options.seed, dialect });
  const generateMs = performance.now() - t0;
  const unknown = unknownCodes(manifest);
  if (unknown.length > 0) {
    log(`${tag}: skipped, this build has no rule ${unknown.join(', ')} (scripts/bench/generate.mjs stageExpectations)`);
    return { n, dialect, files: manifest.files, skipped: `not measured: this build has no rule ${unknown.join(', ')}, which the generated trees expect` };
  }
  log(`${tag}: ${manifest.files} files, ${manifest.objects} objects; cold server`);
  const server = await coldServer(manifest);
  log(`${tag}: cold ${ms(server.coldMs)}, edit p50 ${ms(server.edit.p50)}; CLI`);
  const cliMs = runCli(root, `n${n}`);
  log(`${tag}: CLI ${ms(cliMs)}; kubectl kustomize`);
  const kubectl = kubectlTimes(manifest);
  log(`${tag}: kubectl ${ms(kubectl.allStageDirsMs)}${kubectl.extrapolated ? ' (extrapolated)' : ''}; parse floor`);
  // Floor and validation alternate in fresh processes; medians of `floorRuns` pairs.
  const floorRuns = n <= 100 ? 3 : 1;
  const floors = [];
  const engineFloors = [];
  const validates = [];
  for (let i = 0; i < floorRuns; i++) {
    floors.push(childJson([FLOOR, 'floor', root], LIMITS.floorMs));
    engineFloors.push(childJson([FLOOR, 'engine-floor', root], LIMITS.floorMs));
    validates.push(childJson([FLOOR, 'validate', root], LIMITS.floorMs));
  }
  const byTotal = (list) => [...list].sort((a, b) => a.totalMs - b.totalMs)[Math.floor((list.length - 1) / 2)];
  const floor = byTotal(floors);
  const engineFloor = byTotal(engineFloors);
  const validate = byTotal(validates);
  let peers;
  if (dialect === 'appmesh' && n === options.peersAt && options.phases.has('peers') && fs.existsSync(YAML_LS)) {
    const app = manifest.apps.find((a) => a.stage === 'canary5');
    log(`${tag}: yaml-language-server and ours on ${app.app}`);
    peers = await comparePeers(tag, root, path.join(app.dir, 'kustomization.yaml'), path.join(app.dir, 'router-v1-95-v2-5.yaml'), 3, 5);
  }
  if (validate.diagnostics !== manifest.expected.reduce((s, e) => s + e.count, 0)) {
    log(`${tag}: the engine reported ${validate.diagnostics} diagnostics, the generator planted ${manifest.expected.reduce((s, e) => s + e.count, 0)}`);
  }
  return {
    n,
    dialect,
    files: manifest.files,
    objects: manifest.objects,
    megabytes: round(floor.bytes / 1048576, 1),
    expectedErrors: manifest.expected.reduce((s, e) => s + e.count, 0),
    engineDiagnostics: validate.diagnostics,
    generateMs: round(generateMs),
    server,
    cli: { checkMs: round(cliMs) },
    kubectl: {
      ...kubectl,
      ratioAllStageDirs: round(kubectl.allStageDirsMs / cliMs, 2),
      ratioTopRoot: kubectl.topRootMs === undefined ? undefined : round(kubectl.topRootMs / cliMs, 2),
    },
    floor: { readMs: round(floor.readMs), parseMs: round(floor.parseMs), totalMs: round(floor.totalMs), documents: floor.documents },
    engineFloor: { readMs: round(engineFloor.readMs), parseMs: round(engineFloor.parseMs), totalMs: round(engineFloor.totalMs) },
    validationOverEngineFloor: round(validate.totalMs / engineFloor.totalMs, 2),
    validator: { totalMs: round(validate.totalMs), rssMB: round(validate.rssMB) },
    floorRuns,
    validationOverFloor: round(validate.totalMs / floor.totalMs, 2),
    peers,
  };
}

// ---------------------------------------------------------------- package: .vsix size and activation

function phasePackage() {
  log('package: npm run package');
  const built = spawnSync('npm', ['run', 'package'], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: 600_000 });
  if (built.status !== 0) throw new Error(`npm run package failed (${built.status ?? built.signal}): ${built.stderr.slice(-1000)}`);
  const vsix = path.join(REPO, 'dist', 'mesh-kustomize.vsix');
  log(`package: activation, ${options.activationRuns} fresh code-server starts`);
  const activation = childJson(
    [path.join(REPO, 'scripts', 'bench', 'activation.mjs'), '--json', '--runs', String(options.activationRuns), '--vsix', vsix],
    1_800_000,
  );
  return { vsixKB: Math.round(fs.statSync(vsix).size / 1024), activation };
}

// ---------------------------------------------------------------- machine and report

function yamlLsVersion() {
  try {
    return JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', 'yaml-language-server', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function machine() {
  const kubectl = spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8', timeout: 20_000 });
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'server', 'client', 'package.json'], { cwd: REPO, encoding: 'utf8' });
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    kubectl: kubectl.stdout?.split('\n').filter(Boolean).join('; '),
    yamlLanguageServer: yamlLsVersion(),
    commit: `${git.stdout?.trim()}${dirty.stdout?.trim() ? ' + uncommitted changes' : ''}`,
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
  };
}

const TARGETS = {
  djP50: 5,
  djP99: 20,
  coldMs: 3000,
  rssMB: 400,
  scaleEditP50: 20,
  peerRatio: 1,
  kubectlRatio: 5,
  floorRatio: 2,
  activationMs: 100,
  vsixKB: 1536,
};

const verdict = (ok) => (ok === undefined ? '—' : ok ? 'met' : 'MISSED');

function table(report) {
  const rows = [];
  const add = (measure, value, target, ok) => rows.push(`| ${measure} | ${value} | ${target} | ${verdict(ok)} |`);
  const dj = report.dj;
  if (dj) {
    add(
      `DJ example: edit → diagnostics, kustomization.yaml (${dj.kustomization.n} edits)`,
      `p50 ${ms(dj.kustomization.p50)}, p99 ${ms(dj.kustomization.p99)}`,
      'p50 ≤ 5 ms, p99 ≤ 20 ms',
      dj.kustomization.p50 <= TARGETS.djP50 && dj.kustomization.p99 <= TARGETS.djP99,
    );
    add(
      `DJ example: edit → diagnostics, router file (${dj.router.n} edits)`,
      `p50 ${ms(dj.router.p50)}, p99 ${ms(dj.router.p99)}`,
      'p50 ≤ 5 ms, p99 ≤ 20 ms',
      dj.router.p50 <= TARGETS.djP50 && dj.router.p99 <= TARGETS.djP99,
    );
    add(
      'DJ example: edit → diagnostics, both',
      `p50 ${ms(dj.all.p50)}, p99 ${ms(dj.all.p99)}, max ${ms(dj.all.max)}`,
      'p50 ≤ 5 ms, p99 ≤ 20 ms',
      dj.all.p50 <= TARGETS.djP50 && dj.all.p99 <= TARGETS.djP99,
    );
  }
  for (const s of report.scale ?? []) {
    const tenK = s.files >= 9000 && s.files < 20000;
    if (s.skipped) {
      add(`N=${s.n}${DIALECT_LABELS[s.dialect]} (${s.files} files)`, s.skipped, '—', undefined);
      continue;
    }
    const label = `N=${s.n}${DIALECT_LABELS[s.dialect ?? 'appmesh']} (${s.files} files, ${s.megabytes} MB)`;
    add(`${label}: cold, initialize → all diagnostics`, ms(s.server.coldMs), tenK ? '≤ 3 s' : '—', tenK ? s.server.coldMs <= TARGETS.coldMs : undefined);
    add(`${label}: server peak RSS (VmHWM)`, `${s.server.peakRssMB} MB`, tenK ? '≤ 400 MB' : '—', tenK ? s.server.peakRssMB <= TARGETS.rssMB : undefined);
    add(
      `${label}: one edit → diagnostics${s.server.edit.shownOn === 'frontend.yaml' ? ' (shown on frontend.yaml)' : ''} (${s.server.edit.n} edits)`,
      `p50 ${ms(s.server.edit.p50)}`,
      tenK ? 'p50 ≤ 20 ms' : '—',
      tenK ? s.server.edit.p50 <= TARGETS.scaleEditP50 : undefined,
    );
    if (s.server.stageMove) {
      const move = s.server.stageMove.to === 'green' ? 'stage move to v2 alone (version and router entries' : 'stage move (router entries';
      add(
        `${label}: ${move} commented/uncommented) → diagnostics (${s.server.stageMove.n} edits)`,
        `p50 ${ms(s.server.stageMove.p50)}, p99 ${ms(s.server.stageMove.p99)}`,
        tenK ? 'p50 ≤ 20 ms' : '—',
        tenK ? s.server.stageMove.p50 <= TARGETS.scaleEditP50 : undefined,
      );
      add(
        `${label}: … same file, an edit that changes no entry${s.server.noEntryEdit ? ` (${s.server.noEntryEdit.n} edits)` : ''}`,
        s.server.noEntryEdit ? `p50 ${ms(s.server.noEntryEdit.p50)}` : 'not measured: no diagnostics change with it, so nothing is published',
        'informative',
        undefined,
      );
    }
    const k = s.kubectl;
    add(
      `${label}: \`kubectl kustomize\` per stage directory${k.extrapolated ? ` (${k.timed} of ${k.stageDirs} timed, total extrapolated)` : ` (${k.stageDirs} runs)`} vs \`mesh-kustomize check\``,
      `${ms(k.allStageDirsMs)} vs ${ms(s.cli.checkMs)}: ${k.ratioAllStageDirs}×`,
      '≥ 5×',
      k.ratioAllStageDirs >= TARGETS.kubectlRatio,
    );
    add(
      `${label}: \`kubectl kustomize\` of the top-level root (1 run) vs \`mesh-kustomize check\``,
      k.topRootMs === undefined ? (k.topRootProblem ?? '—') : `${ms(k.topRootMs)} vs ${ms(s.cli.checkMs)}: ${k.ratioTopRoot}×`,
      'informative',
      undefined,
    );
    add(
      `${label}: full validation (engine Validator) vs parse floor (walk + read + \`yaml\` parseAllDocuments)${s.floorRuns > 1 ? `, medians of ${s.floorRuns}` : ''}`,
      `${ms(s.validator.totalMs)} vs ${ms(s.floor.totalMs)}: ${s.validationOverFloor}×`,
      '≤ 2×',
      s.validationOverFloor <= TARGETS.floorRatio,
    );
    if (s.engineFloor) {
      add(
        `${label}: … same vs the engine's own parse floor (walk + read + its fast parser, \`yaml\` where that gives up)`,
        `${ms(s.validator.totalMs)} vs ${ms(s.engineFloor.totalMs)}: ${s.validationOverEngineFloor}×`,
        'informative',
        undefined,
      );
    }
  }
  const peerRows = (peers) => {
    for (const name of ['kustomization.yaml', 'router']) {
      const p = peers[name];
      if (!p) continue;
      add(
        `First diagnostics vs yaml-language-server ${report.machine.yamlLanguageServer}, ${peers.workspace}, ${name} with a schema error: spawn → diagnostics (median of ${peers.runs})`,
        `${ms(p.ours.fromSpawnMs)} vs ${ms(p.yamlLs.fromSpawnMs)}: ratio ${p.ratioFromSpawn}`,
        'ratio ≤ 1',
        p.ratioFromSpawn <= TARGETS.peerRatio,
      );
      add(
        `… same, didOpen → diagnostics`,
        `${ms(p.ours.fromOpenMs)} vs ${ms(p.yamlLs.fromOpenMs)}: ratio ${p.ratioFromOpen}`,
        'ratio ≤ 1',
        p.ratioFromOpen <= TARGETS.peerRatio,
      );
      add(
        `… same, didChange → diagnostics (p50 of ${peers.warmChanges})`,
        `${ms(p.ours.warmChangeP50Ms)} vs ${ms(p.yamlLs.warmChangeP50Ms)}: ratio ${p.ratioWarmChange}`,
        'ratio ≤ 1',
        p.ratioWarmChange <= TARGETS.peerRatio,
      );
    }
  };
  if (report.peers) peerRows(report.peers);
  for (const s of report.scale ?? []) if (s.peers) peerRows(s.peers);
  const pkg = report.package;
  if (pkg) {
    const a = pkg.activation;
    add(
      `Packaged extension activation, VS Code's "Show Running Extensions" in code-server ${a.codeServer} (VS Code ${a.vscode}), median of ${a.activationMs.samples.length} fresh starts`,
      `${ms(a.activationMs.median)} (${a.activationMs.samples.join(', ')} ms)`,
      '≤ 100 ms',
      a.activationMs.median <= TARGETS.activationMs,
    );
    add(
      '… same, until activate()\'s promise settled ("Startup Performance": load + call + finish)',
      `${ms(a.untilSettledMs.median)} (${a.untilSettledMs.samples.join(', ')} ms)`,
      'informative',
      undefined,
    );
    add('.vsix size (`npm run package`)', `${pkg.vsixKB} KB`, '≤ 1.5 MB', pkg.vsixKB <= TARGETS.vsixKB);
  } else {
    add('Packaged extension activation', 'not measured in this run (--phases package)', '≤ 100 ms', undefined);
  }
  const m = report.machine;
  return [
    `Mesh Kustomize benchmarks — ${m.nproc} cores (${m.cpu}), ${m.memoryGB} GB, Node ${m.node}, ${m.platform}`,
    `kubectl: ${m.kubectl}; yaml-language-server ${m.yamlLanguageServer}; commit ${m.commit}`,
    `load average at start ${m.loadAverageAtStart.join(' ')}, at end ${report.loadAverageAtEnd.join(' ')}; total ${ms(report.totalMs)}`,
    '',
    '| Measure | Measured | Target | |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n');
}

// ---------------------------------------------------------------- main

async function main() {
  if (options.report) {
    process.stdout.write(table(JSON.parse(fs.readFileSync(options.report, 'utf8'))) + '\n');
    return;
  }
  for (const file of [SERVER, CLI, path.join(REPO, 'out', 'server', 'src', 'engine', 'index.js')]) {
    if (!fs.existsSync(file)) throw new Error(`${path.relative(REPO, file)} is missing: run \`npm run build\` first (\`npm run bench\` does)`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-kustomize-bench-'));
  if (options.cpuProf) fs.mkdirSync(options.cpuProf, { recursive: true });
  const report = { machine: machine(), options: { ...options, phases: [...options.phases] }, targets: TARGETS };
  try {
    if (options.phases.has('dj')) report.dj = await phaseDj(tmp);
    if (options.phases.has('peers')) {
      if (fs.existsSync(YAML_LS)) report.peers = await phasePeers(tmp);
      else log('peers: yaml-language-server is not installed (npm ci): skipped');
    }
    if (options.phases.has('package')) report.package = phasePackage();
    if (options.phases.has('scale')) {
      report.scale = [];
      const runs = [
        ...options.sizes.map((n) => [n, 'appmesh']),
        ...options.dialectSizes.flatMap((n) => [
          [n, 'gatewayapi'],
          [n, 'istio'],
          [n, 'mixed'],
        ]),
      ];
      for (const [n, dialect] of runs) {
        report.scale.push(await phaseScale(tmp, n, dialect));
        if (!options.keep) fs.rmSync(path.join(tmp, `ws-${n}-${dialect}`), { recursive: true, force: true });
      }
    }
  } finally {
    await stopAll();
    if (options.keep) log(`workspaces kept in ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
  report.loadAverageAtEnd = os.loadavg().map((l) => round(l, 2));
  report.totalMs = round(performance.now() - started);
  if (options.save) fs.writeFileSync(options.save, JSON.stringify(report, null, 2) + '\n');
  if (options.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stdout.write(table(report) + '\n');
}

main().then(
  () => {
    clearTimeout(watchdog);
    process.exit(0);
  },
  async (error) => {
    log(`failed: ${error.stack ?? error}`);
    await stopAll();
    process.exit(1);
  },
);
