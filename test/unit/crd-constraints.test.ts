// Holds our App Mesh schemas to the constraints of the controller's CRDs, stored in
// scripts/schemas/appmesh-crd-constraints.json (scripts/schemas/appmesh-crds.mjs extracts them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { APP_MESH_SERVED_KINDS, V1BETA2_RENAMES } from '../../server/src/engine/dialects/appmesh/api';

// The compiled test runs from out/test/unit/, so the repository root is three levels up.
const ROOT = path.resolve(__dirname, '../../..');

type Fields = Record<string, Record<string, unknown>>;
interface Difference {
  path: string;
  problem: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const constraints = require(path.join(ROOT, 'scripts/schemas/constraints.cjs')) as {
  flattenOurs(schema: unknown): Fields;
  compare(crd: Fields, ours: Fields, options: { complete: boolean }): Difference[];
};
const data = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts/schemas/appmesh-crd-constraints.json'), 'utf8')) as {
  kinds: Record<string, { source: string; complete: boolean; fields: Fields }>;
};

function ourSchema(version: string, kind: string): Record<string, unknown> | undefined {
  const file = path.join(ROOT, 'schemas/appmesh', version, `${kind.toLowerCase()}.schema.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : undefined;
}

function differences(key: string, schema: unknown): string[] {
  const { fields, complete } = data.kinds[key];
  return constraints.compare(fields, constraints.flattenOurs(schema), { complete }).map((d) => `${key} ${d.path}: ${d.problem}`);
}

test('the constraint data records the CRD revision of every kind', () => {
  for (const [key, { source }] of Object.entries(data.kinds)) {
    assert.match(source, /^aws\/aws-app-mesh-controller-for-k8s@v\d+\.\d+\.\d+ [0-9a-f]{40} /, `${key} source`);
  }
});

test('every App Mesh schema of ours has the constraints of its CRD', () => {
  let checked = 0;
  for (const key of Object.keys(data.kinds)) {
    const [version, kind] = key.split('/');
    const schema = ourSchema(version, kind);
    if (!schema) continue;
    checked++;
    assert.deepEqual(differences(key, schema), [], `run: node scripts/schemas/appmesh-crds.mjs apply`);
  }
  assert.equal(checked, 10, 'seven v1beta2 and three v1beta1 schemas are checked');
});

test('a planted drift is caught: one listener at most, an upper-case enum, a field we added', () => {
  const node = ourSchema('v1beta2', 'VirtualNode') as { properties: { spec: { properties: Record<string, Record<string, unknown>> } } };
  node.properties.spec.properties.listeners.maxItems = 1;
  node.properties.spec.properties.invented = { type: 'string' };
  assert.deepEqual(differences('v1beta2/VirtualNode', node), [
    'v1beta2/VirtualNode spec.listeners: maxItems: CRD none, ours 1',
    'v1beta2/VirtualNode spec.invented: not in the CRD',
  ]);
  const mesh = ourSchema('v1beta1', 'Mesh') as { properties: { spec: { properties: { serviceDiscoveryType: { enum: string[] } } } } };
  mesh.properties.spec.properties.serviceDiscoveryType.enum = ['Dns'];
  assert.deepEqual(differences('v1beta1/Mesh', mesh), ['v1beta1/Mesh spec.serviceDiscoveryType: enum: CRD ["dns"], ours ["Dns"]']);
});

test('the served versions and kinds the engine knows are those of the CRDs', () => {
  const served: Record<string, string[]> = {};
  for (const key of Object.keys(data.kinds)) {
    const [version, kind] = key.split('/');
    (served[version] ??= []).push(kind);
  }
  const known = Object.fromEntries(Object.entries(APP_MESH_SERVED_KINDS).map(([version, kinds]) => [version, [...kinds].sort()]));
  assert.deepEqual(known, Object.fromEntries(Object.entries(served).map(([version, kinds]) => [version, kinds.sort()])));
});

test('each v1beta2 rename is a v1beta1 field whose new name is a v1beta2 field, and every …Name → …Ref is listed', () => {
  const names = (version: string) => {
    const set = new Set<string>();
    for (const [key, { fields }] of Object.entries(data.kinds)) {
      if (!key.startsWith(`${version}/`)) continue;
      for (const field of Object.keys(fields))
        set.add(
          field
            .split(/[.[\]{}]+/)
            .filter(Boolean)
            .pop() ?? '',
        );
      // The legacy CRDs list fields only in part; our v1beta1 schemas hold the rest.
      const schema = ourSchema(version, key.split('/')[1]);
      if (schema)
        for (const field of Object.keys(constraints.flattenOurs(schema)))
          set.add(
            field
              .split(/[.[\]{}]+/)
              .filter(Boolean)
              .pop() ?? '',
          );
    }
    return set;
  };
  const v1beta1 = names('v1beta1');
  const v1beta2 = names('v1beta2');
  for (const [old, { renamed }] of Object.entries(V1BETA2_RENAMES)) {
    assert.ok(v1beta1.has(old) && !v1beta2.has(old), `${old} is a v1beta1 field only`);
    assert.ok(v1beta2.has(renamed) && !v1beta1.has(renamed), `${renamed} is a v1beta2 field only`);
  }
  const derived = [...v1beta1].filter((name) => name.endsWith('Name') && v1beta2.has(name.replace(/Name$/, 'Ref')) && !v1beta2.has(name));
  for (const name of derived) assert.equal(V1BETA2_RENAMES[name]?.renamed, name.replace(/Name$/, 'Ref'), `${name} is listed`);
  assert.ok(derived.length >= 3, `found ${derived.join(', ')}`);
});
