import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { APP_MESH_GROUP, APP_MESH_SERVED_KINDS } from '../../server/src/engine/dialects/appmesh/api';
import { GATEWAY_API_GROUP, GATEWAY_API_SERVED_KINDS, LATTICE_GROUP, LATTICE_SERVED_KINDS } from '../../server/src/engine/dialects/gatewayapi/api';
import { ISTIO_GROUP, ISTIO_SERVED_KINDS } from '../../server/src/engine/dialects/istio/api';

const REPO = path.resolve(__dirname, '..', '..', '..');
const ENGINE = path.join(REPO, 'server', 'src', 'engine');
const APP_MESH = path.join(ENGINE, 'dialects', 'appmesh');

/**
 * Field names the App Mesh schemas share with Kubernetes itself or with the successor APIs (Istio's
 * DestinationRule has `connectionPool` and `outlierDetection`, Lattice's TargetGroupPolicy a
 * `healthCheck`): naming them says nothing about App Mesh.
 */
const SHARED_FIELDS = new Set([
  'generateName',
  'matchLabels',
  'matchExpressions',
  'namespaceSelector',
  'namespaceName',
  'secretName',
  'serviceName',
  'hostName',
  'healthCheck',
  'accessLog',
  'privateKey',
  'certificateChain',
  'queryParameters',
  'connectionPool',
  'outlierDetection',
  'maxConnections',
  'maxRequests',
  'maxPendingRequests',
]);

/** Every camelCase property name of the App Mesh schemas that the kustomization schema does not have. */
function appMeshFields(): string[] {
  const collect = (file: string, into: Set<string>): void => {
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(visit);
      else if (node && typeof node === 'object') {
        const properties = (node as { properties?: unknown }).properties;
        if (properties && typeof properties === 'object') Object.keys(properties).forEach((key) => into.add(key));
        Object.values(node).forEach(visit);
      }
    };
    visit(JSON.parse(fs.readFileSync(file, 'utf8')));
  };
  const mesh = new Set<string>();
  const folder = path.join(REPO, 'schemas', 'appmesh');
  for (const version of fs.readdirSync(folder)) for (const file of fs.readdirSync(path.join(folder, version))) collect(path.join(folder, version, file), mesh);
  const kustomization = new Set<string>();
  collect(path.join(REPO, 'schemas', 'kustomization.schema.json'), kustomization);
  return [...mesh].filter((key) => /[A-Z]/.test(key) && !kustomization.has(key) && !SHARED_FIELDS.has(key));
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === APP_MESH ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The code without its comments: a comment may name an example; code and messages may not. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

/** `file:line: name` for each App Mesh kind, field or group named in the engine outside its dialect folder. */
function mentions(names: readonly string[], files: string[]): string[] {
  const pattern = new RegExp(`(?<![A-Za-z0-9])(${names.map((n) => n.replace(/[.]/g, '\\.')).join('|')})(?![A-Za-z0-9])`, 'g');
  return files.flatMap((file) =>
    withoutComments(fs.readFileSync(file, 'utf8'))
      .split('\n')
      .flatMap((line, index) => [...line.matchAll(pattern)].map((m) => `${path.relative(REPO, file)}:${index + 1}: ${m[1]}`)),
  );
}

const names = [...new Set(['App Mesh', APP_MESH_GROUP, ...Object.values(APP_MESH_SERVED_KINDS).flat(), ...appMeshFields()])];

/** Kinds another dialect's own API has under the same name (Istio's VirtualService): its folder may name them. */
const ISTIO_FOLDER = path.join(ENGINE, 'dialects', 'istio');
// Argo Rollouts names the VirtualService it edits under trafficRouting.istio.virtualService.
const istioOwn = new Set([...Object.values(ISTIO_SERVED_KINDS).flat(), 'virtualService']);

test('outside dialects/appmesh/, no engine source names an App Mesh kind, field or API group', () => {
  const files = sourceFiles(ENGINE);
  assert.ok(files.length > 40, 'the engine sources are found');
  assert.ok(names.includes('VirtualRouter') && names.includes('weightedTargets') && names.includes('virtualNodeRef'));
  const found = mentions(names, files).filter((m) => !(m.startsWith(path.relative(REPO, ISTIO_FOLDER)) && istioOwn.has(m.slice(m.lastIndexOf(' ') + 1))));
  assert.deepEqual(found, []);
});

test('the seam check finds a planted mention', () => {
  const planted = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'seam-')), 'planted.ts');
  fs.writeFileSync(planted, "// VirtualNode in a comment is fine\nconst kind = 'VirtualNode';\nconst path = ['spec', 'weightedTargets'];\n");
  assert.deepEqual(
    mentions(names, [planted]).map((m) => m.replace(/^.*planted\.ts/, 'planted.ts')),
    ['planted.ts:2: VirtualNode', 'planted.ts:3: weightedTargets'],
  );
});

/** The Gateway API's kinds, groups and the fields its references use, which only its folder (and Linkerd's, which reads the same routes) may name. */
const GATEWAY_API_NAMES = [
  ...new Set([
    'Gateway API',
    GATEWAY_API_GROUP,
    LATTICE_GROUP,
    ...Object.values(GATEWAY_API_SERVED_KINDS).flat(),
    ...Object.values(LATTICE_SERVED_KINDS).flat(),
    'backendRefs',
    'parentRefs',
    'sectionName',
    'gatewayClassName',
  ]),
];

/** Engine sources outside every dialect folder: the generic rules, the stage model, fixes and navigation. */
function genericSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return path.dirname(full) === path.join(ENGINE, 'dialects') ? [] : genericSources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

test('outside the dialect folders, no engine source names a Gateway API kind, reference field or API group', () => {
  const files = genericSources(ENGINE);
  assert.ok(files.length > 40 && files.some((f) => f.endsWith(path.join('rules', 'routerTargetNotRunning.ts'))), 'the generic sources are found');
  assert.ok(GATEWAY_API_NAMES.includes('HTTPRoute') && GATEWAY_API_NAMES.includes('TargetGroupPolicy'));
  assert.deepEqual(mentions(GATEWAY_API_NAMES, files), []);
  const planted = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'seam-')), 'planted.ts');
  fs.writeFileSync(planted, "const route = object.kind === 'HTTPRoute' && spec.parentRefs;\n");
  assert.deepEqual(
    mentions(GATEWAY_API_NAMES, [planted]).map((m) => m.replace(/^.*planted\.ts/, 'planted.ts')),
    ['planted.ts:1: HTTPRoute', 'planted.ts:1: parentRefs'],
  );
});

/** Istio's kinds and API group, which only its folder may name (App Mesh shares the name VirtualService, checked above). */
const ISTIO_NAMES = [
  ...new Set([
    'Istio',
    ISTIO_GROUP,
    ...Object.values(ISTIO_SERVED_KINDS)
      .flat()
      .filter((kind) => kind !== 'Gateway' && kind !== 'VirtualService'),
  ]),
];

test('outside the dialect folders, no engine source names an Istio kind or API group', () => {
  const files = genericSources(ENGINE);
  assert.ok(ISTIO_NAMES.includes('DestinationRule') && ISTIO_NAMES.includes('ServiceEntry'));
  assert.deepEqual(mentions(ISTIO_NAMES, files), []);
  const planted = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'seam-')), 'planted.ts');
  fs.writeFileSync(planted, "// a DestinationRule in a comment is fine\nconst rule = object.kind === 'DestinationRule';\n");
  assert.deepEqual(
    mentions(ISTIO_NAMES, [planted]).map((m) => m.replace(/^.*planted\.ts/, 'planted.ts')),
    ['planted.ts:2: DestinationRule'],
  );
});
