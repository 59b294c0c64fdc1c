import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { createMeshService, DiskFileSource, ProbeReport, StageView, Workspace } from '../../server/src/engine';
import { executeProbe, prepareProbe } from '../../server/src/probe/probe';
import { REPO } from '../support/cases';
import { Backends, fakeKubectl, Nginx, nginxOrSkip, proxiedServices, startBackends, startNginx } from '../support/nginx';

/**
 * The live split test against real parts on loopback: the DJ example's router file, through the
 * engine's stage view, weights a real nginx in front of one server per version; the CLI then probes
 * it through a template override, and through the default kubectl template with a stand-in kubectl.
 */

const CLI = path.join(REPO, 'dist', 'cli.js');
const NAMESPACE = 'prod';
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A copy of the DJ example, optionally with another router file enabled instead of the 95/5 one. */
function djCopy(router?: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-probe-'));
  cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.cpSync(path.join(REPO, 'examples', 'dj'), root, { recursive: true });
  if (router) {
    const file = path.join(root, 'kustomization.yaml');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('- dj-mesh-router-v1-95-v2-5.yaml', '#- dj-mesh-router-v1-95-v2-5.yaml').replace(`#- ${router}`, `- ${router}`));
  }
  return root;
}

function viewOf(root: string): StageView {
  const view = createMeshService(new Workspace(new DiskFileSource(), [root])).stageView(path.join(root, 'kustomization.yaml'));
  assert.ok(view);
  return view;
}

/** The backends and the proxy for a copy of the example, weighted as its router file says unless `weightOf` says otherwise. */
async function mesh(root: string, weightOf?: (version: string, percent: number) => number): Promise<{ view: StageView; backends: Backends; nginx: Nginx }> {
  const view = viewOf(root);
  const backends = await startBackends(view.services.flatMap((s) => s.versions.map((v) => v.name)));
  cleanups.push(() => backends.close());
  const nginx = await startNginx(proxiedServices(view, NAMESPACE, backends, weightOf));
  cleanups.push(() => nginx.stop());
  return { view, backends, nginx };
}

/** The CLI as a process (asynchronously: the backends answer from this one). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, 'probe', ...args], { env: { ...process.env, example_namespace: NAMESPACE, ...env } }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ status, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const overrideTemplate = (nginx: Nginx): string => `curl -s -H 'Host: {host}' http://127.0.0.1:${nginx.port}/`;

const byService = (report: ProbeReport): Record<string, Record<string, number>> =>
  Object.fromEntries(report.services.map((s) => [s.service, Object.fromEntries(s.versions.map((v) => [v.name, v.observed]))]));

describe('probe against nginx on loopback', () => {
  test('the DJ example at canary 5 %: 95/5 observed over 400 requests, consistent (template override)', async (t) => {
    if (!nginxOrSkip(t)) return;
    const root = djCopy();
    const { nginx } = await mesh(root);
    assert.match(nginx.config, /weight=95 max_fails=0;\n\s*server 127\.0\.0\.1:\d+ weight=5 /, 'the proxy is weighted from the router file');
    const run = await cli([root, '--requests', '400', '--format', 'json', '--command', overrideTemplate(nginx)]);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stderr, /^No kube context: curl is not kubectl/);
    const report = JSON.parse(run.stdout) as ProbeReport;
    // Smooth weighted round robin is deterministic: exactly 380/20 of 400.
    assert.deepEqual(byService(report), { jazz: { 'jazz-v1': 380, 'jazz-v2': 20 }, metal: { 'metal-v1': 380, 'metal-v2': 20 } });
    assert.ok(report.ok);
    assert.deepEqual(
      report.services.map((s) => s.summary),
      ['jazz: observed 95/5 over 400 requests, configured 95/5: consistent', 'metal: observed 95/5 over 400 requests, configured 95/5: consistent'],
    );
    t.diagnostic(`800 requests (400 per service) through curl and nginx in ${run.ms} ms`);
  });

  test('the default kubectl template up to the kubectl boundary, with the other canary router enabled and --context', async (t) => {
    if (!nginxOrSkip(t)) return;
    const root = djCopy('dj-mesh-router-v1-5-v2-95.yaml');
    const { nginx } = await mesh(root);
    const bin = fakeKubectl({ namespace: NAMESPACE, proxyPort: nginx.port, currentContext: 'kind-loopback' });
    cleanups.push(() => fs.rmSync(bin, { recursive: true, force: true }));
    const env = { PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    const run = await cli([root, '--requests', '200'], env);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], 'Kube context kind-loopback', 'the context comes first');
    assert.match(run.stdout, /^metal: observed 5\/95 over 200 requests, configured 5\/95: consistent$/m);
    assert.match(run.stdout, /^ {2}metal-v2 +190 +95\.0 % {2}95 % interval 91\.0–97\.3 %, configured 95 %$/m);
    t.diagnostic(`400 requests (200 per service) through the stand-in kubectl in ${run.ms} ms`);

    const withContext = fakeKubectl({ namespace: NAMESPACE, proxyPort: nginx.port, expectContext: 'staging' });
    cleanups.push(() => fs.rmSync(withContext, { recursive: true, force: true }));
    const given = await cli([root, '--requests', '20', '--context', 'staging'], { PATH: `${withContext}${path.delimiter}${process.env.PATH}` });
    assert.equal(given.status, 0, given.stdout + given.stderr);
    assert.equal(given.stdout.split('\n')[0], 'Kube context staging (given)');

    const none = fakeKubectl({ namespace: NAMESPACE, proxyPort: nginx.port });
    cleanups.push(() => fs.rmSync(none, { recursive: true, force: true }));
    const noContext = await cli([root, '--requests', '1'], { PATH: `${none}${path.delimiter}${process.env.PATH}` });
    assert.equal(noContext.stdout.split('\n')[0], 'Kubectl has no current context (error: current-context is not set)');
  });

  test('a proxy weighted 50/50 while the router file says 95/5: inconsistent, exit status 1', async (t) => {
    if (!nginxOrSkip(t)) return;
    const root = djCopy();
    const { nginx } = await mesh(root, (version) => (version.startsWith('metal') ? 50 : version.endsWith('v1') ? 95 : 5));
    const run = await cli([root, '--requests', '400', '--command', overrideTemplate(nginx)]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^jazz: observed 95\/5 over 400 requests, configured 95\/5: consistent$/m);
    assert.match(run.stdout, /^metal: observed 50\/50 over 400 requests, configured 95\/5: inconsistent$/m);
    assert.match(run.stdout, /metal-v2 +200 +50\.0 % .*configured 5 % {2}← inconsistent/);
    assert.match(run.stdout, /^NOT consistent/m);
  });

  test('a stopped backend: its requests fail and are reported with a sample, exit status 1', async (t) => {
    if (!nginxOrSkip(t)) return;
    const root = djCopy();
    const { nginx, backends } = await mesh(root);
    await backends.stop('metal-v2');
    const run = await cli([root, '--requests', '200', '--format', 'json', '--command', overrideTemplate(nginx)]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    const report = JSON.parse(run.stdout) as ProbeReport;
    const metal = report.services.find((s) => s.service === 'metal')!;
    assert.equal(metal.failed, 10, '5 % of 200 went to the stopped version');
    assert.match(metal.failureSamples[0], /^no version in the answer: .*502 Bad Gateway/);
    assert.equal(report.services.find((s) => s.service === 'jazz')!.failed, 0);

    // A command that cannot reach anything: curl's exit status and message.
    const closed = await cli([root, '--requests', '3', '--format', 'json', '--command', `curl -sS http://127.0.0.1:1/`]);
    const failed = JSON.parse(closed.stdout) as ProbeReport;
    assert.equal(closed.status, 1);
    assert.match(failed.services[0].failureSamples[0], /^exit status 7: curl: \(7\) Failed to connect/);
  });

  test('cancellation stops early and reports what came back', async (t) => {
    if (!nginxOrSkip(t)) return;
    const root = djCopy();
    const { nginx } = await mesh(root);
    const service = createMeshService(new Workspace(new DiskFileSource(), [root]));
    const prepared = await prepareProbe(
      service,
      path.join(root, 'kustomization.yaml'),
      { command: overrideTemplate(nginx), requests: 1000, concurrency: 4 },
      {
        example_namespace: NAMESPACE,
      },
    );
    assert.ok(!('error' in prepared), JSON.stringify(prepared));
    const controller = new AbortController();
    let progressed = 0;
    const report = await executeProbe(prepared, {
      signal: controller.signal,
      onProgress: (done) => {
        progressed = done;
        if (done === 100) controller.abort();
      },
    });
    const sent = report.services.reduce((n, s) => n + s.sent, 0);
    assert.ok(report.cancelled && !report.ok);
    assert.equal(sent, progressed);
    assert.ok(sent >= 100 && sent < 110, `stopped soon after 100 of 2000: ${sent}`);
    assert.equal(
      report.services.reduce((n, s) => n + s.failed, 0),
      0,
      'the killed requests are not counted as failures',
    );
  });
});
