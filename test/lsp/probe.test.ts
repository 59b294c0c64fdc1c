import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { createMeshService, DiskFileSource, Workspace } from '../../server/src/engine';
import { ProbeRequest } from '../../server/src/protocol';
import { REPO } from '../support/cases';
import { FULL_CAPABILITIES, LspClient } from '../support/lspClient';
import { nginxOrSkip, proxiedServices, startBackends, startNginx } from '../support/nginx';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

type Progress = { token: string | number; value: { kind: 'begin' | 'report' | 'end'; percentage?: number; message?: string; cancellable?: boolean } };

/** The DJ example in a temporary folder behind nginx, and the real server over stdio on it. */
async function start(
  workDoneProgress: boolean,
): Promise<{ client: LspClient; uri: string; command: string; progress: Progress[]; onProgress: (listener: (p: Progress) => void) => void }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-probe-lsp-'));
  cleanups.push(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.cpSync(path.join(REPO, 'examples', 'dj'), root, { recursive: true });
  const view = createMeshService(new Workspace(new DiskFileSource(), [root])).stageView(path.join(root, 'kustomization.yaml'))!;
  const backends = await startBackends(view.services.flatMap((s) => s.versions.map((v) => v.name)));
  cleanups.push(() => backends.close());
  const nginx = await startNginx(proxiedServices(view, 'prod', backends));
  cleanups.push(() => nginx.stop());
  const capabilities = workDoneProgress ? { ...FULL_CAPABILITIES, window: { ...FULL_CAPABILITIES.window, workDoneProgress: true } } : FULL_CAPABILITIES;
  const client = await LspClient.start(root, { capabilities, env: { example_namespace: 'prod' } });
  cleanups.push(() => client.stop());
  const progress: Progress[] = [];
  const listeners: ((p: Progress) => void)[] = [];
  // One handler per method (a second one would replace it): it records and tells the listeners.
  client.connection.onNotification('$/progress', (p: Progress) => {
    progress.push(p);
    listeners.forEach((listener) => listener(p));
  });
  const command = `curl -s -H 'Host: {host}' http://127.0.0.1:${nginx.port}/`;
  return { client, uri: client.uri(path.join(root, 'kustomization.yaml')), command, progress, onProgress: (listener) => listeners.push(listener) };
}

describe('meshKustomize/probe over stdio', () => {
  test('a dry run asks first; the run reports work-done progress and stops when cancelled', async (t) => {
    if (!nginxOrSkip(t)) return;
    const { client, uri, command, progress, onProgress } = await start(true);
    const plan = await client.connection.sendRequest(ProbeRequest, { uri, options: { command, requests: 1000 }, dryRun: true });
    assert.equal(plan.question, 'Send 1000 requests to jazz, metal in namespace prod with curl?');
    assert.equal(plan.report, undefined);
    assert.equal(progress.length, 0, 'a dry run sends nothing');

    const source = new CancellationTokenSource();
    const reported = new Promise<void>((resolve) =>
      onProgress((p) => {
        if (p.value.kind === 'report' && (p.value.percentage ?? 0) >= 5) resolve();
      }),
    );
    const running = client.connection.sendRequest(ProbeRequest, { uri, options: { command, requests: 1000 }, workDoneToken: 'probe-1' }, source.token);
    await reported;
    source.cancel();
    const result = await running;
    assert.ok(result.report, JSON.stringify(result));
    const sent = result.report.services.reduce((n, s) => n + s.sent, 0);
    assert.ok(result.report.cancelled, 'the answer says it was cancelled');
    assert.ok(sent >= 100 && sent < 1000, `stopped early: ${sent} of 2000`);
    assert.match(result.text!.at(-1)!, new RegExp(`^Cancelled after ${sent} of 2000 requests`));
    const kinds = progress.filter((p) => p.token === 'probe-1').map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.ok(kinds.filter((k) => k === 'report').length >= 5);
    assert.equal(kinds.at(-1), 'end');
    assert.equal(progress[0].value.cancellable, true);
  });

  test('without window.workDoneProgress: no $/progress, the answer alone', async (t) => {
    if (!nginxOrSkip(t)) return;
    const { client, uri, command, progress } = await start(false);
    const result = await client.connection.sendRequest(ProbeRequest, { uri, options: { command, requests: 20 }, workDoneToken: 'probe-2' });
    assert.equal(progress.length, 0);
    assert.deepEqual(
      result.report?.services.map((s) => s.summary),
      ['jazz: observed 95/5 over 20 requests, configured 95/5: consistent', 'metal: observed 95/5 over 20 requests, configured 95/5: consistent'],
    );
    const bad = await client.connection.sendRequest(ProbeRequest, { uri, options: { command: 'curl {nope}' } });
    assert.match(bad.error ?? '', /unknown placeholder \{nope\}/);
  });
});
