// Holds the Istio dialect's schemas (schemas/istio/) to the constraints of Istio's CRDs, stored in
// scripts/schemas/istio-crd-constraints.json, and to the served versions in
// scripts/schemas/istio-served.json; both are written by scripts/schemas/istio-crds.mjs from
// istio/istio (its `check` mode needs git). Then validates manifests written here
// (test/fixtures/istio-examples/), and broken copies of them, as the product does.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ErrorObject } from 'ajv';
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
const data = JSON.parse(fs.readFileSync(path.join(REPO, 'scripts/schemas/istio-crd-constraints.json'), 'utf8')) as {
  schemas: Record<string, { source: string; fields: Fields }>;
};
const served = JSON.parse(fs.readFileSync(path.join(REPO, 'scripts/schemas/istio-served.json'), 'utf8')) as Record<
  string,
  { source: string; served: Record<string, string[]> }
>;

const GROUP = 'networking.istio.io';
const VERSIONS = ['v1', 'v1beta1', 'v1alpha3'];
const KINDS = ['VirtualService', 'DestinationRule', 'ServiceEntry', 'Gateway', 'Sidecar', 'WorkloadEntry'];
const SCHEMAS = path.join(REPO, 'schemas');

function schemaFiles(): string[] {
  return fs
    .readdirSync(path.join(SCHEMAS, 'istio'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => `istio/${f.split(path.sep).join('/')}`)
    .sort();
}

/** The schema of an object, in the layout of schemas/ (the dialect maps the same; this test keeps its own copy). */
function schemaFor(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.split('/');
  assert.equal(group, GROUP, `an Istio networking object: ${apiVersion}`);
  return `istio/${version}/${kind.toLowerCase()}.schema.json`;
}

function ourSchema(relative: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(SCHEMAS, relative), 'utf8')) as Record<string, unknown>;
}

function differences(relative: string, schema: unknown): string[] {
  return constraints
    .compare(data.schemas[relative].fields, constraints.flattenOurs(schema, { strict: true }), { complete: true, strict: true })
    .map((d) => `${relative} ${d.path}: ${d.problem}`);
}

type Node = { properties: Record<string, Node>; items: Node; $ref?: string; [keyword: string]: unknown };
/** A node of a schema, with `#/definitions/…` references followed (the generator shares repeated objects). */
function at(schema: Record<string, unknown>, node: Node): Node {
  while (node.$ref)
    node = node.$ref
      .replace('#/', '')
      .split('/')
      .reduce((n: unknown, key) => (n as Record<string, unknown>)[key], schema) as Node;
  return node;
}

describe('Istio schemas and their CRDs', () => {
  test('the constraint data records the CRD revision and file of every schema', () => {
    for (const [relative, { source }] of Object.entries(data.schemas)) {
      assert.match(source, /^istio\/istio@1\.\d+\.\d+ [0-9a-f]{40} manifests\/charts\/base\/files\/crd-all\.gen\.yaml$/, `${relative} source`);
    }
    assert.deepEqual(Object.keys(data.schemas).sort(), schemaFiles(), 'one data entry per schema file, and no other');
  });

  test('every schema has every constraint of its CRD, and no field the CRD lacks', () => {
    let fields = 0;
    for (const relative of schemaFiles()) {
      assert.deepEqual(differences(relative, ourSchema(relative)), [], 'run: node scripts/schemas/istio-crds.mjs generate');
      fields += Object.keys(data.schemas[relative].fields).length;
    }
    assert.ok(fields > 2000, `fields checked: ${fields}`);
  });

  test('a route weight has no range, as in the CRD; giving it one is a drift', () => {
    const relative = 'istio/v1/virtualservice.schema.json';
    assert.deepEqual(data.schemas[relative].fields['spec.http[].route[].weight'], { type: 'integer' });
    const schema = ourSchema(relative);
    const route = at(schema, (schema as { properties: { spec: Node } }).properties.spec.properties.http.items.properties.route.items);
    route.properties.weight.minimum = 0;
    route.properties.weight.maximum = 100;
    assert.deepEqual(differences(relative, schema), [
      `${relative} spec.http[].route[].weight: minimum: CRD none, ours 0`,
      `${relative} spec.http[].route[].weight: maximum: CRD none, ours 100`,
    ]);
  });

  test('a planted drift is caught: a closed object opened, a oneOf dropped, a nullable lost, a field we added', () => {
    const relative = 'istio/v1/destinationrule.schema.json';
    const schema = ourSchema(relative);
    const policy = at(schema, (schema as { properties: { spec: Node } }).properties.spec.properties.trafficPolicy);
    const loadBalancer = at(schema, policy.properties.loadBalancer);
    delete loadBalancer.additionalProperties;
    delete loadBalancer.oneOf;
    const outlier = at(schema, policy.properties.outlierDetection);
    delete at(schema, outlier.properties.consecutive5xxErrors).nullable;
    policy.properties.invented = { type: 'string' } as unknown as Node;
    const found = differences(relative, schema);
    // The load balancer and outlier detection are shared with subsets and port settings (one definition).
    for (const expected of [
      `${relative} spec.trafficPolicy.loadBalancer: closed: CRD true, ours none`,
      `${relative} spec.trafficPolicy.loadBalancer|oneOf0: missing in ours`,
      `${relative} spec.trafficPolicy.outlierDetection.consecutive5xxErrors: nullable: CRD true, ours none`,
      `${relative} spec.trafficPolicy.invented: not in the CRD`,
    ]) {
      assert.ok(found.includes(expected), `${expected}\n in:\n${found.join('\n')}`);
    }
  });

  test('the schemas carry no upstream prose and no x-kubernetes keyword', () => {
    for (const relative of schemaFiles()) {
      const text = fs.readFileSync(path.join(SCHEMAS, relative), 'utf8');
      assert.doesNotMatch(text, /"x-kubernetes-/, relative);
      const descriptions = [...text.matchAll(/"description": "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
      // Upstream doc comments are paragraphs with line breaks; ours are one short sentence.
      for (const d of descriptions) assert.ok(d.length <= 160 && !/\\n|MUST|SHOULD/.test(d), `${relative}: ${d}`);
      assert.ok(descriptions.length > 12, `${relative}: ${descriptions.length} descriptions`);
    }
  });
});

describe('served versions and kinds', () => {
  test('the data records its source revision', () => {
    assert.match(served[GROUP].source, /^istio\/istio@1\.\d+\.\d+ [0-9a-f]{40}$/);
  });

  test('every served version of the kinds we describe has its schema, and nothing else is in schemas/istio', () => {
    const expected = Object.entries(served[GROUP].served)
      .flatMap(([version, kinds]) => kinds.filter((kind) => KINDS.includes(kind)).map((kind) => schemaFor(`${GROUP}/${version}`, kind)))
      .sort();
    assert.deepEqual(schemaFiles(), expected);
    for (const version of VERSIONS) for (const kind of KINDS) assert.ok(expected.includes(schemaFor(`${GROUP}/${version}`, kind)), `${version} ${kind}`);
  });
});

describe('manifests written here against the schemas, compiled as the product compiles them', () => {
  // The build's precompiled validators (dist/schemas) and validators compiled here from schemas/.
  const stores = { precompiled: new SchemaStore(), 'compiled at run time': new SchemaStore(undefined, null) };
  const EXAMPLES = path.join(REPO, 'test', 'fixtures', 'istio-examples');
  const objects = fs
    .readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((file) =>
      parseYaml(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')).values.map((value) => ({ file, value: value as Record<string, unknown> })),
    );
  const example = (kind: string, name: string) =>
    structuredClone(objects.find(({ value }) => value.kind === kind && (value.metadata as { name: string }).name === name)!.value);
  type Destination = { host?: string; subset?: string; port?: { number: unknown } };
  type HttpRoute = {
    match: { uri: Record<string, string> }[];
    route: Record<string, unknown> & { destination: Destination; weight?: unknown }[];
  };
  const checkout = () => example('VirtualService', 'checkout') as unknown as { apiVersion: string; kind: string; spec: { http: HttpRoute[] } };
  const errorsOf = (store: SchemaStore, value: { apiVersion?: unknown; kind?: unknown }) =>
    store.validate(schemaFor(String(value.apiVersion), String(value.kind)), value);
  const brief = (errors: ErrorObject[]) => errors.map((e) => `${e.instancePath} ${e.keyword}`);

  for (const [name, store] of Object.entries(stores)) {
    test(`${name}: every example is valid in every served version`, () => {
      if (name === 'precompiled') {
        const directory = precompiledDirectory();
        assert.ok(directory && fs.existsSync(path.join(directory, 'istio/v1/virtualservice.schema.js')), 'the build precompiled the schemas (npm run build)');
      }
      const kinds = new Set<string>();
      for (const { file, value } of objects) {
        for (const version of VERSIONS) {
          const copy = { ...value, apiVersion: `${GROUP}/${version}` };
          assert.deepEqual(brief(errorsOf(store, copy)), [], `${file} ${String(value.kind)} ${version}`);
        }
        kinds.add(String(value.kind));
      }
      assert.deepEqual([...kinds].sort(), [...KINDS].sort());
      // The examples are written in all three versions, not only v1.
      assert.deepEqual([...new Set(objects.map(({ value }) => value.apiVersion))].sort(), VERSIONS.map((v) => `${GROUP}/${v}`).sort());
    });

    test(`${name}: broken copies fail at the bad field`, () => {
      const typo = checkout();
      const first = typo.spec.http[1].route[0] as Record<string, unknown>;
      first.destinations = first.destination;
      delete first.destination;
      const typoErrors = errorsOf(store, typo);
      assert.deepEqual(brief(typoErrors).sort(), ['/spec/http/1/route/0 additionalProperties', '/spec/http/1/route/0 required']);
      assert.ok(typoErrors.some((e) => (e.params as { additionalProperty?: string }).additionalProperty === 'destinations'));

      const textWeight = checkout();
      textWeight.spec.http[1].route[1].weight = '10';
      assert.deepEqual(brief(errorsOf(store, textWeight)), ['/spec/http/1/route/1/weight type']);

      const textPort = checkout();
      textPort.spec.http[0].route[0].destination.port = { number: '8080' };
      assert.deepEqual(brief(errorsOf(store, textPort)), ['/spec/http/0/route/0/destination/port/number type']);

      const noHost = checkout();
      delete noHost.spec.http[1].route[0].destination.host;
      const noHostErrors = errorsOf(store, noHost);
      assert.deepEqual(brief(noHostErrors), ['/spec/http/1/route/0/destination required']);
      assert.deepEqual(noHostErrors[0].params, { missingProperty: 'host' });

      const bothMatches = checkout();
      bothMatches.spec.http[1].match[0].uri.exact = '/';
      // Istio's oneOf: a branch for none of the fields (its `not` fails too) and one per field; two match neither.
      assert.deepEqual(brief(errorsOf(store, bothMatches)), ['/spec/http/1/match/0/uri not', '/spec/http/1/match/0/uri oneOf']);

      const rule = example('DestinationRule', 'checkout') as { kind: string; spec: { host?: string; subsets: { name?: string }[] } };
      assert.equal(rule.kind, 'DestinationRule');
      delete rule.spec.host;
      delete rule.spec.subsets[0].name;
      assert.deepEqual(brief(errorsOf(store, rule)).sort(), ['/spec required', '/spec/subsets/0 required']);

      const entry = example('ServiceEntry', 'payments-provider') as {
        kind: string;
        spec: { hosts?: string[]; resolution: string; ports: { number: unknown }[] };
      };
      assert.equal(entry.kind, 'ServiceEntry');
      delete entry.spec.hosts;
      entry.spec.resolution = 'DYNAMIC';
      entry.spec.ports[0].number = '443';
      assert.deepEqual(brief(errorsOf(store, entry)).sort(), ['/spec required', '/spec/ports/0/number type', '/spec/resolution enum']);

      const gateway = example('Gateway', 'storefront') as { kind: string; spec: { servers: { port: { number: unknown }; hosts?: string[] }[] } };
      gateway.spec.servers[0].port.number = '443';
      delete gateway.spec.servers[1].hosts;
      assert.deepEqual(brief(errorsOf(store, gateway)).sort(), ['/spec/servers/0/port/number type', '/spec/servers/1 required']);
    });

    test(`${name}: what the CRD leaves to Istio's validation passes the schema (weights, durations)`, () => {
      // No range on weight: a negative weight, or weights of 0 for several destinations, are for rules to report.
      const negative = checkout();
      negative.spec.http[1].route[0].weight = -5;
      assert.deepEqual(brief(errorsOf(store, negative)), []);
      const unweighted = checkout();
      for (const destination of unweighted.spec.http[1].route) delete destination.weight;
      assert.deepEqual(brief(errorsOf(store, unweighted)), []);
      // Durations are checked by CEL rules in the CRD, not by the schema.
      const timeout = checkout() as unknown as { spec: { http: { timeout?: string }[] } };
      timeout.spec.http[0].timeout = 'soon';
      assert.deepEqual(brief(errorsOf(store, timeout as unknown as { apiVersion: string; kind: string })), []);
      // Optional booleans and counts may be null (`nullable` in the CRD); other fields may not.
      const rule = example('DestinationRule', 'checkout') as { spec: { trafficPolicy: { outlierDetection: Record<string, unknown> } } };
      rule.spec.trafficPolicy.outlierDetection.consecutive5xxErrors = null;
      assert.deepEqual(brief(errorsOf(store, rule as unknown as { apiVersion: string; kind: string })), []);
      rule.spec.trafficPolicy.outlierDetection.maxEjectionPercent = null;
      assert.deepEqual(brief(errorsOf(store, rule as unknown as { apiVersion: string; kind: string })), [
        '/spec/trafficPolicy/outlierDetection/maxEjectionPercent type',
      ]);
    });
  }
});
