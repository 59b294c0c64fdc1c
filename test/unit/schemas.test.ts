import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';

// The compiled test runs from out/test/unit/, so the repository root is three levels up.
const SCHEMAS_DIR = path.resolve(__dirname, '../../../schemas');

interface LoadedSchema {
  rel: string;
  schema: Record<string, unknown>;
}

function listSchemaFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSchemaFiles(full));
    else if (entry.name.endsWith('.schema.json')) out.push(full);
  }
  return out.sort();
}

function loadSchemas(): LoadedSchema[] {
  return listSchemaFiles(SCHEMAS_DIR).map((file) => ({
    rel: path.relative(SCHEMAS_DIR, file).split(path.sep).join('/'),
    schema: JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>,
  }));
}

const schemas = loadSchemas();
const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();

function validator(rel: string): ValidateFunction {
  let v = validators.get(rel);
  if (!v) {
    const found = schemas.find((s) => s.rel === rel);
    assert.ok(found, `schema ${rel} exists`);
    v = ajv.compile(found.schema);
    validators.set(rel, v);
  }
  return v;
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return JSON.stringify(
    (errors ?? []).map((e) => ({ keyword: e.keyword, instancePath: e.instancePath, message: e.message, params: e.params })),
    null,
    2,
  );
}

function assertValid(rel: string, data: unknown): void {
  const v = validator(rel);
  const ok = v(data);
  assert.equal(ok, true, `expected ${rel} to accept the object, got errors:\n${describeErrors(v.errors)}`);
}

function assertError(rel: string, data: unknown, keyword: string, instancePath: string, params?: Record<string, unknown>): ErrorObject {
  const v = validator(rel);
  const ok = v(data);
  assert.equal(ok, false, `expected ${rel} to reject the object`);
  const match = (v.errors ?? []).find((e) => {
    if (e.keyword !== keyword || e.instancePath !== instancePath) return false;
    if (!params) return true;
    const actual = e.params as Record<string, unknown>;
    return Object.entries(params).every(([k, val]) => actual[k] === val);
  });
  assert.ok(match, `expected a "${keyword}" error at "${instancePath}"${params ? ` with ${JSON.stringify(params)}` : ''}, got:\n${describeErrors(v.errors)}`);
  return match;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

// ------------------------------------------------------------------ fixtures --

const ROUTER = 'appmesh/v1beta2/virtualrouter.schema.json';
const NODE = 'appmesh/v1beta2/virtualnode.schema.json';
const SERVICE = 'appmesh/v1beta2/virtualservice.schema.json';
const KUSTOMIZATION = 'kustomization.schema.json';

// metal-router sending 95 % to v1 and 5 % to v2 (canary stage).
const canaryRouter = {
  apiVersion: 'appmesh.k8s.aws/v1beta2',
  kind: 'VirtualRouter',
  metadata: { name: 'metal-router', namespace: '${example_namespace}' },
  spec: {
    awsName: 'metal-router-${example_namespace}',
    listeners: [{ portMapping: { port: 9080, protocol: 'http' } }],
    routes: [
      {
        name: 'metal-route',
        priority: 10,
        httpRoute: {
          match: { prefix: '/' },
          action: {
            weightedTargets: [
              { virtualNodeRef: { name: 'metal-v1' }, weight: 95 },
              { virtualNodeRef: { name: 'metal-v2', namespace: '${example_namespace}' }, weight: 5 },
            ],
          },
          retryPolicy: { maxRetries: 2, perRetryTimeout: { unit: 'ms', value: 2000 }, httpRetryEvents: ['server-error'] },
          timeout: { perRequest: { unit: 's', value: 15 } },
        },
      },
    ],
  },
};

const metalV2Node = {
  apiVersion: 'appmesh.k8s.aws/v1beta2',
  kind: 'VirtualNode',
  metadata: { name: 'metal-v2', namespace: '${example_namespace}', labels: { app: 'metal', version: 'v2' } },
  spec: {
    podSelector: { matchLabels: { app: 'metal', version: 'v2' } },
    listeners: [
      {
        portMapping: { port: 9080, protocol: 'http' },
        healthCheck: {
          protocol: 'http',
          path: '/ping',
          healthyThreshold: 2,
          unhealthyThreshold: 2,
          timeoutMillis: 2000,
          intervalMillis: 5000,
        },
      },
    ],
    serviceDiscovery: { dns: { hostname: 'metal-v2.${example_namespace}.svc.cluster.local' } },
    backends: [{ virtualService: { virtualServiceRef: { name: 'jazz' } } }],
    logging: { accessLog: { file: { path: '/dev/stdout' } } },
  },
};

const metalService = {
  apiVersion: 'appmesh.k8s.aws/v1beta2',
  kind: 'VirtualService',
  metadata: { name: 'metal', namespace: '${example_namespace}' },
  spec: {
    awsName: 'metal.${example_namespace}.svc.cluster.local',
    provider: { virtualRouter: { virtualRouterRef: { name: 'metal-router' } } },
  },
};

const fluxKustomization = {
  apiVersion: 'kustomize.config.k8s.io/v1beta1',
  kind: 'Kustomization',
  namespace: '${example_namespace}',
  resources: ['namespace.yaml', 'dj-app-mesh-metal-v1.yaml', 'dj-app-mesh-metal-v2.yaml', 'dj-app-mesh-router-95-5.yaml'],
};

// --------------------------------------------------------------------- tests --

test('schemas directory holds the expected schema files', () => {
  const rels = schemas.map((s) => s.rel);
  for (const expected of [
    'kustomization.schema.json',
    'appmesh/v1beta2/mesh.schema.json',
    'appmesh/v1beta2/virtualnode.schema.json',
    'appmesh/v1beta2/virtualservice.schema.json',
    'appmesh/v1beta2/virtualrouter.schema.json',
    'appmesh/v1beta2/virtualgateway.schema.json',
    'appmesh/v1beta2/gatewayroute.schema.json',
    'appmesh/v1beta2/backendgroup.schema.json',
    'appmesh/v1beta1/virtualservice.schema.json',
    'appmesh/v1beta1/virtualnode.schema.json',
  ]) {
    assert.ok(rels.includes(expected), `missing ${expected}`);
  }
});

test('every schema file compiles with ajv', () => {
  assert.ok(schemas.length > 0);
  for (const { rel } of schemas) {
    assert.doesNotThrow(() => validator(rel), `schema ${rel} compiles`);
  }
});

test('App Mesh schemas follow the naming convention: appmesh/<version>/<lowercase kind>.schema.json', () => {
  for (const { rel, schema } of schemas) {
    const id = schema['$id'];
    assert.equal(id, `https://mesh-kustomize.dev/schemas/${rel}`, `$id of ${rel}`);
    if (!rel.startsWith('appmesh/')) continue;
    const [, version, file] = rel.split('/');
    const props = schema['properties'] as Record<string, { const?: unknown }>;
    assert.equal(props['apiVersion']?.const, `appmesh.k8s.aws/${version}`, `apiVersion const of ${rel}`);
    const kind = props['kind']?.const;
    assert.equal(typeof kind, 'string', `kind const of ${rel}`);
    assert.equal(`${String(kind).toLowerCase()}.schema.json`, file, `file name of ${rel}`);
  }
});

test('deprecated kustomization fields carry a deprecation message', () => {
  const kustomization = schemas.find((s) => s.rel === KUSTOMIZATION);
  assert.ok(kustomization);
  const props = kustomization.schema['properties'] as Record<string, { deprecationMessage?: unknown }>;
  const replacements: Record<string, string> = {
    bases: 'resources',
    patchesStrategicMerge: 'patches',
    patchesJson6902: 'patches',
    imageTags: 'images',
    vars: 'replacements',
    commonLabels: 'labels',
  };
  for (const [field, replacement] of Object.entries(replacements)) {
    const message = props[field]?.deprecationMessage;
    assert.equal(typeof message, 'string', `${field} has a deprecationMessage`);
    assert.ok(String(message).includes(`\`${replacement}\``), `${field} points to ${replacement}: ${String(message)}`);
  }
  for (const field of ['resources', 'patches', 'images', 'labels', 'namespace']) {
    assert.equal(props[field]?.deprecationMessage, undefined, `${field} is not deprecated`);
  }
});

test('valid: v1beta2 VirtualRouter with two weighted targets 95/5', () => {
  assertValid(ROUTER, canaryRouter);
});

test('valid: v1beta2 VirtualRouter with http2, grpc and tcp routes and two listeners', () => {
  const router = clone(canaryRouter);
  router.spec.listeners.push({ portMapping: { port: 9090, protocol: 'grpc' } });
  const targets = [
    { virtualNodeRef: { name: 'metal-v1' }, weight: 1 },
    { virtualNodeRef: { name: 'metal-v2' }, weight: 1 },
  ];
  (router.spec.routes as unknown[]).push(
    { name: 'h2', priority: 20, http2Route: { match: { path: { exact: '/metal' }, port: 9080 }, action: { weightedTargets: targets } } },
    { name: 'rpc', grpcRoute: { match: { serviceName: 'dj.Metal', methodName: 'List' }, action: { weightedTargets: targets } } },
    {
      name: 'raw',
      tcpRoute: { action: { weightedTargets: [{ virtualNodeARN: 'arn:aws:appmesh:eu-west-1:111122223333:mesh/dj/virtualNode/metal-v1', weight: 100 }] } },
    },
  );
  assertValid(ROUTER, router);
});

test('valid: v1beta2 VirtualNode with podSelector, listeners, serviceDiscovery and backends', () => {
  assertValid(NODE, metalV2Node);
});

test('valid: v1beta2 VirtualService with a virtualRouterRef provider', () => {
  assertValid(SERVICE, metalService);
});

test('valid: Kustomization with namespace ${example_namespace} and resources', () => {
  assertValid(KUSTOMIZATION, fluxKustomization);
});

test('valid: kustomization whose resources are all commented out (resources: null)', () => {
  assertValid(KUSTOMIZATION, { resources: null });
  assertValid(KUSTOMIZATION, { namespace: 'dj', resources: ['a.yaml'], components: null, bases: null });
});

test('valid: Component and object-style patches', () => {
  assertValid(KUSTOMIZATION, {
    apiVersion: 'kustomize.config.k8s.io/v1alpha1',
    kind: 'Component',
    patches: [
      { path: 'router-patch.yaml', target: { group: 'appmesh.k8s.aws', version: 'v1beta2', kind: 'VirtualRouter', name: 'metal-router' } },
      { patch: '- op: replace\n  path: /spec/routes/0/httpRoute/action/weightedTargets/0/weight\n  value: 100\n', target: { kind: 'VirtualRouter' } },
    ],
  });
});

test('valid: legacy v1beta1 VirtualService with inline routes', () => {
  assertValid('appmesh/v1beta1/virtualservice.schema.json', {
    apiVersion: 'appmesh.k8s.aws/v1beta1',
    kind: 'VirtualService',
    metadata: { name: 'metal.dj.svc.cluster.local', namespace: 'dj' },
    spec: {
      meshName: 'dj-app',
      virtualRouter: { name: 'metal-router', listeners: [{ portMapping: { port: 9080, protocol: 'http' } }] },
      routes: [
        {
          name: 'metal-route',
          http: {
            match: { prefix: '/' },
            action: {
              weightedTargets: [
                { virtualNodeName: 'metal-v1', weight: 95 },
                { virtualNodeName: 'metal-v2', weight: 5 },
              ],
            },
          },
        },
      ],
    },
  });
});

test('valid: legacy v1beta1 VirtualNode', () => {
  assertValid('appmesh/v1beta1/virtualnode.schema.json', {
    apiVersion: 'appmesh.k8s.aws/v1beta1',
    kind: 'VirtualNode',
    metadata: { name: 'dj', namespace: 'dj' },
    spec: {
      meshName: 'dj-app',
      listeners: [{ portMapping: { port: 9080, protocol: 'http' } }],
      serviceDiscovery: { dns: { hostName: 'dj.dj.svc.cluster.local' } },
      backends: [{ virtualService: { virtualServiceName: 'metal.dj.svc.cluster.local' } }],
    },
  });
});

test('invalid: `weightedTarget` typo is an unknown property of the route action', () => {
  const router = clone(canaryRouter) as { spec: { routes: Array<{ httpRoute: { action: Record<string, unknown> } }> } };
  const action = router.spec.routes[0]!.httpRoute.action;
  action['weightedTarget'] = action['weightedTargets'];
  delete action['weightedTargets'];
  assertError(ROUTER, router, 'additionalProperties', '/spec/routes/0/httpRoute/action', { additionalProperty: 'weightedTarget' });
  assertError(ROUTER, router, 'required', '/spec/routes/0/httpRoute/action', { missingProperty: 'weightedTargets' });
});

test('invalid: `virtualNodeRefs` typo in a weighted target', () => {
  const router = clone(canaryRouter) as { spec: { routes: Array<{ httpRoute: { action: { weightedTargets: Array<Record<string, unknown>> } } }> } };
  const target = router.spec.routes[0]!.httpRoute.action.weightedTargets[0]!;
  target['virtualNodeRefs'] = target['virtualNodeRef'];
  delete target['virtualNodeRef'];
  assertError(ROUTER, router, 'additionalProperties', '/spec/routes/0/httpRoute/action/weightedTargets/0', { additionalProperty: 'virtualNodeRefs' });
});

test('invalid: protocol `htp` is not an allowed value', () => {
  const router = clone(canaryRouter);
  router.spec.listeners[0]!.portMapping.protocol = 'htp';
  assertError(ROUTER, router, 'enum', '/spec/listeners/0/portMapping/protocol');

  const node = clone(metalV2Node);
  node.spec.listeners[0]!.portMapping.protocol = 'htp';
  assertError(NODE, node, 'enum', '/spec/listeners/0/portMapping/protocol');
});

test('invalid: weight 150 exceeds the maximum of 100', () => {
  const router = clone(canaryRouter);
  router.spec.routes[0]!.httpRoute.action.weightedTargets[1]!.weight = 150;
  assertError(ROUTER, router, 'maximum', '/spec/routes/0/httpRoute/action/weightedTargets/1/weight');
});

test('invalid: a weight must be an integer and is required', () => {
  const router = clone(canaryRouter) as { spec: { routes: Array<{ httpRoute: { action: { weightedTargets: Array<Record<string, unknown>> } } }> } };
  const targets = router.spec.routes[0]!.httpRoute.action.weightedTargets;
  targets[0]!['weight'] = 94.5;
  delete targets[1]!['weight'];
  assertError(ROUTER, router, 'type', '/spec/routes/0/httpRoute/action/weightedTargets/0/weight');
  assertError(ROUTER, router, 'required', '/spec/routes/0/httpRoute/action/weightedTargets/1', { missingProperty: 'weight' });
});

test('invalid: 11 weighted targets exceed the limit of 10', () => {
  const router = clone(canaryRouter);
  router.spec.routes[0]!.httpRoute.action.weightedTargets = Array.from({ length: 11 }, (_, i) => ({ virtualNodeRef: { name: `metal-v${i + 1}` }, weight: 9 }));
  assertError(ROUTER, router, 'maxItems', '/spec/routes/0/httpRoute/action/weightedTargets');
});

test('invalid: port 0 and priority 1001 are out of range', () => {
  const router = clone(canaryRouter);
  router.spec.listeners[0]!.portMapping.port = 0;
  router.spec.routes[0]!.priority = 1001;
  assertError(ROUTER, router, 'minimum', '/spec/listeners/0/portMapping/port');
  assertError(ROUTER, router, 'maximum', '/spec/routes/0/priority');
});

test('invalid: kind and apiVersion must match the schema', () => {
  assertError(ROUTER, { ...clone(canaryRouter), kind: 'VirtualRouters' }, 'const', '/kind');
  assertError(SERVICE, { ...clone(metalService), apiVersion: 'appmesh.k8s.aws/v1beta1' }, 'const', '/apiVersion');
});

test('invalid: `resouces` typo in a kustomization', () => {
  assertError(KUSTOMIZATION, { resouces: ['a.yaml'] }, 'additionalProperties', '', { additionalProperty: 'resouces' });
});

test('invalid: patches written as a list of strings (rejected by kustomize v5)', () => {
  assertError(KUSTOMIZATION, { patches: ['a.yaml'] }, 'type', '/patches/0');
});

test('invalid: a Component needs apiVersion kustomize.config.k8s.io/v1alpha1', () => {
  assertError(KUSTOMIZATION, { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Component' }, 'const', '/apiVersion');
});
