// The migration over stdio: the code actions on an App Mesh kustomization, the command that answers
// with a workspace edit creating the migrated tree (annotated for a preview), and the fallback for a
// client that cannot create files.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { ClientCapabilities, CodeAction } from 'vscode-languageserver-protocol';
import { CommandResult, ServerCommands } from '../../server/src/protocol';
import { materialize } from '../support/cases';
import { FULL_CAPABILITIES, LspClient } from '../support/lspClient';

const CREATING: ClientCapabilities = {
  ...FULL_CAPABILITIES,
  workspace: { ...FULL_CAPABILITIES.workspace, workspaceEdit: { documentChanges: true, resourceOperations: ['create'], changeAnnotationSupport: {} } },
};

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

async function start(capabilities: ClientCapabilities): Promise<{ client: LspClient; root: string; kustomization: string }> {
  const { root } = materialize('stage-canary-2-v2-5');
  const client = await LspClient.start(root, { capabilities });
  clients.push(client);
  const kustomization = path.join(root, 'kustomization.yaml');
  await client.openDocument(kustomization, fs.readFileSync(kustomization, 'utf8'));
  return { client, root, kustomization };
}

function migrate(client: LspClient, file: string, target: string, write?: boolean, dryRun?: boolean): Promise<CommandResult> {
  return client.connection.sendRequest('workspace/executeCommand', {
    command: ServerCommands.migrate,
    arguments: [{ uri: client.uri(file), target, write, dryRun }],
  }) as Promise<CommandResult>;
}

describe('migration over stdio', () => {
  test('an App Mesh kustomization offers one migration per target; running one creates the tree in a new folder, for a preview', async () => {
    const { client, root, kustomization } = await start(CREATING);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: client.uri(kustomization) },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['refactor.rewrite'] },
    })) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => [a.title, a.command?.command, (a.command?.arguments?.[0] as { target: string }).target]),
      [
        ['Migrate this rollout to Gateway API mesh mode (GAMMA: Istio or Linkerd through HTTPRoutes)…', ServerCommands.migrate, 'gamma'],
        ['Migrate this rollout to Amazon VPC Lattice (AWS Gateway API Controller)…', ServerCommands.migrate, 'lattice'],
        ["Migrate this rollout to Istio's VirtualService and DestinationRule…", ServerCommands.migrate, 'istio'],
      ],
    );
    const before = new Map(fs.readdirSync(root).map((name) => [name, fs.readFileSync(path.join(root, name), 'utf8')]));
    const preview = await migrate(client, kustomization, 'istio', undefined, true);
    assert.equal(preview.status, 'preview');
    assert.match(preview.message, /^Create 11 files in .*-istio\? No existing file is changed\.$/);
    assert.match(preview.report ?? '', /Would write 11 files/);
    assert.equal(client.appliedEdits.length, 0, 'a dry run edits nothing');
    const result = await migrate(client, kustomization, 'istio');
    assert.equal(result.status, 'applied', result.message);
    assert.match(result.report ?? '', /^## Migration to Istio's VirtualService and DestinationRule\n/);
    assert.match(result.report ?? '', /Service metal now selects app=metal/);
    const edit = client.appliedEdits.at(-1)!.edit as {
      documentChanges: { kind?: string; uri?: string; textDocument?: { uri: string; version: null } }[];
      changeAnnotations: Record<string, { needsConfirmation: boolean }>;
    };
    // No confirmation inside the edit: VS Code leaves such edits unchecked in its preview, where Apply then creates nothing.
    assert.ok(Object.values(edit.changeAnnotations).every((a) => a.needsConfirmation === false));
    // Only creations, and the text of files created by the same edit: no existing file is touched.
    const created = edit.documentChanges.filter((c) => c.kind === 'create').map((c) => c.uri);
    assert.ok(edit.documentChanges.every((c) => c.kind === 'create' || created.includes(c.textDocument!.uri)));
    for (const [name, text] of before)
      if (fs.statSync(path.join(root, name)).isFile()) assert.equal(fs.readFileSync(path.join(root, name), 'utf8'), text, `${name} is unchanged`);
    // The workspace is the kustomization's own folder: the tree goes inside it, where the editor shows it.
    const out = path.join(root, `${path.basename(root)}-istio`);
    assert.deepEqual(fs.readdirSync(out).sort(), [
      'dj-destination-rules.yaml',
      'dj-frontend.yaml',
      'dj-jazz-v1.yaml',
      'dj-jazz-v2.yaml',
      'dj-metal-v1.yaml',
      'dj-metal-v2.yaml',
      'dj-virtual-service-v1-5-v2-95.yaml',
      'dj-virtual-service-v1-95-v2-5.yaml',
      'dj-virtual-service-v1.yaml',
      'dj-virtual-service-v2.yaml',
      'kustomization.yaml',
    ]);
    assert.match(
      fs.readFileSync(path.join(out, 'kustomization.yaml'), 'utf8'),
      /\n- dj-virtual-service-v1-95-v2-5\.yaml\n#- dj-virtual-service-v1-5-v2-95\.yaml\n/,
    );
    // A second run would overwrite: refused.
    const again = await migrate(client, kustomization, 'istio');
    assert.equal(again.status, 'refused');
    assert.match(again.message, /exists, and a migration never overwrites a file/);
  });

  test('a client that cannot create files is told so, and gets the files written on an explicit second call', async () => {
    const { client, root, kustomization } = await start(FULL_CAPABILITIES);
    const first = await migrate(client, kustomization, 'gamma');
    assert.equal(first.status, 'missing');
    assert.equal(fs.existsSync(path.join(root, `${path.basename(root)}-gamma`)), false, 'nothing is written before the user asks');
    const written = await migrate(client, kustomization, 'gamma', true);
    assert.equal(written.status, 'applied', written.message);
    assert.ok(fs.existsSync(path.join(root, `${path.basename(root)}-gamma`, 'dj-route-v1-95-v2-5.yaml')));
  });

  test('a tree that is no App Mesh rollout offers no migration and refuses one', async () => {
    const { root } = materialize('gateway-stage-canary-2-v2-5');
    const client = await LspClient.start(root, { capabilities: CREATING });
    clients.push(client);
    const kustomization = path.join(root, 'kustomization.yaml');
    await client.openDocument(kustomization, fs.readFileSync(kustomization, 'utf8'));
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: client.uri(kustomization) },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['refactor.rewrite'] },
    })) as CodeAction[];
    assert.deepEqual(actions, []);
    const result = await migrate(client, kustomization, 'istio');
    assert.equal(result.status, 'refused');
    assert.match(result.message, /no App Mesh router to migrate/);
  });
});
