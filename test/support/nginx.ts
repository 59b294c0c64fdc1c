import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestContext } from 'node:test';
import { StageView } from '../../server/src/engine';

/**
 * A loopback stand-in for a mesh: one small HTTP server per version that answers as the DJ
 * backends do (`["metal-v1", "Megadeth","Judas Priest"]`), behind a real nginx that splits each
 * service's traffic by weight (smooth weighted round robin) and picks the service by Host.
 */

/** Whether nginx runs here; without it the tests skip, except under CI, where they fail. */
export function nginxOrSkip(t: TestContext): boolean {
  if (spawnSync('nginx', ['-v'], { stdio: 'ignore' }).status === 0) return true;
  const why = 'nginx is not installed (apt-get install nginx-light): the live split tests need a real weighted proxy';
  if (process.env.CI === 'true') throw new Error(`${why}; under CI they must run`);
  t.skip(why);
  return false;
}

export interface Backends {
  port(version: string): number;
  /** Stops one version's server: the proxy then gets connection errors from it. */
  stop(version: string): Promise<void>;
  close(): Promise<void>;
}

/** One server per version on 127.0.0.1, answering its own name first, as the DJ backends do. */
export async function startBackends(versions: readonly string[]): Promise<Backends> {
  const servers = new Map<string, http.Server>();
  const ports = new Map<string, number>();
  for (const version of versions) {
    const server = http.createServer((_, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify([version, 'Band One', 'Band Two']));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.set(version, server);
    ports.set(version, (server.address() as net.AddressInfo).port);
  }
  const stop = (version: string): Promise<void> =>
    new Promise((resolve) => {
      const server = servers.get(version);
      servers.delete(version);
      if (!server) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    port: (version) => ports.get(version)!,
    stop,
    close: async () => {
      await Promise.all([...servers.keys()].map(stop));
    },
  };
}

export interface ProxiedService {
  /** The Host the proxy picks the service by. */
  host: string;
  /** Upstream servers and their nginx weights (1 or more; a version at 0 % is left out). */
  upstream: { port: number; weight: number }[];
}

/** The services of a stage view as the mesh would route them: each version's backend weighted by its share under the enabled router. */
export function proxiedServices(
  view: StageView,
  namespace: string,
  backends: Backends,
  weightOf = (_: string, percent: number): number => percent,
): ProxiedService[] {
  return view.services.map((service) => ({
    host: `${service.name}.${namespace}.svc.cluster.local`,
    upstream: service.versions.map((v) => ({ port: backends.port(v.name), weight: weightOf(v.name, v.percent ?? 0) })).filter((u) => u.weight > 0),
  }));
}

export interface Nginx {
  port: number;
  config: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** nginx as a child in the foreground, everything it writes in a temporary folder, listening on a free loopback port. */
export async function startNginx(services: readonly ProxiedService[]): Promise<Nginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-nginx-'));
  const port = await freePort();
  const upstreams = services.map(
    (s, i) => `  upstream service${i} {\n${s.upstream.map((u) => `    server 127.0.0.1:${u.port} weight=${u.weight} max_fails=0;`).join('\n')}\n  }`,
  );
  const servers = services.map(
    // No retry on the next upstream: a stopped version's requests must fail, as they would in a mesh without retries.
    (s, i) =>
      `  server {\n    listen 127.0.0.1:${port};\n    server_name ${s.host};\n    location / { proxy_pass http://service${i}; proxy_next_upstream off; }\n  }`,
  );
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${path.join(dir, kind)};`);
  const config = [
    `pid ${path.join(dir, 'nginx.pid')};`,
    `error_log ${path.join(dir, 'error.log')} warn;`,
    'worker_processes 1;',
    'events { worker_connections 512; }',
    'http {',
    '  access_log off;',
    ...temp,
    ...upstreams,
    ...servers,
    `  server {\n    listen 127.0.0.1:${port} default_server;\n    return 404 "no such service\\n";\n  }`,
    '}',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'nginx.conf'), config);
  const child: ChildProcess = spawn('nginx', ['-p', dir, '-c', 'nginx.conf', '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}${readIfThere(path.join(dir, 'error.log'))}`);
    if (await accepts(port)) break;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${port}: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    config,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readIfThere(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A folder with a `kubectl` that stands in for the cluster boundary: it checks the arguments the
 * default template gives (`exec -n NAMESPACE deploy/dj -c dj --`, with `--context` when expected),
 * strips them and runs the rest (curl) against the proxy; `config current-context` names a context.
 */
export function fakeKubectl(options: { namespace: string; proxyPort: number; currentContext?: string; expectContext?: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-kubectl-'));
  const script = [
    '#!/bin/sh',
    options.expectContext
      ? `if [ "$1" != --context ] || [ "$2" != '${options.expectContext}' ]; then echo "fake kubectl: expected --context ${options.expectContext}: $*" >&2; exit 64; fi; shift 2`
      : `if [ "$1" = --context ]; then echo "fake kubectl: unexpected --context" >&2; exit 64; fi`,
    'if [ "$1 $2" = "config current-context" ]; then',
    options.currentContext ? `  echo '${options.currentContext}'; exit 0` : '  echo "error: current-context is not set" >&2; exit 1',
    'fi',
    `if [ "$1" != exec ] || [ "$2" != -n ] || [ "$3" != '${options.namespace}' ] || [ "$4" != deploy/dj ] || [ "$5" != -c ] || [ "$6" != dj ] || [ "$7" != -- ]; then`,
    '  echo "fake kubectl: unexpected arguments: $*" >&2; exit 64',
    'fi',
    'shift 7',
    // Inside the pod, curl reaches the service's host and port; here, that host at the proxy.
    'program="$1"; shift',
    `exec "$program" --connect-to ::127.0.0.1:${options.proxyPort} "$@"`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dir, 'kubectl'), script, { mode: 0o755 });
  return dir;
}
