// code-server (VS Code's workbench and extension host, served to a browser) for the editor tests
// and the demo: starts it (installed by tools.mjs) on loopback with its own scratch folders, and
// stops its whole process group.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CACHE, CODE_SERVER, NODE24 } from './tools.mjs';

export { CACHE, ensureTools } from './tools.mjs';

export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Scratch folders for one code-server: nothing is written outside them. */
export function scratch(prefix) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dirs = { root, home: path.join(root, 'home'), userData: path.join(root, 'user-data'), extensions: path.join(root, 'extensions') };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  dirs.config = path.join(root, 'config.yaml');
  fs.writeFileSync(dirs.config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'editor.codeLens': true,
        'window.commandCenter': false,
        'chat.disableAIFeatures': true,
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
      },
      null,
      2,
    ),
  );
  return dirs;
}

function environment(dirs) {
  return {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.home, '.config'),
    XDG_DATA_HOME: path.join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(dirs.home, '.cache'),
    XDG_STATE_HOME: path.join(dirs.home, '.local', 'state'),
  };
}

function commonArgs(dirs) {
  return ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--config', dirs.config];
}

export function installExtension(dirs, vsix) {
  const result = spawnSync(NODE24, [CODE_SERVER, ...commonArgs(dirs), '--install-extension', vsix], { env: environment(dirs), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`installing ${vsix} failed:\n${result.stdout}\n${result.stderr}`);
  const installedDir = fs.readdirSync(dirs.extensions).find((name) => name.startsWith('mesh-kustomize.mesh-kustomize-'));
  if (!installedDir) throw new Error(`the extension is not in ${dirs.extensions}`);
  return path.join(dirs.extensions, installedDir);
}

/** Starts code-server in its own process group; resolves once /healthz answers. */
export async function startCodeServer(dirs, { port, smokeTestDriver = false, logFile }) {
  const args = [
    CODE_SERVER,
    ...commonArgs(dirs),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const out = fs.openSync(logFile ?? path.join(dirs.root, 'code-server.log'), 'a');
  const child = spawn(NODE24, args, { env: environment(dirs), detached: true, stdio: ['ignore', out, out] });
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const deadline = Date.now() + 60000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) break;
    } catch {
      // Not up yet.
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      stop();
      throw new Error(`code-server did not start; see ${logFile ?? path.join(dirs.root, 'code-server.log')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url: `http://127.0.0.1:${port}`, stop, child };
}

export async function launchBrowser(profileDir) {
  const { chromium } = await import(path.join(CACHE, 'node_modules', 'playwright-core', 'index.mjs'));
  return chromium.launchPersistentContext(profileDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 860 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** The packaged extension: builds dist/mesh-kustomize.vsix. */
export function packageExtension() {
  const result = spawnSync('npm', ['run', 'package'], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('npm run package failed');
  return path.join(REPO, 'dist', 'mesh-kustomize.vsix');
}

/** A fresh copy of an example folder, so tests and demos may change it. */
export function copyExample(name, into) {
  const target = path.join(into, name);
  fs.cpSync(path.join(REPO, 'examples', name), target, { recursive: true });
  return target;
}
