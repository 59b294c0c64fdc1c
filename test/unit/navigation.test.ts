import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { LineIndex, Validator, Workspace } from '../../server/src/engine';
import { completionsAt, hoverAt, meshSymbolAt, navigationModel, NavigationModel, referencesOf, rename, weightHints } from '../../server/src/engine/navigation';
import { SchemaInfo } from '../../server/src/engine/navigation/schemaInfo';
import { textContext } from '../../server/src/engine/navigation/textContext';
import { caseFiles, MemoryFileSource } from '../support/memoryFiles';

const ROOT = path.resolve('/nav');

/** A workspace in memory: a fixture case's files, with some replaced or added. */
function workspaceOf(files: Record<string, string>, caseName?: string): { model: () => NavigationModel; source: MemoryFileSource; workspace: Workspace } {
  const source = new MemoryFileSource();
  if (caseName) for (const [rel, text] of caseFiles(caseName)) source.set(path.join(ROOT, rel), text);
  for (const [rel, text] of Object.entries(files)) source.set(path.join(ROOT, rel), text);
  const workspace = new Workspace(source, [ROOT]);
  const validator = new Validator(workspace);
  return { model: () => navigationModel(workspace, () => validator.builds()), source, workspace };
}

/** The text without its `|`, and the position of the `|`. */
function cursor(text: string): { text: string; position: { line: number; character: number } } {
  const offset = text.indexOf('|');
  const clean = text.slice(0, offset) + text.slice(offset + 1);
  return { text: clean, position: new LineIndex(clean).positionAt(offset) };
}

describe('navigation: the cursor context of YAML being typed', () => {
  const contextOf = (marked: string): ReturnType<typeof textContext> => {
    const { text, position } = cursor(marked);
    return textContext(new LineIndex(text), position);
  };

  test('a blank line inside a sequence item reads as a key of that item, with its written keys', () => {
    const context = contextOf('spec:\n  routes:\n    - name: a\n      httpRoute:\n        match: {}\n      |\n');
    assert.deepEqual([context?.at, context?.path, context?.siblings], ['key', ['spec', 'routes', '[]'], ['httpRoute', 'name']]);
  });

  test('a value, an item, quotes and CRLF', () => {
    const value = contextOf('a:\r\n  - virtualNodeRef:\r\n      name: "me|"\r\n');
    assert.deepEqual(
      [value?.at, value?.path, value?.key, value?.prefix, value?.range],
      ['value', ['a', '[]', 'virtualNodeRef'], 'name', 'me', { start: { line: 2, character: 13 }, end: { line: 2, character: 15 } }],
    );
    const item = contextOf('resources:\n- a.yaml\n- b|\n');
    assert.deepEqual([item?.at, item?.path, item?.prefix], ['item', ['resources', '[]'], 'b']);
    const patch = contextOf('patches:\n  - target:\n      kind: X\n    path: p|\n');
    assert.deepEqual([patch?.at, patch?.path, patch?.key], ['value', ['patches', '[]'], 'path']);
  });

  test('nothing in comments; each document of a stream stands alone', () => {
    assert.equal(contextOf('resources:\n#- a|\n'), undefined);
    assert.equal(contextOf('data:\n  script: >\n    echo |\n'), undefined, 'inside a block scalar');
    const second = contextOf('a:\n  b: 1\n---\nspec:\n  |\n');
    assert.deepEqual(second?.path, ['spec']);
  });
});

describe('navigation: schemas', () => {
  const info = new SchemaInfo();

  test('descriptions follow $ref, the one written beside a $ref first', () => {
    const router = 'appmesh/v1beta2/virtualrouter.schema.json';
    assert.equal(
      info.describeKey(router, ['spec', 'routes', 0, 'httpRoute', 'action', 'weightedTargets'])?.description,
      'Targets and their relative weights (1-10).',
    );
    assert.deepEqual(
      info.values(router, ['spec', 'listeners', '[]', 'portMapping', 'protocol']).map((v) => v.value),
      ['http', 'http2', 'grpc', 'tcp'],
    );
    assert.equal(info.describeKey('kustomization.schema.json', ['bases'])?.deprecationMessage, 'Deprecated: use `resources`');
    assert.deepEqual(
      info.values('kustomization.schema.json', ['kind']).map((v) => v.value),
      ['Kustomization', 'Component'],
    );
  });
});

describe('navigation: the model', () => {
  test('quoted names are renamed inside their quotes; CRLF files keep their positions', () => {
    const { model } = workspaceOf(
      {
        'dj-mesh-router-v1.yaml': (
          'apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualRouter\nmetadata:\n  name: metal-router\nspec:\n  listeners:\n    - portMapping: {port: 9080, protocol: http}\n' +
          '  routes:\n    - name: r\n      httpRoute:\n        match: {prefix: /}\n        action:\n          weightedTargets:\n            - virtualNodeRef:\n                name: "metal-v1"\n              weight: 100\n'
        ).replace(/\n/g, '\r\n'),
      },
      'stage-canary-1-v1',
    );
    const file = path.join(ROOT, 'dj-mesh-router-v1.yaml');
    const result = rename(model(), file, { line: 14, character: 25 }, 'metal-blue');
    assert.ok(result && 'changes' in result);
    assert.deepEqual(
      result.changes.map((c) => [path.basename(c.path), c.edits.map((e) => [e.range.start.line, e.range.start.character, e.range.end.character])]),
      [
        ['dj-app-mesh-metal-v1.yaml', [[4, 8, 16]]],
        ['dj-mesh-router-v1-5-v2-95.yaml', [[18, 22, 30]]],
        ['dj-mesh-router-v1-95-v2-5.yaml', [[18, 22, 30]]],
        ['dj-mesh-router-v1.yaml', [[14, 23, 31]]],
      ],
    );
  });

  test('legacy v1beta1: virtualNodeName and virtualServiceName are references', () => {
    const { model } = workspaceOf({}, 'legacy-v1beta1-valid');
    const current = model();
    const service = current.definitions.find((d) => d.kind === 'VirtualService');
    assert.equal(service?.name, 'metal.prod.svc.cluster.local');
    const symbol = meshSymbolAt(current, service!.path, service!.range.start)!;
    assert.deepEqual(
      referencesOf(current, symbol, false).map((l) => path.basename(l.path)),
      ['dj.yaml'],
    );
    const node = meshSymbolAt(current, path.join(ROOT, 'metal-v2.yaml'), { line: 3, character: 9 })!;
    assert.deepEqual(
      referencesOf(current, node, false).map((l) => path.basename(l.path)),
      ['metal-routes-v1-50-v2-50.yaml', 'metal-routes-v1-90-v2-10.yaml'],
    );
  });

  test('weights that are placeholders or all zero have no share: a hover says why, no hint is shown', () => {
    const router = (a: string, b: string): string =>
      'apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualRouter\nmetadata:\n  name: metal-router\nspec:\n  routes:\n    - name: metal-route\n      httpRoute:\n        action:\n          weightedTargets:\n' +
      `            - virtualNodeRef: {name: metal-v1}\n              weight: ${a}\n            - virtualNodeRef: {name: metal-v2}\n              weight: ${b}\n`;
    const { model, workspace } = workspaceOf({ 'placeholder.yaml': router('${w1}', '5'), 'zero.yaml': router('0', '0') }, 'stage-canary-2-v2-5');
    const placeholder = path.join(ROOT, 'placeholder.yaml');
    assert.deepEqual(
      hoverAt(model(), placeholder, { line: 11, character: 23 })?.paragraphs[0],
      '${w1} → share unknown: a weight of this route is not a number (a placeholder, say).',
    );
    assert.deepEqual(weightHints(workspace.file(placeholder)!), []);
    assert.deepEqual(hoverAt(model(), path.join(ROOT, 'zero.yaml'), { line: 11, character: 22 })?.paragraphs, [
      '0 → share unknown: every weight of this route is 0, so it sends no traffic.',
      'This VirtualRouter is not running: `zero.yaml` is not listed in any kustomization.',
    ]);
  });

  test('a Gateway API backendRef without a weight has the default 1: its hint goes after its name and says so', () => {
    const route =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: metal-route\nspec:\n  rules:\n    - backendRefs:\n' +
      '        - name: metal-v1\n          port: 9080\n        - name: metal-v2\n          port: 9080\n          weight: 3\n';
    const { workspace } = workspaceOf({ 'route.yaml': route }, 'stage-canary-2-v2-5');
    assert.deepEqual(
      weightHints(workspace.file(path.join(ROOT, 'route.yaml'))!).map((h) => [h.position.line, h.position.character, h.label]),
      [
        [7, 24, ' (weight 1) 25 %'],
        [11, 19, ' 75 %'],
      ],
    );
  });

  test('completion of a patch path and of a sibling directory', () => {
    const { text, position } = cursor('resources:\n- app.yaml\npatches:\n- path: pa|\n');
    const { model } = workspaceOf({
      'kustomization.yaml': text,
      'app.yaml': 'kind: ConfigMap\n',
      'patch.yaml': 'kind: ConfigMap\n',
      'base/kustomization.yaml': 'resources: []\n',
    });
    assert.deepEqual(
      completionsAt(model(), path.join(ROOT, 'kustomization.yaml'), position).map((c) => [c.label, c.detail, c.newText]),
      [
        ['patch.yaml', 'not listed yet', 'patch.yaml'],
        ['base/', 'not listed yet', 'base/'],
        ['app.yaml', 'listed', 'app.yaml'],
      ],
    );
  });
});

describe('navigation: Gateway API references', () => {
  test('a backendRef name completes Service names, running ones first; a grant names its Service', () => {
    const typed = cursor(
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: metal-route\nspec:\n  rules:\n    - backendRefs:\n        - name: |\n',
    );
    const grant =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: ReferenceGrant\nmetadata:\n  name: from-dj\n  namespace: records\nspec:\n  from:\n    - group: gateway.networking.k8s.io\n      kind: HTTPRoute\n      namespace: dj\n  to:\n    - group: ""\n      kind: Service\n      name: metal-v2\n';
    const { model } = workspaceOf({ 'typed.yaml': typed.text, 'grant.yaml': grant }, 'gateway-backend-not-running');
    const names = completionsAt(model(), path.join(ROOT, 'typed.yaml'), typed.position).map((c) => [c.label, c.detail]);
    // Running Services first (metal-v1, jazz-v1 and the frontend's), then those whose files are commented out.
    assert.deepEqual(names.slice(0, 2), [
      ['dj', 'Service · running'],
      ['jazz', 'Service · running'],
    ]);
    assert.ok(names.findIndex(([label]) => label === 'metal-v2') > names.findIndex(([label]) => label === 'metal-v1'), JSON.stringify(names));
    const symbol = meshSymbolAt(model(), path.join(ROOT, 'grant.yaml'), { line: 13, character: 13 });
    assert.equal(symbol?.kind, 'Service');
    assert.deepEqual(
      referencesOf(model(), symbol!, false)
        .map((l) => path.basename(l.path))
        .sort(),
      ['dj-route-v1-5-v2-95.yaml', 'dj-route-v1-95-v2-5.yaml', 'dj-route-v1.yaml', 'dj-route-v2.yaml', 'grant.yaml'],
    );
  });
});
