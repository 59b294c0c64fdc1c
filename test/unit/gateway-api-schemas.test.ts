// Holds the Gateway API dialect's schemas (schemas/gatewayapi/, schemas/linkerd/) to the constraints
// of their CRDs, stored in scripts/schemas/gateway-api-crd-constraints.json, and the engine's tables
// of served kinds to scripts/schemas/gateway-api-served.json; both are written by
// scripts/schemas/gateway-api-crds.mjs from the upstream repositories (its `check` mode needs git).
// Then validates real manifests of those projects, and broken copies of them, as the product does.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject } from 'ajv';
import {
  EXPERIMENTAL_VERSIONS,
  GATEWAY_API_GROUP,
  GATEWAY_API_SERVED_KINDS,
  LATTICE_GROUP,
  LATTICE_SERVED_KINDS,
} from '../../server/src/engine/dialects/gatewayapi/api';
import { precompiledDirectory, SchemaStore } from '../../server/src/engine/schemas';
import { parseYaml } from '../../server/src/engine/yaml';
import { REPO } from '../support/cases';

type Fields = Record<string, Record<string, unknown>>;
interface Difference {
  path: string;
  problem: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const constraints = require(path.join(REPO, 'scripts/schemas/constraints.cjs')) as {
  flattenOurs(schema: unknown, options: { strict: boolean }): Fields;
  compare(crd: Fields, ours: Fields, options: { complete: boolean; strict: boolean }): Difference[];
};
const data = JSON.parse(fs.readFileSync(path.join(REPO, 'scripts/schemas/gateway-api-crd-constraints.json'), 'utf8')) as {
  schemas: Record<string, { source: string; fields: Fields }>;
};
type Versions = Record<string, string[]>;
const served = JSON.parse(fs.readFileSync(path.join(REPO, 'scripts/schemas/gateway-api-served.json'), 'utf8')) as Record<
  string,
  { source: string; standard?: Versions; experimental?: Versions; served?: Versions }
>;

const SCHEMAS = path.join(REPO, 'schemas');
const OWNED = ['gatewayapi', 'linkerd'];

function schemaFiles(): string[] {
  return OWNED.flatMap((folder) =>
    fs
      .readdirSync(path.join(SCHEMAS, folder), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.schema.json'))
      .map((f) => `${folder}/${f.split(path.sep).join('/')}`),
  ).sort();
}

function ourSchema(relative: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(SCHEMAS, relative), 'utf8')) as Record<string, unknown>;
}

function differences(relative: string, schema: unknown): string[] {
  return constraints
    .compare(data.schemas[relative].fields, constraints.flattenOurs(schema, { strict: true }), { complete: true, strict: true })
    .map((d) => `${relative} ${d.path}: ${d.problem}`);
}

/** The schema of an object, in the layout of schemas/ (the dialect maps the same; this test keeps its own copy). */
function schemaFor(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.split('/');
  const folder = {
    [GATEWAY_API_GROUP]: `gatewayapi/${version}`,
    [LATTICE_GROUP]: `gatewayapi/lattice/${version}`,
    'policy.linkerd.io': `linkerd/policy/${version}`,
    'linkerd.io': `linkerd/linkerd/${version}`,
    'split.smi-spec.io': `linkerd/smi/${version}`,
  }[group];
  assert.ok(folder, `a folder for ${apiVersion}`);
  return `${folder}/${kind.toLowerCase()}.schema.json`;
}

describe('Gateway API schemas and their CRDs', () => {
  test('the constraint data records the CRD revision and file of every schema', () => {
    for (const [relative, { source }] of Object.entries(data.schemas)) {
      assert.match(source, /^[\w-]+\/[\w-]+@[\w.-]+ [0-9a-f]{40} [\w./-]+\.yaml$/, `${relative} source`);
    }
    assert.deepEqual(Object.keys(data.schemas).sort(), schemaFiles(), 'one data entry per schema file, and no other');
  });

  test('every schema has every constraint of its CRD, and no field the CRD lacks', () => {
    let fields = 0;
    for (const relative of schemaFiles()) {
      assert.deepEqual(differences(relative, ourSchema(relative)), [], 'run: node scripts/schemas/gateway-api-crds.mjs generate');
      fields += Object.keys(data.schemas[relative].fields).length;
    }
    assert.ok(fields > 1000, `fields checked: ${fields}`);
  });

  test('a planted drift is caught: a weight range, a closed object opened, a pattern, a default, a field we added', () => {
    const relative = 'gatewayapi/v1/httproute.schema.json';
    const schema = ourSchema(relative) as { properties: { spec: Node } };
    type Node = { properties: Record<string, Node>; items: Node; [keyword: string]: unknown };
    const rule = schema.properties.spec.properties.rules.items;
    const backend = rule.properties.backendRefs.items;
    backend.properties.weight.maximum = 100;
    delete rule.properties.matches.items.properties.path.additionalProperties;
    backend.properties.name.pattern = '^[a-z]+$';
    backend.properties.kind.default = 'ServiceImport';
    backend.properties.invented = { type: 'string' } as unknown as Node;
    assert.deepEqual(differences(relative, schema), [
      `${relative} spec.rules[].backendRefs[].kind: default: CRD "Service", ours "ServiceImport"`,
      `${relative} spec.rules[].backendRefs[].name: pattern: CRD none, ours "^[a-z]+$"`,
      `${relative} spec.rules[].backendRefs[].weight: maximum: CRD 1000000, ours 100`,
      `${relative} spec.rules[].matches[].path: closed: CRD true, ours none`,
      `${relative} spec.rules[].backendRefs[].invented: not in the CRD`,
    ]);
    const split = ourSchema('linkerd/smi/v1alpha1/trafficsplit.schema.json') as {
      properties: { spec: { properties: { backends: { items: { properties: { weight: Record<string, unknown> } } } } } };
    };
    // A weight made integer-only: the CRD's int-or-string is lost.
    split.properties.spec.properties.backends.items.properties.weight = { type: 'integer' };
    assert.deepEqual(differences('linkerd/smi/v1alpha1/trafficsplit.schema.json', split), [
      'linkerd/smi/v1alpha1/trafficsplit.schema.json spec.backends[].weight|anyOf0: missing in ours',
      'linkerd/smi/v1alpha1/trafficsplit.schema.json spec.backends[].weight|anyOf1: missing in ours',
    ]);
  });

  test('the schemas carry no upstream prose and no x-kubernetes keyword', () => {
    for (const relative of schemaFiles()) {
      const text = fs.readFileSync(path.join(SCHEMAS, relative), 'utf8');
      assert.doesNotMatch(text, /"x-kubernetes-/, relative);
      const descriptions = [...text.matchAll(/"description": "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
      // Upstream doc comments are paragraphs, with RFC words and line breaks; ours are one short sentence.
      for (const d of descriptions) assert.ok(d.length <= 160 && !/\\n|MUST|SHOULD/.test(d), `${relative}: ${d}`);
      const spec = (ourSchema(relative) as { properties: Record<string, { description?: string }> }).properties;
      for (const key of ['apiVersion', 'kind', 'metadata']) assert.ok(spec[key].description, `${relative} ${key} is described`);
    }
  });
});

describe('served versions and kinds', () => {
  const gatewayApi = served[GATEWAY_API_GROUP];
  const sorted = (versions: Readonly<Record<string, readonly string[]>>) =>
    Object.fromEntries(Object.entries(versions).map(([version, kinds]) => [version, [...kinds].sort()]));

  test('the data records its source revisions', () => {
    assert.match(gatewayApi.source, /^kubernetes-sigs\/gateway-api@v1\.6\.1 [0-9a-f]{40}$/);
    assert.match(served[LATTICE_GROUP].source, /^aws\/aws-application-networking-k8s@v2\.1\.3 [0-9a-f]{40}$/);
  });

  test('the engine serves what the standard channel serves, and the experimental channel’s extra versions as experimental', () => {
    assert.ok(gatewayApi.standard && gatewayApi.experimental);
    const standardVersions = Object.keys(gatewayApi.standard);
    const experimentalOnly = Object.keys(gatewayApi.experimental).filter((v) => !standardVersions.includes(v));
    assert.deepEqual([...EXPERIMENTAL_VERSIONS].sort(), experimentalOnly.sort());
    const expected = { ...gatewayApi.standard, ...Object.fromEntries(experimentalOnly.map((v) => [v, gatewayApi.experimental![v]])) };
    assert.deepEqual(sorted(GATEWAY_API_SERVED_KINDS), sorted(expected));
  });

  test('the engine knows every kind the Lattice controller’s CRDs serve', () => {
    assert.deepEqual(sorted(LATTICE_SERVED_KINDS), sorted(served[LATTICE_GROUP].served!));
  });

  test('every kind of the standard channel and of the Lattice CRDs has its schema, and no experimental-only version has one', () => {
    const expected = [
      ...Object.entries(gatewayApi.standard!).flatMap(([version, kinds]) => kinds.map((kind) => schemaFor(`${GATEWAY_API_GROUP}/${version}`, kind))),
      ...Object.entries(served[LATTICE_GROUP].served!).flatMap(([version, kinds]) => kinds.map((kind) => schemaFor(`${LATTICE_GROUP}/${version}`, kind))),
    ].sort();
    assert.deepEqual(
      schemaFiles().filter((f) => f.startsWith('gatewayapi/')),
      expected,
    );
    for (const version of EXPERIMENTAL_VERSIONS) assert.ok(!fs.existsSync(path.join(SCHEMAS, 'gatewayapi', version)), `no gatewayapi/${version}`);
  });
});

describe('real manifests against the schemas, compiled as the product compiles them', () => {
  // The build's precompiled validators (dist/schemas) and validators compiled here from schemas/.
  const stores = { precompiled: new SchemaStore(), 'compiled at run time': new SchemaStore(undefined, null) };
  const EXAMPLES = path.join(REPO, 'test', 'fixtures', 'gateway-api-examples');
  const objects = fs
    .readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((file) => parseYaml(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')).values.map((value) => ({ file, value: value as Record<string, unknown> })))
    .filter(({ value }) => typeof value?.apiVersion === 'string' && String(value.apiVersion).includes('/') && !String(value.apiVersion).startsWith('v1'));
  const route = () =>
    structuredClone(objects.find(({ file }) => file === 'traffic-splitting-traffic-split-2.yaml')!.value) as {
      apiVersion: string;
      spec: { rules: { matches?: { path: { type: string } }[]; backendRefs: { name: string; port: number; weight?: number }[] }[] };
    };
  const errorsOf = (store: SchemaStore, value: { apiVersion: string; kind?: unknown }) =>
    store.validate(schemaFor(value.apiVersion, String((value as { kind: string }).kind)), value);
  const brief = (errors: ErrorObject[]) => errors.map((e) => `${e.instancePath} ${e.keyword}`);

  for (const [name, store] of Object.entries(stores)) {
    test(`${name}: the Gateway API and Lattice examples are valid`, () => {
      if (name === 'precompiled') {
        const directory = precompiledDirectory();
        assert.ok(directory && fs.existsSync(path.join(directory, 'gatewayapi/v1/httproute.schema.js')), 'the build precompiled the schemas (npm run build)');
      }
      const kinds = new Set<string>();
      for (const { file, value } of objects) {
        assert.deepEqual(brief(errorsOf(store, value as { apiVersion: string })), [], `${file} ${String(value.kind)}`);
        kinds.add(`${String(value.apiVersion)} ${String(value.kind)}`);
      }
      for (const kind of ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'UDPRoute', 'TLSRoute', 'Gateway', 'ReferenceGrant', 'ListenerSet', 'BackendTLSPolicy']) {
        assert.ok(kinds.has(`gateway.networking.k8s.io/v1 ${kind}`), `an example of ${kind}`);
      }
      for (const kind of ['ServiceExport', 'ServiceImport', 'TargetGroupPolicy']) assert.ok(kinds.has(`application-networking.k8s.aws/v1alpha1 ${kind}`));
      // v1beta1 is still served for HTTPRoute, with the same schema.
      assert.deepEqual(brief(errorsOf(store, { ...route(), apiVersion: 'gateway.networking.k8s.io/v1beta1' })), []);
    });

    test(`${name}: broken copies fail at the bad field`, () => {
      const negative = route();
      negative.spec.rules[0].backendRefs[0].weight = -1;
      assert.deepEqual(brief(errorsOf(store, negative)), ['/spec/rules/0/backendRefs/0/weight minimum']);
      const tooHeavy = route();
      tooHeavy.spec.rules[0].backendRefs[1].weight = 1_000_001;
      assert.deepEqual(brief(errorsOf(store, tooHeavy)), ['/spec/rules/0/backendRefs/1/weight maximum']);
      const crowded = route();
      crowded.spec.rules[0].backendRefs = Array.from({ length: 17 }, (_, i) => ({ name: `v${i}`, port: 8080, weight: 1 }));
      assert.deepEqual(brief(errorsOf(store, crowded)), ['/spec/rules/0/backendRefs maxItems']);
      const regex = structuredClone(objects.find(({ file }) => file === 'http-redirect-rewrite-httproute-rewrite-prefix-path.yaml')!.value) as ReturnType<
        typeof route
      >;
      regex.spec.rules[0].matches![0].path.type = 'Regex';
      const errors = errorsOf(store, regex);
      assert.deepEqual(brief(errors), ['/spec/rules/0/matches/0/path/type enum']);
      assert.deepEqual((errors[0].params as { allowedValues: string[] }).allowedValues, ['Exact', 'PathPrefix', 'RegularExpression']);
      const unknown = route() as unknown as { spec: { rules: Record<string, unknown>[] } };
      unknown.spec.rules[0].backendRef = [];
      assert.deepEqual(brief(errorsOf(store, unknown as unknown as ReturnType<typeof route>)), ['/spec/rules/0 additionalProperties']);
    });

    test(`${name}: Linkerd and SMI routers validate, and their weights are checked as their CRDs say`, () => {
      const linkerdRoute = {
        apiVersion: 'policy.linkerd.io/v1beta3',
        kind: 'HTTPRoute',
        metadata: { name: 'bb-route', namespace: 'demo' },
        spec: {
          parentRefs: [{ name: 'bb', kind: 'Service', group: 'core', port: 8080 }],
          rules: [
            {
              backendRefs: [
                { name: 'bb', port: 8080, weight: 90 },
                { name: 'bb-v2', port: 8080, weight: 10 },
              ],
            },
          ],
        },
      };
      assert.deepEqual(brief(errorsOf(store, linkerdRoute)), []);
      linkerdRoute.spec.rules[0].backendRefs[0].weight = -5;
      assert.deepEqual(brief(errorsOf(store, linkerdRoute)), ['/spec/rules/0/backendRefs/0/weight minimum']);
      const split = (apiVersion: string, weight: unknown) => ({
        apiVersion,
        kind: 'TrafficSplit',
        metadata: { name: 'split' },
        spec: { service: 'web', backends: [{ service: 'web-v1', weight }] },
      });
      // v1alpha1 weights are int-or-string (a quantity like "500m"); v1alpha2 weights are numbers.
      assert.deepEqual(brief(errorsOf(store, split('split.smi-spec.io/v1alpha1', '500m'))), []);
      assert.deepEqual(brief(errorsOf(store, split('split.smi-spec.io/v1alpha2', 50))), []);
      assert.deepEqual(brief(errorsOf(store, split('split.smi-spec.io/v1alpha2', '50'))), ['/spec/backends/0/weight type']);
      assert.deepEqual(brief(errorsOf(store, split('split.smi-spec.io/v1alpha1', true))), [
        '/spec/backends/0/weight type',
        '/spec/backends/0/weight type',
        '/spec/backends/0/weight anyOf',
      ]);
    });
  }
});
