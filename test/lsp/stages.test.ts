import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { CodeAction, CodeLens } from 'vscode-languageserver-protocol/node';
import { parseKustomization } from '../../server/src/engine';
import { parseYaml } from '../../server/src/engine/yaml';
import { ClientCommands, CommandResult, StageView, StageViewRequest } from '../../server/src/protocol';
import { materialize, REPO } from '../support/cases';
import { applyWorkspaceEdit, FULL_CAPABILITIES, LspClient } from '../support/lspClient';

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

async function start(caseName: string, capabilities = FULL_CAPABILITIES): Promise<{ client: LspClient; root: string; kustomization: string }> {
  const { root } = materialize(caseName);
  const client = await LspClient.start(root, { capabilities });
  clients.push(client);
  return { client, root, kustomization: path.join(root, 'kustomization.yaml') };
}

const enabled = (file: string): string[] =>
  parseKustomization(file, parseYaml(fs.readFileSync(file, 'utf8')))
    .entries.filter((e) => e.enabled)
    .map((e) => e.value)
    .sort();

const seedEnabled = (caseName: string): string[] => enabled(path.join(REPO, 'test', 'fixtures', 'cases', caseName, 'kustomization.yaml'));

async function lenses(client: LspClient, file: string): Promise<CodeLens[]> {
  return (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: client.uri(file) } })) as CodeLens[];
}

/** Clicks the lens with that title, as a user would, and waits for the server's edit to land. */
async function click(client: LspClient, file: string, title: string): Promise<CommandResult> {
  const all = await lenses(client, file);
  const lens = all.find((l) => l.command?.title === title);
  assert.ok(lens?.command, `a lens "${title}" among ${JSON.stringify(all.map((l) => l.command?.title))}`);
  const edits = client.appliedEdits.length;
  const result = (await client.connection.sendRequest('workspace/executeCommand', {
    command: lens.command.command,
    arguments: lens.command.arguments,
  })) as CommandResult;
  if (result.status === 'applied') assert.equal(client.appliedEdits.length, edits + 1, 'the move came back as one workspace/applyEdit');
  return result;
}

describe('stage lenses and commands over stdio', () => {
  test('a kustomization shows its stage and one lens per reachable move', async () => {
    const { client, kustomization } = await start('stage-canary-2-v2-5');
    const titles = (await lenses(client, kustomization)).map((l) => [l.command?.title, l.command?.command, l.range.start.line]);
    assert.deepEqual(titles, [
      ['Stage: canary 5 % — jazz 95/5, metal 95/5', 'meshKustomize.server.showStage', 3],
      ['Roll back to blue', 'meshKustomize.server.moveStage', 3],
      ['Stage v2 for testing (blue/green)', 'meshKustomize.server.moveStage', 3],
      ['Switch to canary 95%', 'meshKustomize.server.moveStage', 3],
      ['Switch to green (keep v1 for rollback)', 'meshKustomize.server.moveStage', 3],
      ['Finalize green (remove v1)', 'meshKustomize.server.moveStage', 3],
    ]);
    const router = path.join(path.dirname(kustomization), 'dj-mesh-router-v1.yaml');
    assert.deepEqual(await lenses(client, router), [], 'no lenses outside kustomization files');
  });

  test('a client that can list the moves itself gets the next move, the roll back and "More…", along the whole canary path', async () => {
    const { root } = materialize('stage-canary-1-v1');
    const client = await LspClient.start(root, { capabilities: FULL_CAPABILITIES, initializationOptions: { clientCommands: [ClientCommands.showMoves] } });
    clients.push(client);
    const kustomization = path.join(root, 'kustomization.yaml');
    const titles = async (): Promise<string[]> => (await lenses(client, kustomization)).map((l) => l.command?.title ?? '');
    // Blue: nothing to roll back to; the next move is staging v2.
    assert.deepEqual(await titles(), ['Stage: blue — jazz 100/0, metal 100/0', 'Stage v2 for testing (blue/green)', 'More…']);
    const more = (await lenses(client, kustomization)).at(-1)!.command!;
    assert.deepEqual([more.command, more.arguments], [ClientCommands.showMoves, []]);
    const walk: [string, string[]][] = [
      ['Stage v2 for testing (blue/green)', ['Stage: blue/green — jazz 100/0, metal 100/0', 'Switch to canary 5%', 'Roll back to blue', 'More…']],
      ['Switch to canary 5%', ['Stage: canary 5 % — jazz 95/5, metal 95/5', 'Switch to canary 95%', 'Roll back to blue', 'More…']],
      ['Switch to canary 95%', ['Stage: canary 95 % — jazz 5/95, metal 5/95', 'Switch to green (keep v1 for rollback)', 'Roll back to blue', 'More…']],
      [
        'Switch to green (keep v1 for rollback)',
        ['Stage: green with rollback — jazz 0/100, metal 0/100', 'Finalize green (remove v1)', 'Roll back to blue', 'More…'],
      ],
      ['Finalize green (remove v1)', ['Stage: green final — jazz 0/100, metal 0/100', 'Roll back to blue', 'More…']],
    ];
    for (const [move, expected] of walk) {
      assert.equal((await click(client, kustomization, move)).status, 'applied', move);
      await client.waitFor(() => true, 'settled');
      await client.settle();
      assert.deepEqual(await titles(), expected, `after ${move}`);
    }
  });

  test('any client can ask for the rollout as data (meshKustomize/stageView): versions, shares, whether each runs, the path', async () => {
    const { client, kustomization } = await start('stage-canary-2-v2-5');
    const router = path.join(path.dirname(kustomization), 'dj-mesh-router-v1-95-v2-5.yaml');
    const view = (await client.connection.sendRequest(StageViewRequest.method, { uri: client.uri(router) })) as StageView;
    assert.equal(view.kustomization, kustomization, 'a file of the directory leads to its kustomization');
    assert.deepEqual(
      view.services.map((s) => [s.name, s.versions.map((v) => `${v.name} ${v.percent} % ${v.running ? 'running' : 'stopped'}`)]),
      [
        ['jazz', ['jazz-v1 95 % running', 'jazz-v2 5 % running']],
        ['metal', ['metal-v1 95 % running', 'metal-v2 5 % running']],
      ],
    );
    assert.deepEqual(view.path.find((p) => p.current)?.name, 'canary 5 %');
    assert.equal(
      await client.connection.sendRequest(StageViewRequest.method, { uri: client.uri(path.join(path.dirname(path.dirname(kustomization)), 'elsewhere.yaml')) }),
      null,
    );
  });

  test('the seed canary sequence, from lenses alone, then a roll back', async () => {
    const { client, kustomization } = await start('stage-canary-1-v1');
    const steps: [string, string][] = [
      ['Switch to canary 5%', 'stage-canary-2-v2-5'],
      ['Switch to canary 95%', 'stage-canary-3-v2-95'],
      ['Switch to green (keep v1 for rollback)', 'stage-canary-4-v2-v1-standby'],
      ['Finalize green (remove v1)', 'stage-canary-5-v2'],
      ['Roll back to blue', 'stage-canary-1-v1'],
    ];
    for (const [title, stage] of steps) {
      const result = await click(client, kustomization, title);
      assert.equal(result.status, 'applied', result.message);
      assert.deepEqual(enabled(kustomization), seedEnabled(stage), `${title} gives the seed's ${stage}`);
    }
    await client.waitFor(() => client.diagnosticsOf(kustomization).length === 0, 'no diagnostics after the walk');
  });

  test('the seed blue/green sequence, from lenses alone', async () => {
    const { client, kustomization } = await start('stage-bluegreen-1-blue');
    const original = fs.readFileSync(kustomization, 'utf8');
    for (const [title, stage] of [
      ['Stage v2 for testing (blue/green)', 'stage-bluegreen-2-blue-green'],
      ['Switch to green (keep v1 for rollback)', 'stage-bluegreen-3-green-v1-standby'],
      ['Finalize green (remove v1)', 'stage-bluegreen-4-green'],
      ['Roll back to blue', 'stage-bluegreen-1-blue'],
    ]) {
      assert.equal((await click(client, kustomization, title)).status, 'applied');
      assert.deepEqual(enabled(kustomization), seedEnabled(stage), title);
    }
    assert.equal(fs.readFileSync(kustomization, 'utf8'), original, 'back at blue, the file is byte for byte what it was');
  });

  test('a move computed for an older version of the open document is refused, not applied', async () => {
    const { client, kustomization } = await start('stage-canary-2-v2-5');
    const text = fs.readFileSync(kustomization, 'utf8');
    await client.openDocument(kustomization, text, 1);
    const lens = (await lenses(client, kustomization)).find((l) => l.command?.title === 'Switch to canary 95%')!;
    await client.changeDocument(kustomization, `${text}# reviewed\n`, 2);
    const result = (await client.connection.sendRequest('workspace/executeCommand', {
      command: lens.command!.command,
      arguments: lens.command!.arguments,
    })) as CommandResult;
    assert.equal(result.status, 'refused');
    assert.match(result.message, /changed since this move was offered/);
    assert.equal(client.appliedEdits.length, 0);
  });

  test('edits carry the document version when the client takes documentChanges, plain changes otherwise', async () => {
    const versioned = await start('stage-canary-2-v2-5');
    await versioned.client.openDocument(versioned.kustomization, fs.readFileSync(versioned.kustomization, 'utf8'), 7);
    versioned.client.applyEditsToDisk = false;
    await click(versioned.client, versioned.kustomization, 'Switch to canary 95%');
    const edit = versioned.client.appliedEdits[0].edit as { documentChanges: { textDocument: { version: number } }[] };
    assert.equal(edit.documentChanges[0].textDocument.version, 7);

    const plain = await start('stage-canary-2-v2-5', { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, workspaceEdit: {} } });
    await click(plain.client, plain.kustomization, 'Switch to canary 95%');
    const plainEdit = plain.client.appliedEdits[0].edit as { changes: Record<string, unknown[]> };
    assert.deepEqual(Object.keys(plainEdit.changes), [plain.client.uri(plain.kustomization)]);
    assert.deepEqual(enabled(plain.kustomization), seedEnabled('stage-canary-3-v2-95'));
  });

  test('set canary weight: proposes a router file for a new split, creates it on request, and switches to it', async () => {
    const { client, root, kustomization } = await start('stage-canary-2-v2-5');
    const args = { uri: client.uri(kustomization), version: null, percent: 20, create: false };
    const proposal = (await client.connection.sendRequest('workspace/executeCommand', {
      command: 'meshKustomize.server.setCanaryWeight',
      arguments: [args],
    })) as CommandResult;
    assert.equal(proposal.status, 'missing');
    assert.deepEqual(proposal.proposal, { file: 'dj-mesh-router-v1-80-v2-20.yaml', template: 'dj-mesh-router-v1-95-v2-5.yaml' });
    assert.equal(fs.existsSync(path.join(root, 'dj-mesh-router-v1-80-v2-20.yaml')), false, 'nothing is written without the explicit request');

    const created = (await client.connection.sendRequest('workspace/executeCommand', {
      command: 'meshKustomize.server.setCanaryWeight',
      arguments: [{ ...args, create: true }],
    })) as CommandResult;
    assert.equal(created.status, 'applied', created.message);
    const router = fs.readFileSync(path.join(root, 'dj-mesh-router-v1-80-v2-20.yaml'), 'utf8');
    assert.deepEqual(
      [...router.matchAll(/weight: (\d+)/g)].map((m) => Number(m[1])),
      [80, 20, 80, 20],
    );
    assert.ok(enabled(kustomization).includes('dj-mesh-router-v1-80-v2-20.yaml'));
    assert.ok(!enabled(kustomization).includes('dj-mesh-router-v1-95-v2-5.yaml'));
    const labels = (await lenses(client, kustomization)).map((l) => l.command?.title);
    assert.equal(labels[0], 'Stage: canary 20 % — jazz 80/20, metal 80/20');

    const existing = (await client.connection.sendRequest('workspace/executeCommand', {
      command: 'meshKustomize.server.setCanaryWeight',
      arguments: [{ ...args, percent: 95 }],
    })) as CommandResult;
    assert.equal(existing.status, 'applied');
    assert.ok(enabled(kustomization).includes('dj-mesh-router-v1-5-v2-95.yaml'));
  });
});

describe('quick fixes over stdio', () => {
  async function actionsFor(client: LspClient, file: string, only?: string[]): Promise<CodeAction[]> {
    await client.waitFor(() => client.diagnosticsOf(file).length > 0, `diagnostics of ${path.basename(file)}`);
    const diagnostics = client.diagnosticsOf(file);
    return (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: client.uri(file) },
      range: diagnostics[0].range,
      context: { diagnostics, only },
    })) as CodeAction[];
  }

  async function applyAction(client: LspClient, action: CodeAction): Promise<void> {
    const uris = applyWorkspaceEdit(action.edit as Parameters<typeof applyWorkspaceEdit>[0]);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: uris.map((uri) => ({ uri, type: 2 })) });
  }

  test('router to versions that are not running: enabling them clears the errors in every file', async () => {
    const { client, root, kustomization } = await start('router-to-disabled-v2');
    const actions = await actionsFor(client, kustomization);
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Enable dj-app-mesh-metal-v2.yaml and dj-app-mesh-jazz-v2.yaml', 'Switch router to dj-mesh-router-v1.yaml'],
    );
    assert.equal(actions[0].kind, 'quickfix');
    assert.equal(actions[0].diagnostics?.[0].code, 'router-target-not-running');
    await applyAction(client, actions[0]);
    const router = path.join(root, 'dj-mesh-router-v1-95-v2-5.yaml');
    await client.waitFor(() => client.diagnosticsOf(kustomization).length === 0 && client.diagnosticsOf(router).length === 0, 'cleared');
    assert.deepEqual(enabled(kustomization), seedEnabled('stage-canary-2-v2-5'));
  });

  test('two routers enabled: "Keep only" leaves one', async () => {
    const { client, kustomization } = await start('two-routers-enabled');
    const actions = await actionsFor(client, kustomization);
    const keep = actions.find((a) => a.title === 'Keep only dj-mesh-router-v1.yaml');
    assert.ok(keep, JSON.stringify(actions.map((a) => a.title)));
    await applyAction(client, keep);
    await client.waitFor(() => client.diagnosticsOf(kustomization).every((d) => d.code !== 'duplicate-object'), 'duplicates cleared');
  });

  test('source.fixAll applies the safe fixes only', async () => {
    const { client, kustomization } = await start('router-file-name-typo');
    const actions = await actionsFor(client, kustomization, ['source.fixAll']);
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind]),
      [['Mesh Kustomize: fix all safe problems', 'source.fixAll.meshKustomize']],
    );
    await applyAction(client, actions[0]);
    await client.waitFor(() => client.diagnosticsOf(kustomization).length === 0, 'typo fixed');
    assert.ok(enabled(kustomization).includes('dj-mesh-router-v1-95-v2-5.yaml'));
  });
});
