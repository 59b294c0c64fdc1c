// The modules themselves (not TypeScript's import wrappers), so that what is patched here is what every caller gets.
import childProcess = require('node:child_process');
import dns = require('node:dns');
import fs = require('node:fs');
import http = require('node:http');
import https = require('node:https');
import net = require('node:net');
import tls = require('node:tls');

/**
 * Counts (and blocks) every way a Node process could reach the network or fetch a remote resource:
 * sockets, TLS, HTTP(S), DNS, fetch, and child processes (`git clone`, `kubectl`). Used in-process
 * for the engine, and as a `--require` preload for the language server (MESH_NET_LOG names the file
 * each attempt is appended to, one line per attempt).
 */
export interface NetworkGuard {
  attempts: string[];
  restore(): void;
}

export function installNetworkGuard(onAttempt: (what: string) => void = () => undefined): NetworkGuard {
  const attempts: string[] = [];
  const restorers: (() => void)[] = [];
  const block = (what: string): Error => {
    attempts.push(what);
    onAttempt(what);
    return new Error(`network access blocked by the test: ${what}`);
  };
  const patch = <T extends object, K extends keyof T>(target: T, key: K, replacement: T[K]): void => {
    const original = target[key];
    Object.defineProperty(target, key, { value: replacement, configurable: true, writable: true });
    restorers.push(() => Object.defineProperty(target, key, { value: original, configurable: true, writable: true }));
  };
  const describe = (args: unknown[]): string => {
    const [first, second] = args;
    if (typeof first === 'string' || first instanceof URL) return String(first);
    if (typeof first === 'number') return `port ${first}${typeof second === 'string' ? ` on ${second}` : ''}`;
    if (Array.isArray(first)) return describe(first);
    if (first && typeof first === 'object') {
      const o = first as { host?: string; hostname?: string; port?: number; path?: string; href?: string };
      return o.href ?? `${o.hostname ?? o.host ?? ''}:${o.port ?? ''}${o.path ?? ''}`;
    }
    return String(first);
  };

  patch(net.Socket.prototype, 'connect', function (this: net.Socket, ...args: unknown[]) {
    const error = block(`net.Socket.connect ${describe(args)}`);
    process.nextTick(() => this.destroy(error));
    return this;
  } as never);
  for (const key of ['connect', 'createConnection'] as const) {
    patch(net, key, ((...args: unknown[]) => {
      throw block(`net.${key} ${describe(args)}`);
    }) as never);
  }
  patch(tls, 'connect', ((...args: unknown[]) => {
    throw block(`tls.connect ${describe(args)}`);
  }) as never);
  for (const [name, module] of [
    ['http', http],
    ['https', https],
  ] as const) {
    for (const key of ['request', 'get'] as const) {
      patch(module, key, ((...args: unknown[]) => {
        throw block(`${name}.${key} ${describe(args)}`);
      }) as never);
    }
  }
  for (const key of ['lookup', 'resolve', 'resolve4', 'resolve6'] as const) {
    patch(dns, key, ((...args: unknown[]) => {
      throw block(`dns.${key} ${describe(args)}`);
    }) as never);
  }
  patch(dns.promises, 'lookup', (async (...args: unknown[]) => {
    throw block(`dns.promises.lookup ${describe(args)}`);
  }) as never);
  if (typeof globalThis.fetch === 'function') {
    patch(globalThis, 'fetch', (async (...args: unknown[]) => {
      throw block(`fetch ${describe(args)}`);
    }) as never);
  }
  for (const key of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
    patch(childProcess, key, ((...args: unknown[]) => {
      throw block(`child_process.${key} ${describe(args)}`);
    }) as never);
  }
  return {
    attempts,
    restore: () => {
      for (const restore of restorers.reverse()) restore();
    },
  };
}

// As a preload (`node --require .../netGuard.js`), guard the whole process and log each attempt.
const logFile = process.env.MESH_NET_LOG;
if (logFile) {
  fs.writeFileSync(logFile, '');
  installNetworkGuard((what) => fs.appendFileSync(logFile, `${what}\n`));
}

/** Every shape of remote entry kustomize and Flux accept. */
export const REMOTE_ENTRIES = [
  'https://raw.githubusercontent.com/example-org/gitops/main/mesh.yaml',
  'http://example.com/mesh.yaml',
  'github.com/example-org/gitops//appmesh?ref=v1.0.0',
  'git@github.com:example-org/gitops.git//appmesh?ref=v1',
  'ssh://git@example.com/gitops.git//appmesh',
  'git::https://example.com/gitops.git//appmesh?ref=main',
  'gitlab.com/example-org/gitops//appmesh?ref=v2',
  'bitbucket.org/example-org/gitops//appmesh',
  'https://example.com/archive.tar.gz?ref=v1',
  'example.com/org/repo//dir?ref=v3',
];
