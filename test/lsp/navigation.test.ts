import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import {
  ClientCapabilities,
  CompletionItemKind,
  CompletionList,
  createProtocolConnection,
  DocumentLink,
  DocumentSymbol,
  Hover,
  InitializeResult,
  InlayHint,
  Location,
  LocationLink,
  MarkupContent,
  Range,
  StreamMessageReader,
  StreamMessageWriter,
  SymbolInformation,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { materialize } from '../support/cases';
import { applyWorkspaceEdit, BARE_CAPABILITIES, FULL_CAPABILITIES, LspClient, SERVER, StartOptions } from '../support/lspClient';

/** VS Code's capabilities for the navigation features, on top of the diagnostics ones. */
const NAVIGATION_CAPABILITIES: ClientCapabilities = {
  ...FULL_CAPABILITIES,
  textDocument: {
    ...FULL_CAPABILITIES.textDocument,
    documentLink: { tooltipSupport: true },
    definition: { linkSupport: true },
    references: {},
    rename: { prepareSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    inlayHint: {},
    completion: {
      completionItem: { documentationFormat: ['markdown', 'plaintext'], tagSupport: { valueSet: [1] }, deprecatedSupport: true },
      completionItemKind: { valueSet: Array.from({ length: 25 }, (_, i) => (i + 1) as CompletionItemKind) },
    },
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
  },
  workspace: { ...FULL_CAPABILITIES.workspace, inlayHint: { refreshSupport: true } },
};

const clients: LspClient[] = [];
const temporary: string[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

async function start(caseName: string, options: StartOptions = {}): Promise<{ client: LspClient; root: string; file: (rel: string) => string }> {
  const { root } = materialize(caseName);
  temporary.push(root);
  const client = await LspClient.start(root, { capabilities: NAVIGATION_CAPABILITIES, ...options });
  clients.push(client);
  return { client, root, file: (rel) => path.join(root, ...rel.split('/')) };
}

const DJ = 'stage-canary-2-v2-5';
const NESTED = 'nested-apps-valid';
const ROUTER = 'dj-mesh-router-v1-95-v2-5.yaml';
const FRONTEND = 'dj-app-mesh-frontend.yaml';

type Position = { line: number; character: number };
const at = (line: number, character: number): Position => ({ line, character });
const range = (line: number, start: number, end: number, endLine = line): Range => ({
  start: { line, character: start },
  end: { line: endLine, character: end },
});

function request<T>(client: LspClient, method: string, file: string, extra: Record<string, unknown> = {}): Promise<T> {
  return client.connection.sendRequest(method, { textDocument: { uri: client.uri(file) }, ...extra }) as Promise<T>;
}

/** `[relative path, line, start, end]` of locations, for exact comparisons. */
function places(root: string, locations: (Location | LocationLink)[] | null): [string, number, number, number][] {
  return (locations ?? []).map((l) => {
    const uri = 'uri' in l ? l.uri : l.targetUri;
    const r = 'range' in l ? l.range : l.targetSelectionRange;
    return [path.relative(root, URI.parse(uri).fsPath).split(path.sep).join('/'), r.start.line, r.start.character, r.end.character];
  });
}

/** Code unit order, as editors compare sortText. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const markdown = (hover: Hover | null): string => (hover?.contents as MarkupContent | undefined)?.value ?? '';

describe('navigation over stdio: capabilities', () => {
  async function initialize(capabilities: ClientCapabilities): Promise<InitializeResult> {
    const { root } = materialize(DJ);
    temporary.push(root);
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    try {
      return (await connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: URI.file(root).toString(),
        workspaceFolders: [{ uri: URI.file(root).toString(), name: 'dj' }],
        capabilities,
      })) as InitializeResult;
    } finally {
      await connection.sendRequest('shutdown').catch(() => undefined);
      connection.dispose();
      child.kill();
    }
  }

  test('every navigation feature is advertised; prepareRename only to a client that supports it', async () => {
    const full = (await initialize(NAVIGATION_CAPABILITIES)).capabilities;
    assert.deepEqual(
      {
        documentLinkProvider: full.documentLinkProvider,
        definitionProvider: full.definitionProvider,
        referencesProvider: full.referencesProvider,
        renameProvider: full.renameProvider,
        hoverProvider: full.hoverProvider,
        inlayHintProvider: full.inlayHintProvider,
        completionProvider: full.completionProvider,
        documentSymbolProvider: full.documentSymbolProvider,
      },
      {
        documentLinkProvider: { resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        hoverProvider: true,
        inlayHintProvider: { resolveProvider: false },
        completionProvider: { triggerCharacters: ['/'], resolveProvider: false },
        documentSymbolProvider: { label: 'Mesh Kustomize' },
      },
    );
    assert.equal((await initialize(BARE_CAPABILITIES)).capabilities.renameProvider, true, 'no prepareProvider without prepareSupport');
  });
});

describe('navigation over stdio: document links', () => {
  test('DJ: every entry, enabled or commented out, links to its file', async () => {
    const { client, root, file } = await start(DJ);
    const links = await request<DocumentLink[]>(client, 'textDocument/documentLink', file('kustomization.yaml'));
    assert.deepEqual(
      links.map((l) => [l.range.start.line, l.range.start.character, l.range.end.character, path.relative(root, URI.parse(l.target!).fsPath), l.tooltip]),
      [
        [4, 2, 27, 'dj-app-mesh-frontend.yaml', 'Open dj-app-mesh-frontend.yaml'],
        [5, 2, 27, 'dj-app-mesh-metal-v1.yaml', 'Open dj-app-mesh-metal-v1.yaml'],
        [6, 2, 26, 'dj-app-mesh-jazz-v1.yaml', 'Open dj-app-mesh-jazz-v1.yaml'],
        [7, 2, 27, 'dj-app-mesh-metal-v2.yaml', 'Open dj-app-mesh-metal-v2.yaml'],
        [8, 2, 26, 'dj-app-mesh-jazz-v2.yaml', 'Open dj-app-mesh-jazz-v2.yaml'],
        [9, 3, 25, 'dj-mesh-router-v1.yaml', 'Open dj-mesh-router-v1.yaml (commented out)'],
        [10, 2, 32, 'dj-mesh-router-v1-95-v2-5.yaml', 'Open dj-mesh-router-v1-95-v2-5.yaml'],
        [11, 3, 33, 'dj-mesh-router-v1-5-v2-95.yaml', 'Open dj-mesh-router-v1-5-v2-95.yaml (commented out)'],
        [12, 3, 25, 'dj-mesh-router-v2.yaml', 'Open dj-mesh-router-v2.yaml (commented out)'],
      ],
    );
    assert.deepEqual(await request(client, 'textDocument/documentLink', file(ROUTER)), [], 'no links outside kustomizations');
  });

  test('quoted entries link without their quotes; a directory without kustomization links to itself; missing files do not link; no tooltip unless supported', async () => {
    const { client, root, file } = await start(DJ, { capabilities: FULL_CAPABILITIES });
    fs.mkdirSync(file('extra'));
    fs.writeFileSync(file('extra/x.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n');
    const text = `${fs.readFileSync(file('kustomization.yaml'), 'utf8')}#- "extra/"\n- missing.yaml\n`;
    await client.openDocument(file('kustomization.yaml'), text);
    const links = await request<DocumentLink[]>(client, 'textDocument/documentLink', file('kustomization.yaml'));
    assert.deepEqual(
      links.slice(-1).map((l) => [l.range, URI.parse(l.target!).fsPath, l.tooltip]),
      [[range(13, 4, 10), path.join(root, 'extra'), undefined]],
    );
    assert.equal(links.length, 10);
  });

  test("nested: a directory entry links to the directory's kustomization file", async () => {
    const { client, root, file } = await start(NESTED);
    const links = await request<DocumentLink[]>(client, 'textDocument/documentLink', file('apps/kustomization.yaml'));
    assert.deepEqual(
      links.map((l) => [l.range, path.relative(root, URI.parse(l.target!).fsPath).split(path.sep).join('/'), l.tooltip]),
      [
        [range(4, 2, 5), 'apps/dj/kustomization.yaml', 'Open apps/dj/kustomization.yaml'],
        [range(5, 2, 11), 'apps/colorapp/kustomization.yaml', 'Open apps/colorapp/kustomization.yaml'],
      ],
    );
  });
});

describe('navigation over stdio: definition and references', () => {
  test('DJ: virtualNodeRef, virtualRouterRef and virtualServiceRef go to the named objects (running definitions first)', async () => {
    const { client, root, file } = await start(DJ);
    const node = await request<LocationLink[]>(client, 'textDocument/definition', file(ROUTER), { position: at(21, 25) });
    assert.deepEqual(places(root, node), [['dj-app-mesh-metal-v2.yaml', 4, 8, 16]]);
    assert.deepEqual(node[0].originSelectionRange, range(21, 22, 30));
    assert.deepEqual(node[0].targetRange.start, at(1, 0), 'the target range is the whole object');

    const router = await request<LocationLink[]>(client, 'textDocument/definition', file(FRONTEND), { position: at(75, 16) });
    assert.deepEqual(places(root, router), [
      ['dj-mesh-router-v1-95-v2-5.yaml', 4, 8, 20],
      ['dj-mesh-router-v1-5-v2-95.yaml', 4, 8, 20],
      ['dj-mesh-router-v1.yaml', 4, 8, 20],
      ['dj-mesh-router-v2.yaml', 4, 8, 20],
    ]);
    const service = await request<LocationLink[]>(client, 'textDocument/definition', file(FRONTEND), { position: at(20, 16) });
    assert.deepEqual(places(root, service), [['dj-app-mesh-frontend.yaml', 69, 8, 13]]);

    const entry = await request<LocationLink[]>(client, 'textDocument/definition', file('kustomization.yaml'), { position: at(9, 10) });
    assert.deepEqual(places(root, entry), [['dj-mesh-router-v1.yaml', 0, 0, 0]], 'a commented-out entry goes to its file');
    assert.equal(await request(client, 'textDocument/definition', file(ROUTER), { position: at(19, 22) }), null, 'nothing to go to from a weight');
  });

  test('plain locations for a client without linkSupport; legacy v1beta1 virtualNodeName', async () => {
    const { client, root, file } = await start('legacy-v1beta1-valid', { capabilities: FULL_CAPABILITIES });
    const text = fs.readFileSync(file('metal-routes-v1-50-v2-50.yaml'), 'utf8').split('\n');
    const line = text.findIndex((l) => l.includes('virtualNodeName: metal-v2'));
    const locations = await request<Location[]>(client, 'textDocument/definition', file('metal-routes-v1-50-v2-50.yaml'), { position: at(line, 32) });
    assert.deepEqual(places(root, locations), [['metal-v2.yaml', 3, 8, 16]]);
    assert.ok(!('targetUri' in locations[0]));
  });

  test('DJ: from a VirtualNode, every router target naming it, across files open or not', async () => {
    const { client, root, file } = await start(DJ);
    const references = await request<Location[]>(client, 'textDocument/references', file('dj-app-mesh-metal-v2.yaml'), {
      position: at(4, 10),
      context: { includeDeclaration: false },
    });
    assert.deepEqual(places(root, references), [
      ['dj-mesh-router-v1-5-v2-95.yaml', 21, 22, 30],
      ['dj-mesh-router-v1-95-v2-5.yaml', 21, 22, 30],
      ['dj-mesh-router-v2.yaml', 18, 22, 30],
    ]);
    const withDeclaration = await request<Location[]>(client, 'textDocument/references', file(ROUTER), {
      position: at(21, 22),
      context: { includeDeclaration: true },
    });
    assert.deepEqual(places(root, withDeclaration)[0], ['dj-app-mesh-metal-v2.yaml', 4, 8, 16]);
    assert.equal(withDeclaration.length, 4);

    const services = await request<Location[]>(client, 'textDocument/references', file(FRONTEND), {
      position: at(69, 9),
      context: { includeDeclaration: false },
    });
    assert.deepEqual(places(root, services), [['dj-app-mesh-frontend.yaml', 20, 16, 21]], 'the backend of dj names VirtualService metal');
  });

  test('nested: references and definitions across the apps', async () => {
    const { client, root, file } = await start(NESTED);
    const references = await request<Location[]>(client, 'textDocument/references', file('apps/colorapp/colorteller-black.yaml'), {
      position: at(4, 10),
      context: { includeDeclaration: false },
    });
    assert.deepEqual(places(root, references), [
      ['apps/colorapp/colorteller-router-black.yaml', 18, 22, 39],
      ['apps/colorapp/colorteller-router-white-50-black-50.yaml', 21, 22, 39],
    ]);
    const definitions = await request<LocationLink[]>(client, 'textDocument/definition', file('apps/colorapp/colorteller.yaml'), { position: at(10, 16) });
    assert.deepEqual(places(root, definitions), [
      ['apps/colorapp/colorteller-router-white-50-black-50.yaml', 4, 8, 26],
      ['apps/colorapp/colorteller-router-black.yaml', 4, 8, 26],
      ['apps/colorapp/colorteller-router-white.yaml', 4, 8, 26],
    ]);
  });
});

describe('navigation over stdio: rename', () => {
  test('DJ: renaming a VirtualNode from a reference renames the object and every reference, in one edit', async () => {
    const { client, root, file } = await start(DJ);
    const prepared = await request(client, 'textDocument/prepareRename', file(ROUTER), { position: at(21, 25) });
    assert.deepEqual(prepared, { range: range(21, 22, 30), placeholder: 'metal-v2' });
    assert.equal(await request(client, 'textDocument/prepareRename', file(ROUTER), { position: at(22, 22) }), null, 'a weight is not renamed');

    const edit = await request<WorkspaceEdit>(client, 'textDocument/rename', file(ROUTER), { position: at(21, 25), newName: 'metal-canary' });
    const changes = (edit.documentChanges ?? []) as { textDocument: { uri: string; version: number | null }; edits: { range: Range; newText: string }[] }[];
    assert.deepEqual(
      changes.map((c) => [
        path.relative(root, URI.parse(c.textDocument.uri).fsPath),
        c.textDocument.version,
        c.edits.map((e) => [e.range.start.line, e.range.start.character, e.range.end.character, e.newText]),
      ]),
      [
        ['dj-app-mesh-metal-v2.yaml', null, [[4, 8, 16, 'metal-canary']]],
        ['dj-mesh-router-v1-5-v2-95.yaml', null, [[21, 22, 30, 'metal-canary']]],
        ['dj-mesh-router-v1-95-v2-5.yaml', null, [[21, 22, 30, 'metal-canary']]],
        ['dj-mesh-router-v2.yaml', null, [[18, 22, 30, 'metal-canary']]],
      ],
    );
    applyWorkspaceEdit(edit as Parameters<typeof applyWorkspaceEdit>[0]);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map((c) => ({ uri: c.textDocument.uri, type: 2 })) });
    await client.barrier(file('kustomization.yaml'));
    assert.match(fs.readFileSync(file(ROUTER), 'utf8'), /name: metal-canary\n {14}weight: 5\n/);
    const references = await request<Location[]>(client, 'textDocument/references', file('dj-app-mesh-metal-v2.yaml'), {
      position: at(4, 10),
      context: { includeDeclaration: false },
    });
    assert.equal(references.length, 3, 'the renamed node is still referenced by the three router files');
    assert.deepEqual(
      [...client.published.values()].flatMap((p) => p.diagnostics),
      [],
      'the tree is still valid',
    );
  });

  test('an open document carries its version; plain changes without documentChanges; bad or taken names are refused', async () => {
    const { client, file } = await start(DJ);
    await client.openDocument(file(ROUTER), fs.readFileSync(file(ROUTER), 'utf8'), 5);
    const edit = await request<WorkspaceEdit>(client, 'textDocument/rename', file(ROUTER), { position: at(4, 10), newName: 'heavy-router' });
    const versions = (edit.documentChanges as { textDocument: { uri: string; version: number | null } }[]).map((c) => [
      path.basename(URI.parse(c.textDocument.uri).fsPath),
      c.textDocument.version,
    ]);
    assert.deepEqual(versions, [
      ['dj-app-mesh-frontend.yaml', null],
      ['dj-mesh-router-v1-5-v2-95.yaml', null],
      ['dj-mesh-router-v1-95-v2-5.yaml', 5],
      ['dj-mesh-router-v1.yaml', null],
      ['dj-mesh-router-v2.yaml', null],
    ]);
    await assert.rejects(request(client, 'textDocument/rename', file(ROUTER), { position: at(4, 10), newName: 'Heavy_Router' }), /not a valid object name/);
    await assert.rejects(
      request(client, 'textDocument/rename', file(ROUTER), { position: at(4, 10), newName: 'jazz-router' }),
      /A VirtualRouter named jazz-router already exists \(dj-mesh-router-v1-95-v2-5\.yaml\)/,
    );

    const plain = await start(DJ, { capabilities: BARE_CAPABILITIES });
    const plainEdit = await request<WorkspaceEdit>(plain.client, 'textDocument/rename', plain.file(FRONTEND), { position: at(69, 9), newName: 'heavy' });
    assert.deepEqual(
      Object.entries(plainEdit.changes ?? {}).map(([uri, edits]) => [path.basename(URI.parse(uri).fsPath), edits.map((e) => [e.range.start.line, e.newText])]),
      [
        [
          'dj-app-mesh-frontend.yaml',
          [
            [69, 'heavy'],
            [20, 'heavy'],
          ],
        ],
      ],
    );
  });

  test('nested: renaming a VirtualRouter from its provider reference', async () => {
    const { client, root, file } = await start(NESTED);
    const edit = await request<WorkspaceEdit>(client, 'textDocument/rename', file('apps/colorapp/colorteller.yaml'), {
      position: at(10, 16),
      newName: 'color-router',
    });
    assert.deepEqual(
      (edit.documentChanges as { textDocument: { uri: string }; edits: { range: Range }[] }[]).map((c) => [
        path.relative(root, URI.parse(c.textDocument.uri).fsPath).split(path.sep).join('/'),
        c.edits.map((e) => e.range.start.line),
      ]),
      [
        ['apps/colorapp/colorteller-router-black.yaml', [4]],
        ['apps/colorapp/colorteller-router-white-50-black-50.yaml', [4]],
        ['apps/colorapp/colorteller-router-white.yaml', [4]],
        ['apps/colorapp/colorteller.yaml', [10]],
      ],
    );
  });
});

describe('navigation over stdio: hover', () => {
  test('DJ: weights, entries, node references and schema keys', async () => {
    const { client, file } = await start(DJ);
    const hover = (f: string, line: number, character: number): Promise<Hover | null> =>
      request<Hover | null>(client, 'textDocument/hover', file(f), { position: at(line, character) });

    const weight = await hover(ROUTER, 19, 23);
    assert.equal(markdown(weight), '95 → 95 % of metal-route\n\n`metal-route` of VirtualRouter `metal-router`: metal-v1 95 % / metal-v2 5 %.');
    assert.deepEqual(weight?.range, range(19, 22, 24));
    assert.equal((weight?.contents as MarkupContent).kind, 'markdown');

    assert.equal(
      markdown(await hover('kustomization.yaml', 10, 5)),
      '`dj-mesh-router-v1-95-v2-5.yaml` is running: enabled in `kustomization.yaml`.\n\nIt defines 2 objects:\n- VirtualRouter `metal-router`\n- VirtualRouter `jazz-router`',
    );
    assert.equal(
      markdown(await hover('kustomization.yaml', 9, 5)),
      '`dj-mesh-router-v1.yaml` is not running: commented out in `kustomization.yaml`.\n\nIt defines 2 objects:\n- VirtualRouter `metal-router`\n- VirtualRouter `jazz-router`',
    );
    assert.equal(
      markdown(await hover(ROUTER, 21, 25)),
      'VirtualNode `metal-v2`: running in `kustomization.yaml`.\n\nPod selector: `app=metal`, `version=v2`\n\nDefined in `dj-app-mesh-metal-v2.yaml`.',
    );
    assert.equal(markdown(await hover(ROUTER, 16, 15)), 'Targets and their relative weights (1-10).', 'the description of weightedTargets');
    assert.equal(markdown(await hover('kustomization.yaml', 3, 2)), 'Files, directories (with their own kustomization) and remote URLs to include.');
    assert.equal(markdown(await hover(ROUTER, 9, 20)), '', 'no hover on a plain value');
  });

  test('with weights 1/1, "1 → 50 %"; a router that is not running says why; plain text for clients without Markdown', async () => {
    const { client, file } = await start('weights-1-1', { capabilities: FULL_CAPABILITIES });
    const hover = await request<Hover>(client, 'textDocument/hover', file('dj-mesh-router-v1-50-v2-50.yaml'), { position: at(19, 22) });
    assert.deepEqual(
      hover.contents,
      '1 → 50 % of metal-route\n\nmetal-route of VirtualRouter metal-router: metal-v1 50 % / metal-v2 50 %.',
      'a plain string for a client that names no format',
    );

    const dj = await start(DJ);
    const idle = await request<Hover>(dj.client, 'textDocument/hover', dj.file('dj-mesh-router-v1.yaml'), { position: at(19, 22) });
    assert.equal(
      markdown(idle),
      '100 → 100 % of metal-route\n\n`metal-route` of VirtualRouter `metal-router`: metal-v1 100 %.\n\nThis VirtualRouter is not running: `dj-mesh-router-v1.yaml` is commented out in `kustomization.yaml`.',
    );
  });

  test('nested: an entry of a nested kustomization is running through the root that builds it', async () => {
    const { client, file } = await start(NESTED);
    assert.equal(
      markdown(await request<Hover>(client, 'textDocument/hover', file('apps/dj/kustomization.yaml'), { position: at(9, 4) })),
      '`dj-mesh-router-v1.yaml` is running: enabled in `apps/dj/kustomization.yaml`, built by `apps/kustomization.yaml`.\n\nIt defines 2 objects:\n- VirtualRouter `metal-router`\n- VirtualRouter `jazz-router`',
    );
    const directory = markdown(await request<Hover>(client, 'textDocument/hover', file('apps/kustomization.yaml'), { position: at(5, 4) }));
    assert.equal(
      directory,
      '`colorapp/` is running: enabled in `apps/kustomization.yaml`.\n\nIts kustomization `apps/colorapp/kustomization.yaml` builds 9 objects:\n- VirtualService `colorteller`\n- Service `colorteller`\n- VirtualNode `colorteller-white`\n- Deployment `colorteller-white`\n- Service `colorteller-white`\n- VirtualNode `colorteller-black`\n- Deployment `colorteller-black`\n- Service `colorteller-black`\n- VirtualRouter `colorteller-router`',
    );
    assert.equal(
      markdown(await request<Hover>(client, 'textDocument/hover', file('apps/colorapp/colorteller-router-white-50-black-50.yaml'), { position: at(21, 25) })),
      'VirtualNode `colorteller-black`: running in `apps/kustomization.yaml`.\n\nPod selector: `app=colorteller`, `version=black`\n\nDefined in `apps/colorapp/colorteller-black.yaml`.',
    );
  });
});

describe('navigation over stdio: inlay hints', () => {
  const hints = async (client: LspClient, file: string): Promise<[number, number, string][]> =>
    (await request<InlayHint[]>(client, 'textDocument/inlayHint', file, { range: range(0, 0, 0, 200) })).map((h) => [
      h.position.line,
      h.position.character,
      String(h.label),
    ]);

  test('DJ: the effective percentage after each weight; 1/1 reads 50 %', async () => {
    const { client, file } = await start(DJ);
    assert.deepEqual(await hints(client, file(ROUTER)), [
      [19, 24, ' 95 %'],
      [22, 23, ' 5 %'],
      [42, 24, ' 95 %'],
      [45, 23, ' 5 %'],
    ]);
    assert.deepEqual(await hints(client, file('kustomization.yaml')), []);
    const ones = await start('weights-1-1');
    assert.deepEqual(await hints(ones.client, ones.file('dj-mesh-router-v1-50-v2-50.yaml')), [
      [19, 23, ' 50 %'],
      [22, 23, ' 50 %'],
      [42, 23, ' 50 %'],
      [45, 23, ' 50 %'],
    ]);
    const ranged = await request<InlayHint[]>(client, 'textDocument/inlayHint', file(ROUTER), { range: range(20, 0, 0, 30) });
    assert.deepEqual(
      ranged.map((h) => h.position.line),
      [22],
      'only the hints within the requested range',
    );
  });

  test('meshKustomize.inlayHints.weights: false turns them off (pulled, or from initializationOptions)', async () => {
    let weights = false;
    const pulled = await start(DJ, { configuration: (item) => (item.section === 'meshKustomize' ? { inlayHints: { weights } } : null) });
    assert.deepEqual(await hints(pulled.client, pulled.file(ROUTER)), []);
    weights = true;
    await pulled.client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.equal((await hints(pulled.client, pulled.file(ROUTER))).length, 4);

    const pushed = await start(DJ, { capabilities: BARE_CAPABILITIES, initializationOptions: { settings: { inlayHints: { weights: false } } } });
    assert.deepEqual(await hints(pushed.client, pushed.file(ROUTER)), []);
  });

  test('nested: the colorapp split', async () => {
    const { client, file } = await start(NESTED);
    assert.deepEqual(await hints(client, file('apps/colorapp/colorteller-router-white-50-black-50.yaml')), [
      [19, 24, ' 50 %'],
      [22, 24, ' 50 %'],
    ]);
  });
});

describe('navigation over stdio: completion', () => {
  /** Opens the file with `|` marking the cursor, and asks for completions there. */
  async function complete(client: LspClient, file: string, text: string): Promise<CompletionList> {
    const offset = text.indexOf('|');
    const before = text.slice(0, offset).split('\n');
    await client.openDocument(file, text.replace('|', ''), 1);
    const list = await request<CompletionList>(client, 'textDocument/completion', file, { position: at(before.length - 1, before[before.length - 1].length) });
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: client.uri(file) } });
    return list;
  }

  test('DJ (canary 1, v2 commented out): node names in references, running ones first', async () => {
    const { client, file } = await start('stage-canary-1-v1');
    const router = fs.readFileSync(file('dj-mesh-router-v1.yaml'), 'utf8');
    const list = await complete(client, file('dj-mesh-router-v1.yaml'), router.replace('name: metal-v1', 'name: me|'));
    assert.deepEqual(
      list.items.map((i) => [i.label, i.sortText, i.detail, i.kind]).sort((a, b) => byText(String(a[1]), String(b[1]))),
      [
        ['dj', '0-dj', 'VirtualNode · running', 18],
        ['jazz-v1', '0-jazz-v1', 'VirtualNode · running', 18],
        ['metal-v1', '0-metal-v1', 'VirtualNode · running', 18],
        ['jazz-v2', '1-jazz-v2', 'VirtualNode · not running', 18],
        ['metal-v2', '1-metal-v2', 'VirtualNode · not running', 18],
      ],
    );
    assert.deepEqual((list.items[0].textEdit as { range: Range }).range, range(18, 22, 24), 'the typed prefix is replaced');

    const frontend = fs.readFileSync(file(FRONTEND), 'utf8');
    const routers = await complete(client, file(FRONTEND), frontend.replace('name: metal-router', 'name: |'));
    assert.deepEqual(
      routers.items.map((i) => [i.label, i.detail]),
      [
        ['jazz-router', 'VirtualRouter · running'],
        ['metal-router', 'VirtualRouter · running'],
      ],
    );
    const services = await complete(client, file(FRONTEND), frontend.replace('          name: jazz\n', '          name: |\n'));
    assert.deepEqual(
      services.items.map((i) => i.label),
      ['jazz', 'metal'],
    );
  });

  test('DJ: file names in resource entries, files not listed yet first', async () => {
    const { client, file } = await start(DJ);
    fs.copyFileSync(file(ROUTER), file('dj-mesh-router-v1-80-v2-20.yaml'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: client.uri(file('dj-mesh-router-v1-80-v2-20.yaml')), type: 1 }],
    });
    const text = fs.readFileSync(file('kustomization.yaml'), 'utf8');
    const list = await complete(client, file('kustomization.yaml'), `${text}- dj-mesh|\n`);
    const sorted = [...list.items].sort((a, b) => byText(a.sortText!, b.sortText!));
    assert.deepEqual(
      sorted.map((i) => [i.label, i.detail, i.kind]),
      [
        ['dj-mesh-router-v1-80-v2-20.yaml', 'not listed yet', 17],
        ['dj-app-mesh-frontend.yaml', 'listed', 17],
        ['dj-app-mesh-jazz-v1.yaml', 'listed', 17],
        ['dj-app-mesh-jazz-v2.yaml', 'listed', 17],
        ['dj-app-mesh-metal-v1.yaml', 'listed', 17],
        ['dj-app-mesh-metal-v2.yaml', 'listed', 17],
        ['dj-mesh-router-v1-5-v2-95.yaml', 'commented out', 17],
        ['dj-mesh-router-v1-95-v2-5.yaml', 'listed', 17],
        ['dj-mesh-router-v1.yaml', 'commented out', 17],
        ['dj-mesh-router-v2.yaml', 'commented out', 17],
      ],
    );
    assert.deepEqual(sorted[0].textEdit, { range: range(13, 2, 9), newText: 'dj-mesh-router-v1-80-v2-20.yaml' });
    assert.deepEqual(sorted[0].documentation, { kind: 'markdown', value: 'Defines VirtualRouter `metal-router`, VirtualRouter `jazz-router`.' });
  });

  test('DJ: enum values and keys from the schemas', async () => {
    const { client, file } = await start(DJ);
    const router = fs.readFileSync(file(ROUTER), 'utf8');
    const protocols = await complete(client, file(ROUTER), router.replace('protocol: http\n', 'protocol: |\n'));
    assert.deepEqual(
      protocols.items.map((i) => [i.label, i.kind]),
      [
        ['http', 12],
        ['http2', 12],
        ['grpc', 12],
        ['tcp', 12],
      ],
    );
    const specKeys = await complete(client, file(ROUTER), router.replace('  routes:\n', '  |\n  routes:\n'));
    assert.deepEqual(
      specKeys.items.map((i) => [i.label, (i.textEdit as { newText: string }).newText]),
      [
        ['awsName', 'awsName: '],
        ['meshRef', 'meshRef:\n    '],
      ],
    );
    const targetKeys = await complete(client, file(ROUTER), router.replace('              weight: 5\n', '              weight: 5\n              |\n'));
    assert.deepEqual(
      targetKeys.items.map((i) => i.label),
      ['virtualNodeARN', 'port'],
    );
    assert.match(String((targetKeys.items[1].documentation as MarkupContent).value), /port/i);

    const kustomization = fs.readFileSync(file('kustomization.yaml'), 'utf8');
    const keys = await complete(client, file('kustomization.yaml'), `${kustomization}|`);
    const bases = keys.items.find((i) => i.label === 'bases');
    assert.deepEqual(bases?.tags, [1], 'deprecated keys are tagged');
    assert.ok(!keys.items.some((i) => ['resources', 'namespace', 'kind', 'apiVersion'].includes(i.label)), 'keys already written are not offered');
    const kinds = await complete(client, file('kustomization.yaml'), kustomization.replace('kind: Kustomization', 'kind: |'));
    assert.deepEqual(
      kinds.items.map((i) => i.label),
      ['Kustomization', 'Component'],
    );
  });

  test('nested: directories in the root kustomization', async () => {
    const { client, file } = await start(NESTED);
    const text = fs.readFileSync(file('apps/kustomization.yaml'), 'utf8');
    const list = await complete(client, file('apps/kustomization.yaml'), `${text}- |\n`);
    assert.deepEqual(
      list.items.map((i) => [i.label, i.detail, i.kind, (i.textEdit as { newText: string }).newText]),
      [
        ['colorapp/', 'listed', 19, 'colorapp/'],
        ['dj/', 'listed', 19, 'dj/'],
      ],
    );
    const inside = await complete(client, file('apps/kustomization.yaml'), `${text}- dj/dj-mesh-router-v|\n`);
    assert.deepEqual(
      inside.items.map((i) => (i.textEdit as { newText: string }).newText).filter((t) => t.includes('router')),
      ['dj/dj-mesh-router-v1-5-v2-95.yaml', 'dj/dj-mesh-router-v1-95-v2-5.yaml', 'dj/dj-mesh-router-v1.yaml', 'dj/dj-mesh-router-v2.yaml'],
    );
  });
});

describe('navigation over stdio: document symbols', () => {
  test('DJ: each document by kind and name, with routes and targets inside routers', async () => {
    const { client, file } = await start(DJ);
    const symbols = await request<DocumentSymbol[]>(client, 'textDocument/documentSymbol', file(ROUTER));
    const shape = (s: DocumentSymbol): unknown => [s.name, s.detail, s.kind, ...(s.children?.length ? [s.children.map(shape)] : [])];
    assert.deepEqual(symbols.map(shape), [
      [
        'VirtualRouter metal-router',
        'appmesh.k8s.aws/v1beta2',
        5,
        [
          [
            'metal-route',
            'httpRoute',
            6,
            [
              ['metal-v1', 'weight 95 (95 %)', 8],
              ['metal-v2', 'weight 5 (5 %)', 8],
            ],
          ],
        ],
      ],
      [
        'VirtualRouter jazz-router',
        'appmesh.k8s.aws/v1beta2',
        5,
        [
          [
            'jazz-route',
            'httpRoute',
            6,
            [
              ['jazz-v1', 'weight 95 (95 %)', 8],
              ['jazz-v2', 'weight 5 (5 %)', 8],
            ],
          ],
        ],
      ],
    ]);
    assert.deepEqual([symbols[0].range, symbols[0].selectionRange], [range(1, 0, 23, 22), range(4, 8, 20)]);

    const frontend = await request<DocumentSymbol[]>(client, 'textDocument/documentSymbol', file(FRONTEND));
    assert.deepEqual(
      frontend.map((s) => s.name),
      ['VirtualNode dj', 'Deployment dj', 'Service dj', 'VirtualService metal', 'VirtualService jazz', 'Service metal', 'Service jazz'],
    );

    const kustomization = await request<DocumentSymbol[]>(client, 'textDocument/documentSymbol', file('kustomization.yaml'));
    assert.deepEqual(
      kustomization.map((s) => [s.name, s.detail, s.children?.length ?? 0]),
      [
        ['apiVersion', 'kustomize.config.k8s.io/v1beta1', 0],
        ['kind', 'Kustomization', 0],
        ['namespace', '${example_namespace}', 0],
        ['resources', '6 of 9 enabled', 9],
      ],
    );
    assert.deepEqual(kustomization[3].children?.[5], {
      name: 'dj-mesh-router-v1.yaml',
      detail: 'commented out',
      kind: 1,
      range: range(9, 3, 25),
      selectionRange: range(9, 3, 25),
      children: [],
    });
  });

  test('flat SymbolInformation for a client without hierarchical symbols', async () => {
    const { client, root, file } = await start(DJ, { capabilities: FULL_CAPABILITIES });
    const symbols = await request<SymbolInformation[]>(client, 'textDocument/documentSymbol', file(ROUTER));
    assert.deepEqual(
      symbols.slice(0, 4).map((s) => [s.name, s.kind, s.containerName, path.relative(root, URI.parse(s.location.uri).fsPath), s.location.range.start.line]),
      [
        ['VirtualRouter metal-router', 5, undefined, ROUTER, 1],
        ['metal-route', 6, 'VirtualRouter metal-router', ROUTER, 11],
        ['metal-v1', 8, 'metal-route', ROUTER, 17],
        ['metal-v2', 8, 'metal-route', ROUTER, 20],
      ],
    );
  });

  test('nested: the colorteller router', async () => {
    const { client, file } = await start(NESTED);
    const symbols = await request<DocumentSymbol[]>(client, 'textDocument/documentSymbol', file('apps/colorapp/colorteller-router-white-50-black-50.yaml'));
    assert.deepEqual(
      symbols.map((s) => [s.name, s.children?.map((r) => [r.name, r.detail, r.children?.map((t) => [t.name, t.detail])])]),
      [
        [
          'VirtualRouter colorteller-router',
          [
            [
              'colorteller-route',
              'http2Route',
              [
                ['colorteller-white', 'weight 50 (50 %)'],
                ['colorteller-black', 'weight 50 (50 %)'],
              ],
            ],
          ],
        ],
      ],
    );
  });
});

describe('Red Hat YAML interplay', () => {
  const codes = (client: LspClient, file: string): string[] => client.diagnosticsOf(file).map((d) => String(d.code));

  test('with redhat.vscode-yaml active, an open kustomization.yaml leaves its schema problems to it; the rest stays ours', async () => {
    const { client, file } = await start('schema-typo-kustomization', { initializationOptions: { redHatYamlActive: true } });
    const kustomization = file('kustomization.yaml');
    await client.barrier(kustomization);
    assert.deepEqual(codes(client, kustomization), ['schema'], 'a file not open in the editor: Red Hat YAML does not see it, we report it');
    await client.openDocument(kustomization, fs.readFileSync(kustomization, 'utf8'));
    await client.barrier(kustomization);
    assert.deepEqual(codes(client, kustomization), [], 'open: Red Hat YAML reports it with our schema');
    await client.connection.sendNotification('meshKustomize/redHatYaml', { active: false });
    await client.barrier(kustomization);
    assert.deepEqual(codes(client, kustomization), ['schema'], 'once the extension is disabled, ours again');
  });

  test('schema key completion and key hovers of kustomization.yaml are left to it too; entries and App Mesh files stay ours', async () => {
    const { client, file } = await start(DJ, { initializationOptions: { redHatYamlActive: true } });
    const kustomization = file('kustomization.yaml');
    const text = fs.readFileSync(kustomization, 'utf8');
    await client.openDocument(kustomization, `${text}\n`);
    const keys = await request<CompletionList>(client, 'textDocument/completion', kustomization, { position: at(13, 0) });
    assert.deepEqual(keys.items, [], 'Red Hat YAML offers the keys of the schema we contribute');
    assert.equal(await request(client, 'textDocument/hover', kustomization, { position: at(3, 2) }), null);
    assert.match(markdown(await request<Hover>(client, 'textDocument/hover', kustomization, { position: at(10, 5) })), /is running: enabled in/);
    await client.changeDocument(kustomization, `${text}- dj-app|\n`.replace('|', ''), 2);
    const entries = await request<CompletionList>(client, 'textDocument/completion', kustomization, { position: at(13, 8) });
    assert.equal(entries.items.length, 9, 'file names are ours');
    assert.equal(
      markdown(await request<Hover>(client, 'textDocument/hover', file(ROUTER), { position: at(16, 15) })),
      'Targets and their relative weights (1-10).',
    );
  });

  test('the setting off, or the schema rule configured, keeps our schema problems; App Mesh manifests always keep theirs', async () => {
    let section: Record<string, unknown> = { leavePlainSchemaProblemsToRedHatYaml: false };
    const { client, file } = await start('schema-typo-kustomization', {
      initializationOptions: { redHatYamlActive: true },
      configuration: (item) => (item.section === 'meshKustomize' ? section : null),
    });
    const kustomization = file('kustomization.yaml');
    await client.openDocument(kustomization, fs.readFileSync(kustomization, 'utf8'));
    await client.barrier(kustomization);
    assert.deepEqual(codes(client, kustomization), ['schema']);
    section = { rules: { schema: 'warning' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.barrier(kustomization);
    assert.deepEqual(
      client.diagnosticsOf(kustomization).map((d) => [d.code, d.severity]),
      [['schema', 2]],
    );

    const mesh = await start('schema-typos-mesh', { initializationOptions: { redHatYamlActive: true } });
    const router = mesh.file(ROUTER);
    await mesh.client.openDocument(router, fs.readFileSync(router, 'utf8'));
    await mesh.client.barrier(router);
    assert.deepEqual(codes(mesh.client, router), ['schema', 'schema', 'schema'], 'Red Hat YAML has no schema for App Mesh files: they stay ours');
  });
});
