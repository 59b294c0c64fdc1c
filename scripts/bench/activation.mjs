// `npm run bench:activation`: how long the packaged extension takes to activate, as the editor itself
// records it. Each run installs dist/mesh-kustomize.vsix into a fresh code-server, opens a copy of
// examples/dj in headless Chromium, opens kustomization.yaml, waits until the extension's stage shows
// in the status bar, and reads
//   - "Developer: Show Running Extensions": our row's "Activation: N ms" (or "Startup Activation: N ms"),
//     which VS Code computes as code loading + the synchronous part of the activate() call;
//   - "Developer: Startup Performance": the "Extension Activation Stats" table, whose row for us has
//     Load Code, Call Activate and Finish Activate (from the return of the activate() call until the
//     promise it returned settled); their sum is the whole activation, awaited work included.
// Both come from the extension host's own activation times (ExtensionActivationTimes, Date.now()
// around loading the module, calling activate() and awaiting its promise); nothing is timed in our code.
//
//   node scripts/bench/activation.mjs [--runs 5] [--json] [--vsix PATH] [--keep]
//
// Builds nothing unless the .vsix is missing (then `npm run package`). Progress goes to stderr; with
// --json the last stdout line is one JSON object. Not a test: nothing asserts a time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CACHE,
  copyExample,
  ensureTools,
  freePort,
  installExtension,
  launchBrowser,
  packageExtension,
  REPO,
  scratch,
  startCodeServer,
} from '../e2e/codeServer.mjs';

const EXTENSION_ID = 'mesh-kustomize.mesh-kustomize';
const DISPLAY_NAME = 'Mesh Kustomize';
const RUN_TIMEOUT_MS = 180000;

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
}
const runs = Number(option('--runs', '5'));
const json = process.argv.includes('--json');
const keep = process.argv.includes('--keep');
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write('usage: node scripts/bench/activation.mjs [--runs N] [--json] [--vsix PATH] [--keep]\n');
  process.exit(2);
}

function log(message) {
  process.stderr.write(`[activation] ${message}\n`);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function versions() {
  const read = (file) => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')).version;
    } catch {
      return 'unknown';
    }
  };
  const codeServer = path.join(CACHE, 'node_modules', 'code-server');
  return { codeServer: read(path.join(codeServer, 'package.json')), vscode: read(path.join(codeServer, 'lib', 'vscode', 'product.json')) };
}

/** Runs a command from the palette by its full label, as a person would. */
async function runCommand(page, label) {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ timeout: 5000 });
      break;
    } catch (error) {
      if (attempt >= 2) throw error;
    }
  }
  await input.fill(`>${label}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click({ timeout: 15000 });
}

/** Quick Open. */
async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15000 });
  await input.fill(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().click({ timeout: 15000 });
}

/** Our row in the Running Extensions editor: its activation text and the hover that says what activated it. */
async function readRunningExtensions(page) {
  await runCommand(page, 'Developer: Show Running Extensions');
  const view = page.locator('.runtime-extensions-editor');
  await view.waitFor({ timeout: 30000 });
  const row = view.locator('.monaco-list-row', { has: page.locator('.name', { hasText: DISPLAY_NAME }) });
  // The list is virtual (sorted by activation time): scroll until our row is rendered.
  const list = view.locator('.monaco-list').first();
  for (let step = 0; (await row.count()) === 0; step++) {
    if (step > 60) throw new Error(`no "${DISPLAY_NAME}" row in Running Extensions`);
    await list.hover();
    await page.mouse.wheel(0, step < 30 ? 200 : -200);
    await page.waitForTimeout(100);
  }
  const time = row.first().locator('.activation-time');
  const deadline = Date.now() + 30000;
  let text = (await time.textContent())?.trim() ?? '';
  while (!/\d+\s*ms/.test(text)) {
    if (Date.now() > deadline) throw new Error(`Running Extensions shows "${text}" for ${DISPLAY_NAME}`);
    await page.waitForTimeout(200);
    text = (await time.textContent())?.trim() ?? '';
  }
  let reason;
  try {
    await time.hover();
    const hover = page
      .locator('.monaco-hover, .workbench-hover')
      .filter({ hasText: /activat/i })
      .last();
    await hover.waitFor({ timeout: 5000 });
    reason = (await hover.innerText()).trim().replace(/\s+/g, ' ');
    await page.mouse.move(0, 0);
  } catch {
    reason = undefined;
  }
  const ms = Number(/(\d+)\s*ms/.exec(text)[1]);
  return { text, ms, startup: /^Startup/.test(text), reason };
}

/** Our row of "Extension Activation Stats" in Developer: Startup Performance, read through the clipboard. */
async function readStartupPerformance(page) {
  await runCommand(page, 'Developer: Startup Performance');
  const deadline = Date.now() + 30000;
  for (;;) {
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await editor.click({ timeout: 15000 });
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+C');
    const text = await page.evaluate(() => navigator.clipboard.readText()).catch(() => '');
    const table = text.split('\n## Extension Activation Stats')[1];
    if (table) {
      const line = table.split('\n').find((l) => l.includes(EXTENSION_ID));
      if (!line) throw new Error(`Startup Performance lists no activation of ${EXTENSION_ID}`);
      // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
      const cells = line
        .split('|')
        .map((c) => c.trim())
        .slice(1, -1);
      return {
        line: line.trim().replace(/\s+/g, ' '),
        eager: cells[1] === 'true',
        loadCode: Number(cells[2]),
        callActivate: Number(cells[3]),
        finishActivate: Number(cells[4]),
        event: cells[5],
      };
    }
    if (Date.now() > deadline) throw new Error('Startup Performance did not show "Extension Activation Stats"');
    await page.waitForTimeout(500);
  }
}

async function once(vsix, index) {
  const started = Date.now();
  const dirs = scratch('mk-bench-activation-');
  installExtension(dirs, vsix);
  const workspace = copyExample('dj', dirs.root);
  const port = await freePort();
  const server = await startCodeServer(dirs, { port });
  const browser = await launchBrowser(path.join(dirs.root, 'browser'));
  let timer;
  try {
    await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = browser.pages()[0] ?? (await browser.newPage());
    const work = (async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
      await openFile(page, 'kustomization.yaml');
      await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: 30000 });
      // The stage in the status bar: the server answered, so activation is long over.
      await page.locator('.statusbar-item', { hasText: 'canary 5' }).first().waitFor({ timeout: 60000 });
      const running = await readRunningExtensions(page);
      const perf = await readStartupPerformance(page);
      return { running, perf };
    })();
    const result = await Promise.race([
      work,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`run ${index + 1} took over ${RUN_TIMEOUT_MS / 1000} s`)), RUN_TIMEOUT_MS))),
    ]);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log(
      `run ${index + 1}/${runs}: "${result.running.text}"${result.running.reason ? ` (${result.running.reason})` : ''}; startup performance: ${result.perf.line} [${seconds} s]`,
    );
    return { ...result, seconds: Number(seconds) };
  } catch (error) {
    const page = browser.pages()[0];
    if (page) await page.screenshot({ path: path.join(dirs.root, 'failure.png') }).catch(() => undefined);
    log(`run ${index + 1} failed; scratch folder kept: ${dirs.root}`);
    throw error;
  } finally {
    clearTimeout(timer);
    await browser.close().catch(() => undefined);
    server.stop();
    if (!keep) fs.rmSync(dirs.root, { recursive: true, force: true, maxRetries: 3 });
  }
}

ensureTools();
let vsix = path.resolve(option('--vsix', path.join(REPO, 'dist', 'mesh-kustomize.vsix')));
if (!fs.existsSync(vsix)) {
  log(`${path.relative(REPO, vsix)} is missing: npm run package`);
  vsix = packageExtension();
}
const { codeServer, vscode } = versions();
log(
  `${path.relative(process.cwd(), vsix)} (${Math.round(fs.statSync(vsix).size / 1024)} KB, ${fs.statSync(vsix).mtime.toISOString()}), code-server ${codeServer} (VS Code ${vscode}), ${runs} runs`,
);

const samples = [];
for (let i = 0; i < runs; i++) samples.push(await once(vsix, i));

const series = (pick) => {
  const values = samples.map(pick);
  return { median: median(values), samples: values };
};
const report = {
  activationMs: series((s) => s.running.ms),
  source:
    'VS Code "Developer: Show Running Extensions", the row of Mesh Kustomize ("Activation: N ms" or "Startup Activation: N ms" = code loading + synchronous activate() call, from the extension host\'s activation times)',
  untilSettledMs: series((s) => s.perf.loadCode + s.perf.callActivate + s.perf.finishActivate),
  loadCodeMs: series((s) => s.perf.loadCode),
  callActivateMs: series((s) => s.perf.callActivate),
  finishActivateMs: series((s) => s.perf.finishActivate),
  untilSettledSource:
    'VS Code "Developer: Startup Performance", table "Extension Activation Stats": Load Code + Call Activate + Finish Activate (Finish Activate = from the return of activate() until its promise settled)',
  activation: samples.map((s) => ({ text: s.running.text, reason: s.running.reason, event: s.perf.event, eager: s.perf.eager })),
  secondsPerRun: series((s) => s.seconds),
  codeServer,
  vscode,
  vsix: path.relative(REPO, vsix),
};

if (json) {
  process.stdout.write(`${JSON.stringify(report)}\n`);
} else {
  const list = (s) => s.samples.join(', ');
  process.stdout.write(
    [
      `Mesh Kustomize activation, ${runs} fresh code-server ${codeServer} (VS Code ${vscode}) starts, ${report.vsix}:`,
      `  Running Extensions "Activation" (Load Code + Call Activate): median ${report.activationMs.median} ms (${list(report.activationMs)})`,
      `  Startup Performance, Load Code + Call Activate + Finish Activate: median ${report.untilSettledMs.median} ms (${list(report.untilSettledMs)})`,
      `    Load Code median ${report.loadCodeMs.median} ms (${list(report.loadCodeMs)})`,
      `    Call Activate median ${report.callActivateMs.median} ms (${list(report.callActivateMs)})`,
      `    Finish Activate median ${report.finishActivateMs.median} ms (${list(report.finishActivateMs)})`,
      `  activated by: ${[...new Set(report.activation.map((a) => a.event))].join(', ')}; ${report.secondsPerRun.median} s per run`,
      '',
    ].join('\n'),
  );
}
