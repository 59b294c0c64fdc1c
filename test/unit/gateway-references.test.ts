import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Diagnostic, LineIndex, Validator, Workspace } from '../../server/src/engine';
import { applyEdits } from '../../server/src/engine/edits';
import { formatLabels, podLabelsOf, selects, serviceSelectorOf } from '../../server/src/engine/workloads';
import { MemoryFileSource } from '../support/memoryFiles';

const ROOT = path.resolve('/gateway-references');

/** A tree in memory: `kustomization.yaml` lists every other file; the validator must not crash. */
function tree(
  files: Record<string, string>,
  kustomization?: string,
): { validator: Validator; source: MemoryFileSource; workspace: Workspace; all: Diagnostic[] } {
  const names = Object.keys(files);
  const source = new MemoryFileSource([
    [path.join(ROOT, 'kustomization.yaml'), kustomization ?? `resources:\n${names.map((n) => `- ${n}\n`).join('')}`],
    ...names.map((name): [string, string] => [path.join(ROOT, name), files[name]]),
  ]);
  const workspace = new Workspace(source, [ROOT]);
  const validator = new Validator(workspace, { log: (message) => assert.fail(`a rule crashed: ${message}`) });
  return { validator, source, workspace, all: [...validator.diagnostics().values()].flat() };
}

const codes = (all: Diagnostic[], ...wanted: string[]): string[] =>
  all.filter((d) => wanted.includes(d.code)).map((d) => `${path.basename(d.path)}:${d.range.start.line + 1} ${d.code}`);

const OURS = [
  'backend-port-missing',
  'backend-port-not-exposed',
  'service-without-endpoints',
  'reference-grant-missing',
  'parent-not-running',
  'parent-section-not-found',
  'routes-overlap',
];

function service(name: string, namespace: string, ports = '    - name: http\n      port: 8080\n', selector = `    app: ${name}\n`): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  selector:\n${selector}  ports:\n${ports}`;
}

function deployment(name: string, namespace: string, labels = `        app: ${name}\n`): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  template:\n    metadata:\n      labels:\n${labels}    spec:\n      containers: []\n`;
}

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web
  namespace: infra
spec:
  gatewayClassName: example
  listeners:
    - name: http
      protocol: HTTP
      port: 80
    - name: https
      protocol: HTTPS
      port: 443
`;

function route(name: string, namespace: string, parentRefs: string, rules: string, extra = ''): string {
  return `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${extra}  parentRefs:\n${parentRefs}  rules:\n${rules}`;
}

const TO_API = '    - backendRefs:\n        - name: api\n          port: 8080\n';

describe('workloads: which pods a Service selects', () => {
  test('pod labels of each workload kind, and none for objects that run no pods', () => {
    const labelsOf = (apiVersion: string, kind: string, value: Record<string, unknown>): string | undefined => {
      const labels = podLabelsOf({ apiVersion, kind, value });
      return labels && formatLabels(labels);
    };
    const template = { spec: { template: { metadata: { labels: { app: 'a', tier: 2 } } } } };
    assert.equal(labelsOf('apps/v1', 'Deployment', template), 'app=a, tier=2');
    assert.equal(labelsOf('apps/v1', 'StatefulSet', template), 'app=a, tier=2');
    assert.equal(labelsOf('batch/v1', 'Job', template), 'app=a, tier=2');
    assert.equal(labelsOf('batch/v1', 'CronJob', { spec: { jobTemplate: template } }), 'app=a, tier=2');
    assert.equal(labelsOf('v1', 'Pod', { metadata: { labels: { app: 'p' } } }), 'app=p');
    // A Deployment of another API group is no workload; a workload without labels runs unlabelled pods.
    assert.equal(labelsOf('example.com/v1', 'Deployment', template), undefined);
    assert.equal(labelsOf('v1', 'Service', template), undefined);
    assert.equal(labelsOf('apps/v1', 'Deployment', {}), '');
    // Shapes that are no label map: no labels, no crash.
    assert.equal(labelsOf('apps/v1', 'Deployment', { spec: { template: { metadata: { labels: ['app'] } } } }), '');
    assert.equal(labelsOf('apps/v1', 'Deployment', { spec: 'x' }), '');
    assert.equal(labelsOf('apps/v1', 'Deployment', { spec: { template: { metadata: { labels: { app: { nested: 1 } } } } } }), '');
  });

  test('a selector matches pods carrying all of its pairs; none, empty or odd selectors select nothing', () => {
    const selector = serviceSelectorOf({ apiVersion: 'v1', kind: 'Service', value: { spec: { selector: { app: 'a', version: 'v2' } } } });
    assert.ok(selector);
    assert.equal(
      selects(
        selector,
        new Map([
          ['app', 'a'],
          ['version', 'v2'],
          ['extra', 'x'],
        ]),
      ),
      true,
    );
    assert.equal(selects(selector, new Map([['app', 'a']])), false);
    assert.equal(
      selects(
        selector,
        new Map([
          ['app', 'a'],
          ['version', 'v2-beta'],
        ]),
      ),
      false,
    );
    for (const spec of [{}, { selector: {} }, { selector: null }, { selector: 'app=a' }, { type: 'ExternalName', externalName: 'x.example' }]) {
      assert.equal(serviceSelectorOf({ apiVersion: 'v1', kind: 'Service', value: { spec } }), undefined, JSON.stringify(spec));
    }
    assert.equal(serviceSelectorOf({ apiVersion: 'v1', kind: 'Service', value: { spec: 'x' } }), undefined);
  });
});

describe('Gateway API references', () => {
  test("a Gateway listener named wrong, or a port no listener has: the closest name, the listener's port", () => {
    const { validator, source, all } = tree({
      'gateway.yaml': GATEWAY,
      'api.yaml': `${service('api', 'infra')}---\n${deployment('api', 'infra')}`,
      'route.yaml': route(
        'store',
        'infra',
        '    - name: web\n      sectionName: htps\n    - name: web\n      sectionName: http\n      port: 443\n    - name: web\n      port: 8443\n',
        TO_API,
      ),
    });
    const found = all.filter((d) => d.code === 'parent-section-not-found');
    assert.deepEqual(
      found.map((d) => d.message),
      [
        'Gateway web has no listener named htps (its listeners: http 80, https 443): it does not accept HTTPRoute infra/store (NoMatchingParent).',
        'Gateway web has its listener http on port 80, not 443 (its listeners: http 80, https 443): it does not accept HTTPRoute infra/store (NoMatchingParent).',
        'Gateway web has no listener on port 8443 (its listeners: http 80, https 443): it does not accept HTTPRoute infra/store (NoMatchingParent).',
      ],
    );
    const file = path.join(ROOT, 'route.yaml');
    const text = source.files.get(file)!;
    const titles = found.map((d) => validator.fixes(d).map((f) => f.title));
    assert.deepEqual(titles, [['Change to https'], ['Change to 80'], []]);
    const fixed = applyEdits(text, validator.fixes(found[0])[0].changes[0].edits, (p) => new LineIndex(text).offsetAt(p));
    assert.match(fixed, /sectionName: https\n/);
    assert.deepEqual(codes(all, ...OURS.filter((c) => c !== 'parent-section-not-found')), []);
  });

  test('ReferenceGrants: a grant without a name allows every Service; one for another route kind or namespace does not; mesh routes need none', () => {
    const grant = (from: string, to: string): string =>
      `apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: g\n  namespace: backend\nspec:\n  from:\n${from}  to:\n${to}`;
    const cross = '    - backendRefs:\n        - name: api\n          namespace: backend\n          port: 8080\n';
    const files = (grantText: string | undefined, parents = '    - name: web\n      namespace: infra\n'): Record<string, string> => ({
      'gateway.yaml': GATEWAY,
      'api.yaml': `${service('api', 'backend')}---\n${deployment('api', 'backend')}`,
      'route.yaml': route('store', 'store', parents, cross),
      ...(grantText ? { 'grant.yaml': grantText } : {}),
    });
    const routeFrom = '    - group: gateway.networking.k8s.io\n      kind: HTTPRoute\n      namespace: store\n';
    const anyService = '    - group: ""\n      kind: Service\n';
    assert.deepEqual(codes(tree(files(undefined)).all, ...OURS), ['route.yaml:12 reference-grant-missing']);
    assert.deepEqual(codes(tree(files(grant(routeFrom, anyService))).all, ...OURS), []);
    assert.deepEqual(codes(tree(files(grant(routeFrom, `${anyService}      name: other\n`))).all, ...OURS), ['route.yaml:12 reference-grant-missing']);
    assert.deepEqual(codes(tree(files(grant(routeFrom.replace('HTTPRoute', 'GRPCRoute'), anyService))).all, ...OURS), [
      'route.yaml:12 reference-grant-missing',
    ]);
    assert.deepEqual(codes(tree(files(grant(routeFrom.replace('store', 'shop'), anyService))).all, ...OURS), ['route.yaml:12 reference-grant-missing']);
    // Mesh mode: the route's only parent is a Service; no grant asked.
    const mesh = files(undefined, '    - group: ""\n      kind: Service\n      name: api\n      namespace: backend\n      port: 8080\n');
    assert.deepEqual(codes(tree(mesh).all, ...OURS), []);
  });

  test('backend-port-missing: only the CRD rule\'s Services (group "" or omitted); no fix when the Service has several ports', () => {
    const refs =
      '    - backendRefs:\n        - name: api\n        - name: api\n          group: core\n        - name: api\n          kind: ServiceImport\n          group: multicluster.x-k8s.io\n';
    const { validator, all } = tree({
      'api.yaml': `${service('api', 'shop', '    - name: http\n      port: 8080\n    - name: admin\n      port: 9090\n')}---\n${deployment('api', 'shop')}`,
      'route.yaml': route('store', 'shop', '    - group: ""\n      kind: Service\n      name: api\n      port: 8080\n', refs),
    });
    const found = all.filter((d) => d.code === 'backend-port-missing');
    assert.deepEqual(codes(found, 'backend-port-missing'), ['route.yaml:14 backend-port-missing']);
    assert.deepEqual(validator.fixes(found[0]), []);
  });

  test('backend-port-missing: the fix keeps a flow map flow and a block map block', () => {
    const refs = '    - backendRefs:\n        - {name: api, weight: 5}\n        - weight: 1\n          name: api # the API\n          filters: []\n';
    const { validator, source, all } = tree({
      'api.yaml': `${service('api', 'shop')}---\n${deployment('api', 'shop')}`,
      'route.yaml': route('store', 'shop', '    - group: ""\n      kind: Service\n      name: api\n', refs),
    });
    const file = path.join(ROOT, 'route.yaml');
    let text = source.files.get(file)!;
    const found = all.filter((d) => d.code === 'backend-port-missing');
    assert.equal(found.length, 2);
    const edits = found.flatMap((d) => validator.fixes(d)[0].changes[0].edits);
    text = applyEdits(text, edits, (p) => new LineIndex(text).offsetAt(p));
    assert.match(text, /- \{name: api, port: 8080, weight: 5\}\n/);
    assert.match(text, /- weight: 1\n {10}name: api # the API\n {10}port: 8080\n {10}filters: \[\]\n/);
  });

  test('service-without-endpoints is not judged when kustomize rewrites labels (commonLabels), which the build does not apply', () => {
    const files = {
      'api.yaml': `${service('api', 'shop', undefined, '    app: api\n    team: web\n')}---\n${deployment('api', 'shop')}`,
      'route.yaml': route('store', 'shop', '    - group: ""\n      kind: Service\n      name: api\n', TO_API),
    };
    assert.deepEqual(codes(tree(files).all, ...OURS), ['route.yaml:13 service-without-endpoints']);
    const withLabels = tree(files, 'commonLabels:\n  team: web\nresources:\n- api.yaml\n- route.yaml\n');
    assert.deepEqual(codes(withLabels.all, ...OURS), []);
    // The same, as an edit of the kustomization checked again by the same validator.
    const edited = tree(files);
    const kustomization = path.join(ROOT, 'kustomization.yaml');
    edited.source.set(kustomization, `commonLabels:\n  team: web\n${edited.source.files.get(kustomization)}`);
    edited.workspace.invalidate(kustomization);
    assert.deepEqual(codes([...edited.validator.diagnostics().values()].flat(), ...OURS), []);
    const message = tree(files).all.find((d) => d.code === 'service-without-endpoints')!.message;
    assert.equal(
      message,
      'Service api selects pods with app=api, team=web, and no running workload has them: it has no endpoints, and its share, 100 % of the traffic of HTTPRoute shop/store, gets HTTP 503.',
    );
  });

  test('routes-overlap: a hostname both list ties, a more specific one does not; another listener does not; GRPCRoute methods too', () => {
    const parent = (section: string) => `    - name: web\n      namespace: infra\n      sectionName: ${section}\n`;
    const hosts = (...names: string[]) => `  hostnames:\n${names.map((n) => `    - ${n}\n`).join('')}`;
    const rules =
      '    - matches:\n        - path:\n            type: PathPrefix\n            value: /api\n          headers:\n            - name: X-Team\n              value: a\n      backendRefs:\n        - name: api\n          port: 8080\n';
    const sameRules = rules.replace('X-Team', 'x-team');
    const build = (a: string, b: string, sectionB = 'http') =>
      tree({
        'gateway.yaml': GATEWAY,
        'api.yaml': `${service('api', 'infra')}---\n${deployment('api', 'infra')}`,
        'b.yaml': route('b', 'infra', parent(sectionB), sameRules, b),
        'a.yaml': route('a', 'infra', parent('http'), rules, a),
      }).all;
    const overlap = build(hosts('shop.example', 'x.example'), hosts('shop.example'));
    assert.deepEqual(codes(overlap, ...OURS), ['b.yaml:15 routes-overlap']);
    assert.match(
      overlap[0].message,
      /HTTPRoute infra\/b and HTTPRoute infra\/a are both attached to Gateway web http and both match PathPrefix \/api, 1 header\(s\) on hostname shop\.example: HTTPRoute infra\/a gets those requests/,
    );
    assert.deepEqual(codes(build(hosts('shop.example'), hosts('*.example')), ...OURS), []);
    assert.deepEqual(codes(build('', ''), ...OURS), ['b.yaml:13 routes-overlap']);
    assert.deepEqual(codes(build('', '', 'https'), ...OURS), []);

    const grpc = (name: string, method: string) =>
      `apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata:\n  name: ${name}\n  namespace: infra\nspec:\n  parentRefs:\n${parent('http')}  rules:\n    - matches:\n        - method:\n            service: shop.Cart\n            method: ${method}\n      backendRefs:\n        - name: api\n          port: 8080\n`;
    const grpcTree = (methodB: string) =>
      tree({
        'gateway.yaml': GATEWAY,
        'api.yaml': `${service('api', 'infra')}---\n${deployment('api', 'infra')}`,
        'g1.yaml': grpc('cart-1', 'Add'),
        'g2.yaml': grpc('cart-2', methodB),
      }).all;
    assert.deepEqual(codes(grpcTree('Add'), ...OURS), ['g2.yaml:13 routes-overlap']);
    assert.deepEqual(codes(grpcTree('Remove'), ...OURS), []);
  });

  test('a parent in another namespace is seen: a build with such a route is not checked one namespace at a time', () => {
    const files = {
      'gateway.yaml': GATEWAY,
      'api.yaml': `${service('api', 'shop')}---\n${deployment('api', 'shop')}`,
      'route.yaml': route('store', 'shop', '    - name: web\n      namespace: infra\n      sectionName: http\n', TO_API),
    };
    assert.deepEqual(codes(tree(files).all, ...OURS), []);
    const misnamed = { ...files, 'route.yaml': route('store', 'shop', '    - name: webb\n      namespace: infra\n      sectionName: http\n', TO_API) };
    assert.deepEqual(
      codes(tree(misnamed).all, ...OURS).map((line) => line.replace(/:\d+ /, ' ')),
      ['route.yaml parent-not-running'],
    );
    // The same with the list written as kubectl writes it, the item opening with its namespace.
    const kubectlStyle = { ...files, 'route.yaml': route('store', 'shop', '  - namespace: infra\n    name: webb\n    sectionName: http\n', TO_API) };
    assert.deepEqual(
      codes(tree(kubectlStyle).all, ...OURS).map((line) => line.replace(/:\d+ /, ' ')),
      ['route.yaml parent-not-running'],
    );
  });

  test('odd shapes of routes, Services and Gateways crash nothing and report nothing of these rules', () => {
    const odd = [
      'spec: x\n',
      'spec:\n  rules: x\n  parentRefs: {a: 1}\n',
      'spec:\n  parentRefs: [null, x, {name: [1]}, {name: web, sectionName: [x], port: x}]\n  rules: [null, x, {backendRefs: x}, {backendRefs: [null, 1, {name: {a: 1}}, {name: api, port: x}]}, {matches: x, filters: [null, {requestMirror: x}, {requestMirror: {backendRef: [1]}}]}]\n  hostnames: x\n',
      'spec:\n  hostnames: [1, null]\n  parentRefs: [{name: web}]\n  rules: [{matches: [null, {path: x}, {headers: x}, {headers: [null, {name: 1}]}]}]\n',
    ];
    const files: Record<string, string> = {
      'gateway.yaml': 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: web\nspec:\n  listeners: [null, x, {name: [1], port: x}]\n',
      'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  selector: [x]\n  ports: x\n',
      'grant.yaml': 'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata:\n  name: g\nspec:\n  from: x\n  to: [null]\n',
    };
    odd.forEach((spec, index) => {
      files[`route-${index}.yaml`] = `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r${index}\n${spec}`;
    });
    const { all } = tree(files);
    // Only the well-formed parts are judged: the backendRef without port in route-2.
    assert.deepEqual(
      codes(all, ...OURS).filter((line) => !line.includes('backend-port-missing')),
      [],
    );
  });
});
