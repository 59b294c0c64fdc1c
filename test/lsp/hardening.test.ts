import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { CodeAction } from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { Validator, Workspace } from '../../server/src/engine';
import { materialize, REPO } from '../support/cases';
import { Rng } from '../support/fuzz';
import { BARE_CAPABILITIES, LspClient, StartOptions } from '../support/lspClient';
import { MemoryFileSource, readTree } from '../support/memoryFiles';
import { REMOTE_ENTRIES } from '../support/netGuard';

const clients: LspClient[] = [];
const temporary: string[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

async function start(root: string, options: StartOptions = {}): Promise<LspClient> {
  const client = await LspClient.start(root, options);
  clients.push(client);
  return client;
}

function fixture(name: string): { root: string; kustomization: string; router: string } {
  const { root } = materialize(name);
  temporary.push(root);
  return { root, kustomization: path.join(root, 'kustomization.yaml'), router: path.join(root, 'dj-mesh-router-v1-95-v2-5.yaml') };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What the engine reports for the disk under `root` with the editor's open documents on top: `file:line:col code message`. */
function engineView(root: string, open: Map<string, string> = new Map(), maxFileBytes?: number): string[] {
  const source = new MemoryFileSource([...readTree(root)].map(([rel, text]) => [path.join(root, rel), text]));
  for (const [file, text] of open) source.set(file, text);
  const diagnostics = new Validator(new Workspace(source, [root], { maxFileBytes })).diagnostics();
  return [...diagnostics]
    .flatMap(([file, list]) => list.map((d) => `${path.relative(root, file)}:${d.range.start.line}:${d.range.start.character} ${d.code} ${d.message}`))
    .sort();
}

/** The same, from what the server last published. */
function publishedView(client: LspClient, root: string): string[] {
  return [...client.published.values()]
    .flatMap((p) =>
      p.diagnostics.map(
        (d) => `${path.relative(root, URI.parse(p.uri).fsPath)}:${d.range.start.line}:${d.range.start.character} ${String(d.code)} ${d.message}`,
      ),
    )
    .sort();
}

/** The DJ kustomization at one of four states, two of them broken. */
function variant(text: string, state: number): string {
  switch (state % 4) {
    case 0:
      return text;
    case 1:
      return text.replace('- dj-app-mesh-metal-v2.yaml', '#- dj-app-mesh-metal-v2.yaml');
    case 2:
      return text.replace('#- dj-mesh-router-v2.yaml', '- dj-mesh-router-v2.yaml');
    default:
      return text.replace('- dj-app-mesh-jazz-v1.yaml', '- dj-app-mesh-jazz-v1.yml');
  }
}

describe('rapid and out-of-order changes never leave stale diagnostics', () => {
  test('100 didChange within a second: what is published at the end is what the final text gives', async () => {
    const { root, kustomization } = fixture('stage-canary-2-v2-5');
    const client = await start(root);
    const text = fs.readFileSync(kustomization, 'utf8');
    await client.openDocument(kustomization, text, 1);
    const rng = new Rng(6);
    let final: string;
    // 100 changes in a burst (a few milliseconds apart at most), as fast typing or a macro sends them.
    for (let version = 2; version <= 101; version++) {
      final = variant(text, rng.int(4));
      await client.changeDocument(kustomization, final, version);
      if (rng.chance(0.2)) await sleep(rng.int(8));
    }
    final = variant(text, 1);
    await client.changeDocument(kustomization, final, 102);
    await client.barrier(kustomization);
    const expected = engineView(root, new Map([[kustomization, final]]));
    assert.ok(expected.length > 0, 'the final text is broken, so there is something to publish');
    assert.deepEqual(publishedView(client, root), expected);
    assert.equal(client.published.get(client.uri(kustomization))?.version, 102, 'the kustomization diagnostics are for the final version');
  });

  test('file events out of order (late "deleted", early "created", duplicates): the final state on disk wins', async () => {
    const { root, kustomization, router } = fixture('stage-canary-2-v2-5');
    const client = await start(root);
    await client.barrier(kustomization);
    const text = fs.readFileSync(kustomization, 'utf8');
    const routerText = fs.readFileSync(router, 'utf8');
    const extra = path.join(root, 'dj-extra.yaml');
    const rng = new Rng(66);
    const events: { uri: string; type: number }[] = [];
    for (let round = 0; round < 20; round++) {
      fs.writeFileSync(kustomization, variant(text, rng.int(4)));
      events.push({ uri: client.uri(kustomization), type: 2 });
      if (rng.chance(0.5)) {
        fs.rmSync(router, { force: true });
        events.push({ uri: client.uri(router), type: 3 });
      } else {
        fs.writeFileSync(router, rng.chance(0.5) ? routerText : routerText.replace('weight: 5', 'weight: 50'));
        events.push({ uri: client.uri(router), type: 1 });
      }
      if (rng.chance(0.5)) {
        fs.writeFileSync(extra, 'apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\nmetadata:\n  name: extra\n');
        events.push({ uri: client.uri(extra), type: 1 });
      } else {
        fs.rmSync(extra, { force: true });
        events.push({ uri: client.uri(extra), type: 3 });
      }
    }
    // The final state: the canary router gone, v2 of metal commented out.
    fs.writeFileSync(kustomization, variant(text, 1));
    fs.rmSync(router, { force: true });
    rng.shuffle(events);
    for (let i = 0; i < events.length; i += 7) {
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: events.slice(i, i + 7) });
    }
    // Stale events for the final state arrive last, in the wrong order: a "created" for the deleted router, a "deleted" for the kustomization.
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: client.uri(router), type: 1 },
        { uri: client.uri(kustomization), type: 3 },
      ],
    });
    await client.barrier(kustomization);
    const expected = engineView(root);
    assert.ok(
      expected.some((line) => line.includes('missing-resource')),
      JSON.stringify(expected),
    );
    assert.deepEqual(publishedView(client, root), expected);
  });

  test('without client file events, rapid writes to disk end with the final state', async () => {
    const { root, kustomization } = fixture('stage-canary-2-v2-5');
    const client = await start(root, { capabilities: BARE_CAPABILITIES });
    await client.barrier(kustomization);
    const text = fs.readFileSync(kustomization, 'utf8');
    for (let i = 0; i < 50; i++) fs.writeFileSync(kustomization, variant(text, i));
    fs.writeFileSync(kustomization, variant(text, 2));
    const expected = engineView(root);
    await client.waitFor(() => publishedView(client, root).join('\n') === expected.join('\n'), 'the final state published', 15_000);
  });
});

describe('large files keep the server responsive', () => {
  test(
    'a 100,000-line open document: edited repeatedly, the server answers other requests and publishes for the final text',
    { timeout: 120_000 },
    async () => {
      const { root, kustomization } = fixture('stage-canary-2-v2-5');
      const long = path.join(root, 'dj-long-list.yaml');
      const items = Array.from({ length: 100_000 - 5 }, (_, i) => `- ${i}`);
      const text = (broken: number): string => {
        const copy = [...items];
        copy[broken] = '- [unclosed';
        return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: long\nlist:\n${copy.join('\n')}`;
      };
      fs.writeFileSync(long, text(10));
      fs.appendFileSync(kustomization, '- dj-long-list.yaml\n');
      const client = await start(root);
      await client.openDocument(long, text(10), 1);
      for (let version = 2; version <= 6; version++) await client.changeDocument(long, text(99_000 - version), version);
      // Other requests are answered meanwhile (after at most the validation under way).
      const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: client.uri(kustomization) } })) as unknown[];
      assert.ok(lenses.length > 0, 'the kustomization still gets its stage lenses');
      await client.barrier(long);
      const diagnostics = client.diagnosticsOf(long);
      assert.equal(client.published.get(client.uri(long))?.version, 6);
      assert.ok(diagnostics.length > 0 && diagnostics.every((d) => d.code === 'yaml-syntax'));
      assert.ok([99_000, 99_001].includes(diagnostics[0].range.start.line), JSON.stringify(diagnostics[0].range));
    },
  );

  test('meshKustomize.maxFileSize (megabytes): a listed file over it gets file-too-large; raising it has the file validated', { timeout: 60_000 }, async () => {
    const { root, kustomization } = fixture('stage-canary-2-v2-5');
    const big = path.join(root, 'dj-generated.yaml');
    const line = '  - name: generated-entry # with padding, padding, padding, padding\n';
    fs.writeFileSync(big, `apiVersion: v1\nkind: List\nitems:\n${line.repeat(Math.ceil((2.2 * 1024 * 1024) / line.length))}`);
    fs.appendFileSync(kustomization, '- dj-generated.yaml\n');
    let maxFileSize: unknown = undefined;
    const client = await start(root, { configuration: (item) => (item.section === 'meshKustomize' ? { maxFileSize } : null) });
    await client.barrier(kustomization);
    assert.deepEqual(
      client.diagnosticsOf(big).map((d) => [d.code, d.range.start.line, d.message]),
      [
        [
          'file-too-large',
          0,
          'This file is 2.2 MB, over the 1 MB limit (meshKustomize.maxFileSize): it is not validated, and the objects it defines are unknown to the other checks.',
        ],
      ],
    );
    maxFileSize = 3;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.barrier(kustomization);
    assert.deepEqual(client.diagnosticsOf(big), [], 'under a 3 MB limit the file is read and valid');
    maxFileSize = 0.5;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.barrier(kustomization);
    assert.match(String(client.diagnosticsOf(big)[0]?.message ?? ''), /over the 0\.5 MB limit/);

    // Clients without workspace/configuration set it in initializationOptions and didChangeConfiguration.
    const bare = await start(root, { capabilities: BARE_CAPABILITIES, initializationOptions: { settings: { maxFileSize: 4 } } });
    await bare.barrier(kustomization);
    assert.deepEqual(bare.diagnosticsOf(big), []);
    await bare.connection.sendNotification('workspace/didChangeConfiguration', { settings: { meshKustomize: { maxFileSize: 1 } } });
    await bare.waitFor(() => bare.diagnosticsOf(big).length === 1, 'file-too-large under the pushed 1 MB limit');
  });
});

describe('edits carry the document version they were computed for', () => {
  test('a quick fix for an open document names its version, so an editor refuses it once the text has changed', async () => {
    const { root, kustomization } = fixture('router-to-disabled-v2');
    const client = await start(root);
    const text = fs.readFileSync(kustomization, 'utf8');
    await client.openDocument(kustomization, text, 7);
    await client.barrier(kustomization);
    const actionsAt = async (): Promise<CodeAction[]> =>
      (await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: client.uri(kustomization) },
        range: client.diagnosticsOf(kustomization)[0].range,
        context: { diagnostics: client.diagnosticsOf(kustomization) },
      })) as CodeAction[];
    const versionsOf = (actions: CodeAction[]): (number | null)[] =>
      actions.flatMap((a) => (a.edit?.documentChanges ?? []).map((c) => ('textDocument' in c ? c.textDocument.version : null)));
    const first = await actionsAt();
    assert.ok(first.length > 0);
    assert.deepEqual([...new Set(versionsOf(first))], [7]);
    // The user types above the entries: the fixes offered now are for version 8 and its lines.
    await client.changeDocument(kustomization, `# reviewed\n${text}`, 8);
    await client.barrier(kustomization);
    const second = await actionsAt();
    assert.deepEqual([...new Set(versionsOf(second))], [8]);
    const line = (actions: CodeAction[]): number | undefined =>
      (actions[0].edit?.documentChanges?.[0] as { edits: { range: { start: { line: number } } }[] } | undefined)?.edits[0].range.start.line;
    assert.equal(line(second), (line(first) ?? -1) + 1, 'the new fix edits the moved lines');
  });
});

describe('paths outside the workspace', () => {
  test('entries climbing out or linking out are reported by the server, and nothing outside is validated', async () => {
    const { root, kustomization } = fixture('stage-canary-2-v2-5');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'mk-outside-'));
    temporary.push(outside);
    fs.writeFileSync(path.join(outside, 'secret.yaml'), 'apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\nmetadata: [unclosed\n');
    fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'linked.yaml'));
    fs.appendFileSync(kustomization, `- linked.yaml\n- ${path.relative(root, path.join(outside, 'secret.yaml'))}\n- ${path.join(outside, 'secret.yaml')}\n`);
    const client = await start(root);
    await client.barrier(kustomization);
    assert.deepEqual(
      client.diagnosticsOf(kustomization).map((d) => [d.code, String(d.message).split(':')[0]]),
      [
        ['entry-outside-workspace', 'linked.yaml leads outside the workspace through a symbolic link'],
        ['entry-outside-workspace', `${path.relative(root, path.join(outside, 'secret.yaml'))} climbs out of the workspace`],
        ['entry-outside-workspace', `${path.join(outside, 'secret.yaml')} is an absolute path outside the workspace`],
      ],
    );
    const uris = [...client.published.keys()].map((uri) => URI.parse(uri).fsPath);
    assert.deepEqual(
      uris.filter((p) => !p.startsWith(root + path.sep)),
      [],
      'nothing outside the workspace has diagnostics',
    );
    assert.deepEqual(client.diagnosticsOf(path.join(root, 'linked.yaml')), [], 'the link itself is not read either');
  });
});

describe('remote resources are never fetched', () => {
  test('the server validates a workspace full of remote entries without opening one network connection', async () => {
    const { root, kustomization } = fixture('remote-resource');
    const remotes = REMOTE_ENTRIES;
    fs.writeFileSync(kustomization, fs.readFileSync(kustomization, 'utf8').replace('resources:\n', `resources:\n${remotes.map((r) => `- ${r}`).join('\n')}\n`));
    const log = path.join(root, '..', `${path.basename(root)}-network.log`);
    temporary.push(log);
    const client = await start(root, {
      nodeArgs: ['--require', path.join(REPO, 'out', 'test', 'support', 'netGuard.js')],
      env: { MESH_NET_LOG: log },
    });
    await client.barrier(kustomization);
    assert.equal(client.diagnosticsOf(kustomization).filter((d) => d.code === 'remote-resource').length, remotes.length + 3);
    // Moves and quick fixes read the same entries.
    await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: client.uri(kustomization) },
      range: { start: { line: 0, character: 0 }, end: { line: 40, character: 0 } },
      context: { diagnostics: client.diagnosticsOf(kustomization) },
    });
    assert.ok(fs.existsSync(log), 'the preload ran in the server');
    assert.equal(fs.readFileSync(log, 'utf8'), '', 'no connection was attempted');
  });
});
