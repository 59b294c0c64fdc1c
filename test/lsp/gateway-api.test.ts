// The Gateway API tree (examples/dj-gateway-api) through the real server over stdio: the same
// stage lenses, moves, canary files, quick fixes and navigation the App Mesh tree has.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import {
  ClientCapabilities,
  CodeAction,
  CodeLens,
  Hover,
  InlayHint,
  Location,
  LocationLink,
  MarkupContent,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { parseKustomization } from '../../server/src/engine';
import { parseYaml } from '../../server/src/engine/yaml';
import { CommandResult } from '../../server/src/protocol';
import { materialize, REPO } from '../support/cases';
import { applyWorkspaceEdit, FULL_CAPABILITIES, LspClient } from '../support/lspClient';

const CAPABILITIES: ClientCapabilities = {
  ...FULL_CAPABILITIES,
  textDocument: {
    ...FULL_CAPABILITIES.textDocument,
    definition: { linkSupport: true },
    references: {},
    rename: { prepareSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    inlayHint: {},
  },
};

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

async function start(caseName: string): Promise<{ client: LspClient; root: string; file: (name: string) => string }> {
  const { root } = materialize(caseName);
  const client = await LspClient.start(root, { capabilities: CAPABILITIES });
  clients.push(client);
  return { client, root, file: (name) => path.join(root, name) };
}

const enabled = (file: string): string[] =>
  parseKustomization(file, parseYaml(fs.readFileSync(file, 'utf8')))
    .entries.filter((e) => e.enabled)
    .map((e) => e.value)
    .sort();

const seedEnabled = (stage: string): string[] => enabled(path.join(REPO, 'test', 'fixtures', 'cases', `gateway-${stage}`, 'kustomization.yaml'));

function request<T>(client: LspClient, method: string, file: string, extra: Record<string, unknown> = {}): Promise<T> {
  return client.connection.sendRequest(method, { textDocument: { uri: client.uri(file) }, ...extra }) as Promise<T>;
}

const at = (line: number, character: number) => ({ line, character });

function places(root: string, locations: (Location | LocationLink)[] | null): [string, number, number, number][] {
  return (locations ?? []).map((l) => {
    const uri = 'uri' in l ? l.uri : l.targetUri;
    const r = 'range' in l ? l.range : l.targetSelectionRange;
    return [path.relative(root, URI.parse(uri).fsPath), r.start.line, r.start.character, r.end.character];
  });
}

async function lensTitles(client: LspClient, file: string): Promise<string[]> {
  const lenses = (await request<CodeLens[]>(client, 'textDocument/codeLens', file)) ?? [];
  return lenses.map((l) => l.command?.title ?? '');
}

async function click(client: LspClient, file: string, title: string): Promise<CommandResult> {
  const lenses = await request<CodeLens[]>(client, 'textDocument/codeLens', file);
  const lens = lenses.find((l) => l.command?.title === title);
  assert.ok(lens?.command, `a lens "${title}" among ${JSON.stringify(lenses.map((l) => l.command?.title))}`);
  return (await client.connection.sendRequest('workspace/executeCommand', {
    command: lens.command.command,
    arguments: lens.command.arguments,
  })) as CommandResult;
}

const ROUTER = 'dj-route-v1-95-v2-5.yaml';

describe('Gateway API over stdio: stages', () => {
  test('the kustomization shows its stage, with the HTTPRoutes parent Services as service names', async () => {
    const { client, file } = await start('gateway-stage-canary-2-v2-5');
    assert.deepEqual(await lensTitles(client, file('kustomization.yaml')), [
      'Stage: canary 5 % — jazz 95/5, metal 95/5',
      'Roll back to blue',
      'Stage v2 for testing (blue/green)',
      'Switch to canary 95%',
      'Switch to green (keep v1 for rollback)',
      'Finalize green (remove v1)',
    ]);
    const routeLenses = await request<CodeLens[]>(client, 'textDocument/codeLens', file(ROUTER));
    assert.deepEqual(
      routeLenses.map((l) => [l.range.start.line, l.command?.title]),
      [
        [17, 'metal: metal-v1 95 % · metal-v2 5 %'],
        [41, 'jazz: jazz-v1 95 % · jazz-v2 5 %'],
      ],
      'a lens above the backendRefs of each rule, with its shares',
    );
  });

  test('the seed canary sequence from lenses alone, then a roll back; no error on the way', async () => {
    const { client, file } = await start('gateway-stage-canary-1-v1');
    const kustomization = file('kustomization.yaml');
    for (const [title, stage] of [
      ['Switch to canary 5%', 'stage-canary-2-v2-5'],
      ['Switch to canary 95%', 'stage-canary-3-v2-95'],
      ['Switch to green (keep v1 for rollback)', 'stage-canary-4-v2-v1-standby'],
      ['Finalize green (remove v1)', 'stage-canary-5-v2'],
      ['Roll back to blue', 'stage-canary-1-v1'],
    ]) {
      const result = await click(client, kustomization, title);
      assert.equal(result.status, 'applied', result.message);
      assert.deepEqual(enabled(kustomization), seedEnabled(stage), `${title} gives the seed's ${stage}`);
      await client.barrier(kustomization);
      const errors = [...client.published.values()].flatMap((p) => p.diagnostics).filter((d) => d.severity === 1);
      assert.deepEqual(errors, [], `no error at ${stage}`);
    }
  });

  test('set canary weight writes an HTTPRoute file with the new weights and switches to it', async () => {
    const { client, root, file } = await start('gateway-stage-canary-2-v2-5');
    const kustomization = file('kustomization.yaml');
    const created = (await client.connection.sendRequest('workspace/executeCommand', {
      command: 'meshKustomize.server.setCanaryWeight',
      arguments: [{ uri: client.uri(kustomization), version: null, percent: 20, create: true }],
    })) as CommandResult;
    assert.equal(created.status, 'applied', created.message);
    const router = fs.readFileSync(path.join(root, 'dj-route-v1-80-v2-20.yaml'), 'utf8');
    assert.match(router, /^kind: HTTPRoute$/m);
    assert.deepEqual(
      [...router.matchAll(/weight: (\d+)/g)].map((m) => Number(m[1])),
      [80, 20, 80, 20],
    );
    assert.ok(enabled(kustomization).includes('dj-route-v1-80-v2-20.yaml'));
    assert.equal((await lensTitles(client, kustomization))[0], 'Stage: canary 20 % — jazz 80/20, metal 80/20');
  });
});

describe('Gateway API over stdio: diagnostics and quick fixes', () => {
  test('a canary router with v2 stopped: errors with the share lost, and enabling v2 clears them in every file', async () => {
    const { client, file } = await start('gateway-backend-not-running');
    const kustomization = file('kustomization.yaml');
    await client.waitFor(() => client.diagnosticsOf(kustomization).length > 0, 'diagnostics of the kustomization');
    const router = client.diagnosticsOf(file(ROUTER));
    assert.deepEqual(
      router.map((d) => [d.range.start.line, d.code]),
      [
        [21, 'router-target-not-running'],
        [45, 'router-target-not-running'],
      ],
    );
    assert.match(String(router[0].message), /^5 % of metal-route's traffic gets HTTP 500\. HTTPRoute metal-route sends traffic to Service metal-v2/);
    const diagnostics = client.diagnosticsOf(kustomization);
    const actions = (await request<CodeAction[]>(client, 'textDocument/codeAction', kustomization, {
      range: diagnostics[0].range,
      context: { diagnostics },
    })) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Enable dj-metal-v2.yaml and dj-jazz-v2.yaml', 'Switch router to dj-route-v1.yaml'],
    );
    const uris = applyWorkspaceEdit(actions[0].edit as Parameters<typeof applyWorkspaceEdit>[0]);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: uris.map((uri) => ({ uri, type: 2 })) });
    await client.waitFor(() => client.diagnosticsOf(kustomization).length === 0 && client.diagnosticsOf(file(ROUTER)).length === 0, 'cleared');
    assert.deepEqual(enabled(kustomization), seedEnabled('stage-canary-2-v2-5'));
  });
});

describe('Gateway API over stdio: navigation', () => {
  test('a backendRef goes to its Service, a parentRef to the parent Service; references list every route', async () => {
    const { client, root, file } = await start('gateway-stage-canary-2-v2-5');
    const backend = await request<LocationLink[]>(client, 'textDocument/definition', file(ROUTER), { position: at(21, 19) });
    assert.deepEqual(places(root, backend), [['dj-metal-v2.yaml', 31, 8, 16]]);
    const parent = await request<LocationLink[]>(client, 'textDocument/definition', file(ROUTER), { position: at(9, 14) });
    assert.deepEqual(places(root, parent), [['dj-frontend.yaml', 46, 8, 13]]);
    const references = await request<Location[]>(client, 'textDocument/references', file('dj-metal-v2.yaml'), {
      position: at(31, 10),
      context: { includeDeclaration: false },
    });
    assert.deepEqual(places(root, references), [
      ['dj-route-v1-5-v2-95.yaml', 21, 16, 24],
      ['dj-route-v1-95-v2-5.yaml', 21, 16, 24],
      ['dj-route-v1.yaml', 21, 16, 24],
      ['dj-route-v2.yaml', 21, 16, 24],
    ]);
  });

  test('renaming a Service from a backendRef renames it and every backendRef, in one edit', async () => {
    const { client, root, file } = await start('gateway-stage-canary-2-v2-5');
    const edit = await request<WorkspaceEdit>(client, 'textDocument/rename', file(ROUTER), { position: at(21, 19), newName: 'metal-canary' });
    const changes = (edit.documentChanges ?? []) as { textDocument: { uri: string }; edits: { range: { start: { line: number } }; newText: string }[] }[];
    assert.deepEqual(
      changes.map((c) => [path.relative(root, URI.parse(c.textDocument.uri).fsPath), c.edits.map((e) => [e.range.start.line, e.newText])]),
      [
        ['dj-metal-v2.yaml', [[31, 'metal-canary']]],
        ['dj-route-v1-5-v2-95.yaml', [[21, 'metal-canary']]],
        ['dj-route-v1-95-v2-5.yaml', [[21, 'metal-canary']]],
        ['dj-route-v1.yaml', [[21, 'metal-canary']]],
        ['dj-route-v2.yaml', [[21, 'metal-canary']]],
      ],
    );
  });

  test('hover and inlay hints show each backend share of its rule', async () => {
    const { client, file } = await start('gateway-stage-canary-2-v2-5');
    const hover = await request<Hover | null>(client, 'textDocument/hover', file(ROUTER), { position: at(20, 19) });
    assert.equal(
      (hover?.contents as MarkupContent | undefined)?.value,
      '95 → 95 % of metal\n\n`metal` of HTTPRoute `metal-route`: metal-v1 95 % / metal-v2 5 %.',
    );
    const hints = await request<InlayHint[]>(client, 'textDocument/inlayHint', file(ROUTER), { range: { start: at(0, 0), end: at(200, 0) } });
    assert.deepEqual(
      hints.map((h) => [h.position.line, h.label]),
      [
        [20, ' 95 %'],
        [23, ' 5 %'],
        [44, ' 95 %'],
        [47, ' 5 %'],
      ],
    );
  });
});
