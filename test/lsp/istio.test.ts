// The Istio tree (examples/reviews-istio) through the real server over stdio: stage lenses and every
// move they offer, the canary weight command, navigation over hosts and subsets, weight hovers and hints.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { ClientCapabilities, CodeLens, Hover, InlayHint, Location, LocationLink, MarkupContent, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { parseKustomization } from '../../server/src/engine';
import { parseYaml } from '../../server/src/engine/yaml';
import { CommandResult, StagesRequest } from '../../server/src/protocol';
import { copyTree, REPO } from '../support/cases';
import { FULL_CAPABILITIES, LspClient } from '../support/lspClient';

const EXAMPLE = path.join(REPO, 'examples', 'reviews-istio');

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

async function start(): Promise<{ client: LspClient; root: string; file: (name: string) => string; kustomization: string }> {
  const root = copyTree(EXAMPLE);
  const client = await LspClient.start(root, { capabilities: CAPABILITIES });
  clients.push(client);
  return { client, root, file: (name) => path.join(root, name), kustomization: path.join(root, 'kustomization.yaml') };
}

const enabled = (file: string): string[] =>
  parseKustomization(file, parseYaml(fs.readFileSync(file, 'utf8')))
    .entries.filter((e) => e.enabled)
    .map((e) => e.value)
    .sort();

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
  return ((await request<CodeLens[]>(client, 'textDocument/codeLens', file)) ?? []).map((l) => l.command?.title ?? '');
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

/** Error diagnostics of every file, once the server has validated what is on disk now. */
async function errors(client: LspClient, kustomization: string): Promise<string[]> {
  await client.barrier(kustomization);
  return [...client.published.values()].flatMap((p) =>
    p.diagnostics.filter((d) => d.severity === 1).map((d) => `${path.basename(URI.parse(p.uri).fsPath)}:${d.range.start.line} ${String(d.code)}`),
  );
}

/** The reviews Deployments a kustomization enables: which versions run. */
const runningVersions = (kustomization: string): string[] => enabled(kustomization).flatMap((e) => /^reviews-(v\d)\.yaml$/.exec(e)?.[1] ?? []);

/**
 * What a move's title promises: the stage label it must land on and the versions that then run.
 * Each title the server offers must be one of these shapes, so a new or renamed move fails here.
 */
function promised(title: string): { label: RegExp; running: string[] } {
  const exact = (text: string): RegExp => new RegExp(`^${text.replace(/[()/.]/g, '\\$&')}$`);
  let m: RegExpExecArray | null;
  if ((m = /^Switch to blue \((v\d) only\)$/.exec(title))) return { label: new RegExp(`^Stage: blue \\(${m[1]}\\) — reviews 100/0$`), running: [m[1]] };
  if ((m = /^Stage (v\d) for testing \(blue\/green with (v\d)\)$/.exec(title)))
    return { label: exact(`Stage: blue/green (${m[2]} → ${m[1]}) — reviews 100/0`), running: [m[2], m[1]].sort() };
  if ((m = /^Switch to canary (\d+)% \((v\d) → (v\d)\)$/.exec(title))) {
    const percent = Number(m[1]);
    return { label: exact(`Stage: canary ${percent} % (${m[2]} → ${m[3]}) — reviews ${100 - percent}/${percent}`), running: [m[2], m[3]].sort() };
  }
  if ((m = /^Switch to green (v\d) \(keep (v\d) for rollback\)$/.exec(title)))
    return { label: exact(`Stage: green with rollback (${m[2]} → ${m[1]}) — reviews 0/100`), running: [m[2], m[1]].sort() };
  // Once only the new version runs, the stage cannot tell which one came before: any is named.
  if ((m = /^Finalize green (v\d) \(remove (v\d)\)$/.exec(title)))
    return { label: new RegExp(`^Stage: green final \\(${m[1]}\\) — reviews 0/100$`), running: [m[1]] };
  assert.fail(`a move this test does not know: ${title}`);
}

describe('Istio over stdio: stages', () => {
  test('the kustomization shows its stage between two of three generations, and each VirtualService rule its shares by subset', async () => {
    const { client, file, kustomization } = await start();
    const titles = await lensTitles(client, kustomization);
    assert.equal(titles[0], 'Stage: canary 20 % (v1 → v2) — reviews 80/20');
    assert.ok(titles.includes('Switch to canary 50% (v1 → v3)') && titles.includes('Switch to blue (v1 only)'), JSON.stringify(titles));
    const routeLenses = await request<CodeLens[]>(client, 'textDocument/codeLens', file('virtual-service-reviews-80-20.yaml'));
    assert.deepEqual(
      routeLenses.map((l) => [l.range.start.line, l.command?.title]),
      [[9, 'reviews: reviews/v1 80 % · reviews/v2 20 %']],
    );
  });

  test('all-v1 → 80/20 → 50/50 (v1 → v3) → v3 keeping v1 → v3 final; every move offered on the way lands where it says, without an error', async () => {
    const { client, kustomization } = await start();
    const seed = enabled(kustomization);
    // The walk starts at all-v1: the seed with v2 and its split commented out, all-v1 enabled.
    const allV1 = fs
      .readFileSync(kustomization, 'utf8')
      .replace('- reviews-v2.yaml', '#- reviews-v2.yaml')
      .replace('#- virtual-service-reviews-all-v1.yaml', '- virtual-service-reviews-all-v1.yaml')
      .replace('- virtual-service-reviews-80-20.yaml', '#- virtual-service-reviews-80-20.yaml');
    const write = async (text: string): Promise<void> => {
      fs.writeFileSync(kustomization, text);
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri(kustomization), type: 2 }] });
    };
    // First without the reviews Service: the errors a bad move would leave are seen.
    await write(allV1.replace('- reviews-service.yaml', '#- reviews-service.yaml'));
    const missing = await errors(client, kustomization);
    assert.ok(missing.includes('virtual-service-reviews-all-v1.yaml:11 router-target-not-running'), JSON.stringify(missing));
    await write(allV1);
    assert.equal((await lensTitles(client, kustomization))[0], 'Stage: blue (v1) — reviews 100/0');
    assert.deepEqual(await errors(client, kustomization), []);

    const walk = [
      'Switch to canary 20% (v1 → v2)',
      'Switch to canary 50% (v1 → v3)',
      'Switch to green v3 (keep v1 for rollback)',
      'Finalize green v3 (remove v1)',
    ];
    let tried = 0;
    for (const step of [...walk, undefined]) {
      const before = fs.readFileSync(kustomization, 'utf8');
      const [stage, ...moves] = await lensTitles(client, kustomization);
      assert.ok(moves.length >= 5, `moves at ${stage}: ${JSON.stringify(moves)}`);
      for (const move of moves) {
        const result = await click(client, kustomization, move);
        assert.equal(result.status, 'applied', `${move} at ${stage}: ${result.message}`);
        const { label, running } = promised(move);
        assert.match((await lensTitles(client, kustomization))[0], label, `${move} at ${stage}`);
        assert.deepEqual(runningVersions(kustomization), running, `${move} at ${stage}: the versions that run`);
        assert.deepEqual(await errors(client, kustomization), [], `${move} at ${stage}`);
        tried++;
        // Back to the stage of the walk for the next move.
        await write(before);
        assert.equal((await lensTitles(client, kustomization))[0], stage);
      }
      if (!step) break;
      assert.ok(moves.includes(step), `${step} is offered at ${stage}`);
      assert.equal((await click(client, kustomization, step)).status, 'applied');
      if (step === walk[0]) assert.deepEqual(enabled(kustomization), seed, 'canary 20 % from all-v1 is the example as shipped');
    }
    assert.equal((await lensTitles(client, kustomization))[0], 'Stage: green final (v3) — reviews 0/100');
    assert.deepEqual(
      enabled(kustomization).filter((e) => e.startsWith('virtual-service') || e.startsWith('reviews-v')),
      ['reviews-v3.yaml', 'virtual-service-reviews-v3.yaml'],
    );
    assert.ok(tried >= 30, `${tried} moves tried`);
  });

  test('"Set canary weight" writes a VirtualService with the asked split of the two subsets, which the kustomization then enables', async () => {
    const { client, root, kustomization } = await start();
    // As the palette command does: the stage of the kustomization, then the proposal, then the file on request.
    const [stage] = await client.connection.sendRequest(StagesRequest, {});
    assert.equal(stage.uri, client.uri(kustomization));
    const args = { uri: stage.uri, version: stage.version, percent: 30, create: false };
    const proposal = (await client.connection.sendRequest('workspace/executeCommand', {
      command: 'meshKustomize.server.setCanaryWeight',
      arguments: [args],
    })) as CommandResult;
    assert.equal(proposal.status, 'missing', proposal.message);
    assert.deepEqual(proposal.proposal, { file: 'virtual-service-reviews-70-30.yaml', template: 'virtual-service-reviews-80-20.yaml' });
    const created = (await client.connection.sendRequest('workspace/executeCommand', {
      command: 'meshKustomize.server.setCanaryWeight',
      arguments: [{ ...args, create: true }],
    })) as CommandResult;
    assert.equal(created.status, 'applied', created.message);
    const written = fs.readFileSync(path.join(root, 'virtual-service-reviews-70-30.yaml'), 'utf8');
    assert.deepEqual(
      [...written.matchAll(/subset: (v\d)\n\s+weight: (\d+)/g)].map((m) => [m[1], Number(m[2])]),
      [
        ['v1', 70],
        ['v2', 30],
      ],
    );
    assert.ok(enabled(kustomization).includes('virtual-service-reviews-70-30.yaml'));
    assert.ok(!enabled(kustomization).includes('virtual-service-reviews-80-20.yaml'));
    assert.equal((await lensTitles(client, kustomization))[0], 'Stage: canary 30 % (v1 → v2) — reviews 70/30');
    assert.deepEqual(await errors(client, kustomization), []);
  });
});

describe('Istio over stdio: the palette', () => {
  test('"Show stage moves" lists the moves the lenses offer, each naming its two versions, and the one picked applies', async () => {
    const { client, kustomization } = await start();
    const [stage] = await client.connection.sendRequest(StagesRequest, { activeUri: client.uri(kustomization) });
    const titles = await lensTitles(client, kustomization);
    assert.equal(stage.label, titles[0]);
    assert.deepEqual(
      stage.moves.map((m) => m.title),
      titles.slice(1),
    );
    const picked = stage.moves.find((m) => m.title === 'Switch to canary 50% (v1 → v3)');
    assert.deepEqual(picked?.target, { kind: 'canary', percent: 50, from: 'v1', to: 'v3' });
    const result = (await client.connection.sendRequest('workspace/executeCommand', {
      command: 'meshKustomize.server.moveStage',
      arguments: [{ uri: stage.uri, version: stage.version, target: picked!.target }],
    })) as CommandResult;
    assert.equal(result.status, 'applied', result.message);
    assert.equal((await lensTitles(client, kustomization))[0], 'Stage: canary 50 % (v1 → v3) — reviews 50/50');
    assert.deepEqual(runningVersions(kustomization), ['v1', 'v3']);
  });
});

describe('Istio over stdio: navigation', () => {
  const ROUTE = 'virtual-service-reviews-80-20.yaml';

  test('a destination host goes to its Service; references of the Service are every host naming it', async () => {
    const { client, root, file } = await start();
    const definition = await request<LocationLink[]>(client, 'textDocument/definition', file(ROUTE), { position: at(11, 20) });
    assert.deepEqual(places(root, definition), [['reviews-service.yaml', 5, 8, 15]]);
    const references = await request<Location[]>(client, 'textDocument/references', file('reviews-service.yaml'), {
      position: at(5, 10),
      context: { includeDeclaration: false },
    });
    const byFile = new Map<string, number[]>();
    for (const [name, line] of places(root, references)) byFile.set(name, [...(byFile.get(name) ?? []), line]);
    assert.deepEqual(Object.fromEntries(byFile), {
      'destination-rule-reviews.yaml': [5],
      'virtual-service-reviews-50-50.yaml': [6, 11, 15],
      'virtual-service-reviews-80-20.yaml': [6, 11, 15],
      'virtual-service-reviews-all-v1.yaml': [6, 11],
      'virtual-service-reviews-v3.yaml': [6, 11],
    });
  });

  test("a destination subset goes to the DestinationRule's subset entry; its references are the destinations naming it", async () => {
    const { client, root, file } = await start();
    const definition = await request<LocationLink[]>(client, 'textDocument/definition', file(ROUTE), { position: at(16, 21) });
    assert.deepEqual(places(root, definition), [['destination-rule-reviews.yaml', 10, 12, 14]]);
    assert.deepEqual([definition[0].targetRange.start.line, definition[0].targetRange.end.line], [10, 12], 'the link shows the whole subset entry');
    const references = await request<Location[]>(client, 'textDocument/references', file('destination-rule-reviews.yaml'), {
      position: at(7, 13),
      context: { includeDeclaration: true },
    });
    assert.deepEqual(places(root, references), [
      ['destination-rule-reviews.yaml', 7, 12, 14],
      ['virtual-service-reviews-50-50.yaml', 12, 20, 22],
      ['virtual-service-reviews-80-20.yaml', 12, 20, 22],
      ['virtual-service-reviews-all-v1.yaml', 12, 20, 22],
    ]);
  });

  test('renaming a subset and renaming a host Service each come back as one workspace edit over every file naming them', async () => {
    const { client, root, file } = await start();
    const changed = (edit: WorkspaceEdit): [string, [number, number, string][]][] =>
      (
        (edit.documentChanges ?? []) as { textDocument: { uri: string }; edits: { range: { start: { line: number; character: number } }; newText: string }[] }[]
      ).map((c) => [path.relative(root, URI.parse(c.textDocument.uri).fsPath), c.edits.map((e) => [e.range.start.line, e.range.start.character, e.newText])]);
    const prepared = await request<{ range: { start: { line: number } }; placeholder: string }>(client, 'textDocument/prepareRename', file(ROUTE), {
      position: at(16, 21),
    });
    assert.deepEqual([prepared.range.start.line, prepared.placeholder], [16, 'v2']);
    const subset = await request<WorkspaceEdit>(client, 'textDocument/rename', file(ROUTE), { position: at(16, 21), newName: 'v2-black' });
    assert.deepEqual(changed(subset), [
      ['destination-rule-reviews.yaml', [[10, 12, 'v2-black']]],
      ['virtual-service-reviews-80-20.yaml', [[16, 20, 'v2-black']]],
    ]);
    await assert.rejects(
      request(client, 'textDocument/rename', file(ROUTE), { position: at(16, 21), newName: 'v3' }),
      /A subset named v3 already exists for Service reviews/,
    );
    const host = await request<WorkspaceEdit>(client, 'textDocument/rename', file(ROUTE), { position: at(11, 20), newName: 'reviews-svc' });
    assert.deepEqual(
      changed(host).map(([name, edits]) => [name, edits.map(([line]) => line)]),
      [
        ['destination-rule-reviews.yaml', [5]],
        ['reviews-service.yaml', [5]],
        ['virtual-service-reviews-50-50.yaml', [6, 11, 15]],
        ['virtual-service-reviews-80-20.yaml', [6, 11, 15]],
        ['virtual-service-reviews-all-v1.yaml', [6, 11]],
        ['virtual-service-reviews-v3.yaml', [6, 11]],
      ],
    );
  });

  test("completion while typing a destination's subset offers the subsets of the host written beside it", async () => {
    const { client, file } = await start();
    const route = file('virtual-service-reviews-all-v1.yaml');
    // The subset's value being typed in the editor: the document is open, its text not on disk.
    const typed = fs.readFileSync(route, 'utf8').replace('subset: v1', 'subset: ');
    await client.openDocument(route, typed, 1);
    const list = await request<{ items: { label: string; detail?: string; textEdit?: { range: { start: { line: number; character: number } } } }[] }>(
      client,
      'textDocument/completion',
      route,
      { position: at(12, 20) },
    );
    assert.deepEqual(
      list.items.map((i) => [i.label, i.detail, i.textEdit?.range.start.line, i.textEdit?.range.start.character]),
      [
        ['v1', 'subset of Service reviews · running', 12, 20],
        ['v2', 'subset of Service reviews · running', 12, 20],
        ['v3', 'subset of Service reviews · running', 12, 20],
      ],
    );
  });

  test('hover on a subset names its labels, its DestinationRule and the workloads it takes', async () => {
    const { client, file } = await start();
    const hover = await request<Hover | null>(client, 'textDocument/hover', file('virtual-service-reviews-50-50.yaml'), { position: at(16, 21) });
    const text = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(text, /^subset `v3` of Service `reviews`: defined by DestinationRule `reviews`, running in `kustomization\.yaml`\./);
    assert.match(text, /Labels: `version=v3`/);
    assert.match(text, /Deployment `reviews-v3`: not running: `reviews-v3\.yaml` is commented out in `kustomization\.yaml`/);
  });

  test('hover and inlay hints on weights give each subset its share; a single destination without weight takes all traffic', async () => {
    const { client, file } = await start();
    const hover = await request<Hover | null>(client, 'textDocument/hover', file(ROUTE), { position: at(13, 19) });
    assert.equal(
      (hover?.contents as MarkupContent | undefined)?.value,
      '80 → 80 % of reviews\n\n`reviews` of VirtualService `reviews`: reviews/v1 80 % / reviews/v2 20 %.',
    );
    const range = { start: at(0, 0), end: at(200, 0) };
    const hints = await request<InlayHint[]>(client, 'textDocument/inlayHint', file(ROUTE), { range });
    assert.deepEqual(
      hints.map((h) => [h.position.line, h.label]),
      [
        [13, ' 80 %'],
        [17, ' 20 %'],
      ],
    );
    const sole = await request<InlayHint[]>(client, 'textDocument/inlayHint', file('virtual-service-reviews-all-v1.yaml'), { range });
    assert.deepEqual(
      sole.map((h) => [h.position.line, h.position.character, h.label]),
      [[12, 22, ' (only target) 100 %']],
    );
    assert.match(String(sole[0].tooltip), /^reviews\/v1 gets 100 % of the traffic of reviews: it is the route's only target, so it takes all of it\.$/);
  });
});
