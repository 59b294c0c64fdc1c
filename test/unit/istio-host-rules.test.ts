import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Diagnostic, LineIndex, Validator } from '../../server/src/engine';
import { applyEdits } from '../../server/src/engine/edits';
import { CodeFix } from '../../server/src/engine/fixes';
import { MemoryFileSource } from '../support/memoryFiles';
import { Workspace } from '../../server/src/engine/workspace';

const ROOT = path.resolve('/istio-host-rules');

const OURS = [
  'virtual-services-overlap',
  'destination-rules-overlap',
  'destination-rule-host-unknown',
  'destination-port-required',
  'destination-port-not-exposed',
  'gateway-not-found',
  'unreachable-route-rule',
];

interface Tree {
  validator: Validator;
  files: Record<string, string>;
  all: Diagnostic[];
}

/** A tree in memory: `kustomization.yaml` lists every other file unless given; no rule may crash. */
function tree(files: Record<string, string>): Tree {
  const names = Object.keys(files).filter((n) => n !== 'kustomization.yaml');
  const all = { 'kustomization.yaml': `namespace: shop\nresources:\n${names.map((n) => `- ${n}\n`).join('')}`, ...files };
  const source = new MemoryFileSource(Object.entries(all).map(([name, text]): [string, string] => [path.join(ROOT, name), text]));
  const workspace = new Workspace(source, [ROOT]);
  const validator = new Validator(workspace, { log: (message) => assert.fail(`a rule crashed: ${message}`) });
  return { validator, files: all, all: [...validator.diagnostics().values()].flat() };
}

const codes = (all: Diagnostic[], wanted = OURS): string[] =>
  all
    .filter((d) => wanted.includes(d.code))
    .map((d) => `${path.basename(d.path)}:${d.range.start.line + 1} ${d.code}`)
    .sort();

/** The tree after one fix: its edits applied to the files they change. */
function applied(before: Tree, fix: CodeFix): Tree {
  const files = { ...before.files };
  for (const change of fix.changes) {
    const name = path.relative(ROOT, change.path);
    const text = files[name];
    files[name] = applyEdits(text, change.edits, (p) => new LineIndex(text).offsetAt(p));
  }
  return tree(files);
}

function service(name: string, ports = '    - name: http\n      port: 9080\n'): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${name}\n  ports:\n${ports}`;
}

function deployment(name: string, version: string): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}-${version}\nspec:\n  template:\n    metadata:\n      labels:\n        app: ${name}\n        version: ${version}\n    spec:\n      containers: []\n`;
}

function virtualService(name: string, spec: string): string {
  return `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
}

function destinationRule(name: string, spec: string): string {
  return `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
}

const TO_API = '  http:\n    - route:\n        - destination:\n            host: api\n';
const APP = { 'api.yaml': `${service('api')}---\n${deployment('api', 'v1')}` };

describe('virtual-services-overlap', () => {
  test('two VirtualServices of the mesh for one host, however written: an error at each host naming the other file, and fixes that disable either', () => {
    const before = tree({
      ...APP,
      'vs-a.yaml': virtualService('api-a', `  hosts:\n    - api\n${TO_API}`),
      'vs-b.yaml': virtualService('api-b', `  hosts:\n    - api.shop.svc.cluster.local\n  gateways: [mesh]\n${TO_API}`),
    });
    assert.deepEqual(codes(before.all), ['vs-a.yaml:7 virtual-services-overlap', 'vs-b.yaml:7 virtual-services-overlap']);
    const onA = before.all.find((d) => d.code === 'virtual-services-overlap' && d.path.endsWith('vs-a.yaml'))!;
    assert.match(onA.message, /^Requests for api follow only one of two VirtualServices.*VirtualService shop\/api-b \(vs-b\.yaml\)/);
    const fixes = before.validator.fixes(onA);
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Disable vs-b.yaml', 'Disable vs-a.yaml'],
    );
    const after = applied(before, fixes[0]);
    assert.match(after.files['kustomization.yaml'], /^#- vs-b\.yaml$/m);
    assert.deepEqual(codes(after.all), []);
  });

  test('other hosts, other namespaces, other gateways: no overlap; at a named Gateway only a match in common counts', () => {
    const gateway = (name: string) =>
      `apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    istio: ingressgateway\n`;
    const match = (prefix: string) =>
      `  http:\n    - match:\n        - uri:\n            prefix: ${prefix}\n      route:\n        - destination:\n            host: api\n`;
    const at = (gw: string, prefixA: string, prefixB: string) =>
      codes(
        tree({
          ...APP,
          'gw.yaml': `${gateway('web')}---\n${gateway('admin')}`,
          'vs-a.yaml': virtualService('api-a', `  hosts:\n    - shop.example.com\n  gateways:\n    - web\n${match(prefixA)}`),
          'vs-b.yaml': virtualService('api-b', `  hosts:\n    - shop.example.com\n  gateways:\n    - ${gw}\n${match(prefixB)}`),
        }).all,
      );
    assert.deepEqual(at('web', '/cart', '/cart/items'), ['vs-a.yaml:7 virtual-services-overlap', 'vs-b.yaml:7 virtual-services-overlap']);
    assert.deepEqual(at('shop/web', '/cart', '/cart'), ['vs-a.yaml:7 virtual-services-overlap', 'vs-b.yaml:7 virtual-services-overlap']);
    assert.deepEqual(at('web', '/cart', '/orders'), []);
    assert.deepEqual(at('admin', '/cart', '/cart'), []);
    assert.deepEqual(
      codes(
        tree({
          ...APP,
          'vs-a.yaml': virtualService('api-a', `  hosts:\n    - api\n${TO_API}`),
          'vs-b.yaml': virtualService('api-b', `  hosts:\n    - api.other\n${TO_API}`),
        }).all,
      ),
      [],
    );
  });

  test('the same VirtualService enabled twice is duplicate-object, not an overlap', () => {
    const text = virtualService('api', `  hosts:\n    - api\n${TO_API}`);
    const { all } = tree({ ...APP, 'vs-a.yaml': text, 'vs-b.yaml': text });
    assert.deepEqual(codes(all, [...OURS, 'duplicate-object']), ['kustomization.yaml:4 duplicate-object', 'kustomization.yaml:5 duplicate-object']);
  });
});

describe('destination-rules-overlap', () => {
  const subsets = (labels: string) => `  host: api\n  subsets:\n    - name: v1\n      labels:\n        version: ${labels}\n`;
  test('a subset defined twice with other labels: a warning at each host; identical ones, disjoint ones, other namespaces or selectors merge or stay apart', () => {
    const check = (a: string, b: string, namespaceB = '') =>
      codes(
        tree({ ...APP, 'dr-a.yaml': destinationRule('api-a', a), 'dr-b.yaml': destinationRule('api-b', b).replace('metadata:\n', `metadata:\n${namespaceB}`) })
          .all,
      );
    const both = ['dr-a.yaml:6 destination-rules-overlap', 'dr-b.yaml:6 destination-rules-overlap'];
    assert.deepEqual(check(subsets('v1'), subsets('v1-canary')), both);
    assert.deepEqual(check(subsets('v1'), subsets('v1')), []);
    assert.deepEqual(check(subsets('v1'), subsets('v1').replace('name: v1', 'name: v2')), []);
    assert.deepEqual(check(subsets('v1'), `${subsets('v1-canary')}  workloadSelector:\n    matchLabels:\n      app: web\n`), []);
    const apart = tree({
      ...APP,
      'dr-a.yaml': destinationRule('api-a', subsets('v1')),
      'dr-b.yaml': destinationRule('api-b', subsets('v1-canary')).replace('metadata:\n', 'metadata:\n  namespace: other\n'),
      'kustomization.yaml': 'resources:\n- api.yaml\n- dr-a.yaml\n- dr-b.yaml\n',
    });
    assert.deepEqual(codes(apart.all), []);
    const policy = (mode: string) => `  host: api.shop.svc.cluster.local\n  trafficPolicy:\n    loadBalancer:\n      simple: ${mode}\n`;
    assert.deepEqual(check(policy('ROUND_ROBIN'), policy('RANDOM')), both);
    assert.deepEqual(check(policy('ROUND_ROBIN'), subsets('v1')), []);
    assert.deepEqual(check(subsets('v1'), `${subsets('v2').replace('name: v1', 'name: v2')}  exportTo: ["."]\n`), both);
  });
});

describe('destination ports', () => {
  const twoPorts = '    - name: http\n      port: 9080\n    - name: grpc\n      port: 9090\n';
  test('destination-port-required: one fix per port of the Service, block or inline; each clears the error', () => {
    const before = tree({
      'api.yaml': `${service('api', twoPorts)}---\n${deployment('api', 'v1')}`,
      'vs.yaml': virtualService(
        'api',
        '  hosts:\n    - api\n  http:\n    - route:\n        - destination:\n            host: api # the API\n          weight: 90\n        - destination: {host: api.shop.svc.cluster.local, subset: v1}\n          weight: 10\n',
      ),
      'dr.yaml': destinationRule('api', '  host: api\n  subsets:\n    - name: v1\n      labels:\n        version: v1\n'),
    });
    const found = before.all.filter((d) => d.code === 'destination-port-required');
    assert.deepEqual(codes(found), ['vs.yaml:11 destination-port-required', 'vs.yaml:13 destination-port-required']);
    assert.match(found[0].message, /^Requests here go to whichever port of Service api they arrived on: it exposes 9080 \(http\), 9090 \(grpc\)/);
    const fixes = found.map((d) => before.validator.fixes(d));
    assert.deepEqual(
      fixes.map((list) => list.map((f) => f.title)),
      [
        ['Send to port 9080 (http)', 'Send to port 9090 (grpc)'],
        ['Send to port 9080 (http)', 'Send to port 9090 (grpc)'],
      ],
    );
    const block = applied(before, fixes[0][1]);
    assert.match(block.files['vs.yaml'], /host: api # the API\n {12}port:\n {14}number: 9090\n {10}weight: 90\n/);
    assert.deepEqual(codes(block.all), ['vs.yaml:15 destination-port-required']);
    const inline = applied(block, block.validator.fixes(block.all.find((d) => d.code === 'destination-port-required')!)[0]);
    assert.match(inline.files['vs.yaml'], /- destination: \{host: api\.shop\.svc\.cluster\.local, port: \{number: 9080\}, subset: v1\}\n/);
    assert.deepEqual(codes(inline.all), []);
  });

  test('destination-port-not-exposed: the fixes name the Service ports, the targetPort written is the preferred one', () => {
    const ports = '    - name: http\n      port: 80\n      targetPort: 9080\n    - name: admin\n      port: 8081\n';
    const before = tree({
      'api.yaml': `${service('api', ports)}---\n${deployment('api', 'v1')}`,
      'vs.yaml': virtualService(
        'api',
        '  hosts:\n    - api\n  tcp:\n    - route:\n        - destination:\n            host: api\n            port:\n              number: 9080\n',
      ),
    });
    const found = before.all.filter((d) => d.code === 'destination-port-not-exposed');
    assert.deepEqual(codes(found), ['vs.yaml:13 destination-port-not-exposed']);
    assert.match(
      found[0].message,
      /^Connections sent here are closed: Service api does not expose port 9080; it exposes 80 \(http\), 8081 \(admin\) \(9080 is the pods' targetPort of port 80/,
    );
    const fixes = before.validator.fixes(found[0]);
    assert.deepEqual(
      fixes.map((f) => [f.title, f.isPreferred]),
      [
        ['Change to port 80', true],
        ['Change to port 8081', false],
      ],
    );
    const after = applied(before, fixes[0]);
    assert.match(after.files['vs.yaml'], /number: 80\n$/);
    assert.deepEqual(codes(after.all), []);
  });

  test('a Service that does not run, or whose ports are not readable, is left to the other rules', () => {
    const vs = virtualService(
      'api',
      '  hosts:\n    - api\n  http:\n    - route:\n        - destination:\n            host: api\n            port:\n              number: 1\n',
    );
    assert.deepEqual(codes(tree({ 'vs.yaml': vs }).all), []);
    assert.deepEqual(codes(tree({ 'api.yaml': service('api', '    - name: http\n      port: http\n'), 'vs.yaml': vs }).all), []);
    assert.deepEqual(codes(tree({ 'api.yaml': service('api', '    []\n'), 'vs.yaml': vs }).all), []);
  });
});

describe('unreachable-route-rule', () => {
  const rules = (list: string, ...matches: (string | undefined)[]) =>
    virtualService(
      'api',
      `  hosts:\n    - api\n  ${list}:\n${matches.map((m) => `    - ${m === undefined ? '' : `match:\n${m}      `}route:\n        - destination:\n            host: api\n`).join('')}`,
    );
  const check = (text: string) => codes(tree({ ...APP, 'vs.yaml': text }).all);
  test('what istioctl reports: a rule after one without match, a match repeated (names aside); and what a prefix of "/" or a shorter prefix covers', () => {
    assert.deepEqual(check(rules('http', undefined, '        - uri:\n            prefix: /a\n')), ['vs.yaml:12 unreachable-route-rule']);
    assert.deepEqual(check(rules('http', undefined, undefined)), ['vs.yaml:12 unreachable-route-rule']);
    const header = '        - headers:\n            x-user:\n              exact: tester\n';
    assert.deepEqual(check(rules('http', header, `        - name: again\n${header.replace('        - ', '          ')}`)), [
      'vs.yaml:16 unreachable-route-rule',
    ]);
    assert.deepEqual(check(rules('http', '        - uri:\n            prefix: /\n', header)), ['vs.yaml:15 unreachable-route-rule']);
    assert.deepEqual(check(rules('http', '        - uri:\n            prefix: /a\n', '        - uri:\n            exact: /a/b\n')), [
      'vs.yaml:15 unreachable-route-rule',
    ]);
    // A narrower earlier match, other headers, another method: the later rule still gets requests.
    assert.deepEqual(check(rules('http', '        - uri:\n            prefix: /a/b\n', '        - uri:\n            prefix: /a\n')), []);
    assert.deepEqual(check(rules('http', header, header.replace('tester', 'admin'))), []);
    assert.deepEqual(check(rules('http', `${header}          method:\n            exact: GET\n`, header)), []);
    assert.deepEqual(
      check(rules('http', '        - uri:\n            prefix: /a\n          ignoreUriCase: true\n', '        - uri:\n            prefix: /a/b\n')),
      [],
    );
    // One match of two covered: that match only.
    assert.deepEqual(check(rules('http', header, `${header}        - uri:\n            prefix: /b\n`)), ['vs.yaml:17 unreachable-route-rule']);
  });

  test('tcp and tls rules the same way; odd input is not read and hides nothing', () => {
    const port = '        - port: 9000\n';
    assert.deepEqual(check(rules('tcp', port, port)), ['vs.yaml:14 unreachable-route-rule']);
    assert.deepEqual(check(rules('tls', '        - sniHosts: [a.example]\n', '        - sniHosts: [a.example]\n')), ['vs.yaml:14 unreachable-route-rule']);
    assert.deepEqual(check(rules('tcp', port, '        - port: 9001\n')), []);
    assert.deepEqual(check(rules('http', '        uri: /a\n', '        - uri:\n            prefix: /a\n')), []);
    assert.deepEqual(check(rules('http', '        - 7\n', '        - uri:\n            prefix: /a\n')), []);
    assert.deepEqual(check(rules('http', '        - {}\n', '        - uri:\n            prefix: /a\n')), ['vs.yaml:14 unreachable-route-rule']);
  });
});

describe('destination-rule-host-unknown and gateway-not-found', () => {
  test('a DestinationRule host no file defines, unless a running ServiceEntry declares it', () => {
    const entry =
      'apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: legacy\nspec:\n  hosts:\n    - legacy.billing.svc.cluster.local\n';
    const dr = destinationRule('legacy', '  host: legacy.billing.svc.cluster.local\n');
    assert.deepEqual(codes(tree({ ...APP, 'dr.yaml': dr }).all), ['dr.yaml:6 destination-rule-host-unknown']);
    assert.deepEqual(codes(tree({ ...APP, 'dr.yaml': dr, 'se.yaml': entry }).all), []);
    // A Service defined by a file that is not enabled: the host is known (router-target rules say what runs).
    assert.deepEqual(
      codes(tree({ ...APP, 'dr.yaml': dr, 'kustomization.yaml': 'resources:\n- dr.yaml\n- api.yaml\n#- legacy.yaml\n', 'legacy.yaml': service('legacy') }).all),
      [],
    );
  });

  test('gateway-not-found: the fix enables the file that defines the Gateway, which clears the error', () => {
    const gateway = 'apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: web\nspec:\n  selector:\n    istio: ingressgateway\n';
    const before = tree({
      ...APP,
      'gw.yaml': gateway,
      'vs.yaml': virtualService('api', `  hosts:\n    - shop.example.com\n  gateways:\n    - web\n    - shop/web\n    - mesh\n${TO_API}`),
      'kustomization.yaml': 'namespace: shop\nresources:\n- api.yaml\n- vs.yaml\n# - gw.yaml\n',
    });
    const found = before.all.filter((d) => d.code === 'gateway-not-found');
    assert.deepEqual(codes(found), ['vs.yaml:10 gateway-not-found', 'vs.yaml:9 gateway-not-found']);
    const fix = before.validator.fixes(found[0]);
    assert.deepEqual(
      fix.map((f) => f.title),
      ['Enable gw.yaml (it defines Gateway web)'],
    );
    const after = applied(before, fix[0]);
    assert.deepEqual(codes(after.all), []);
    // A Gateway API Gateway of that name is another kind of object.
    const other = gateway.replace('networking.istio.io/v1', 'gateway.networking.k8s.io/v1');
    assert.deepEqual(codes(tree({ ...APP, 'gw.yaml': other, 'vs.yaml': virtualService('api', `  hosts:\n    - api\n  gateways: [web]\n${TO_API}`) }).all), [
      'vs.yaml:8 gateway-not-found',
    ]);
  });
});

describe('hostile input', () => {
  test('hosts, gateways, routes, ports and matches of every wrong shape: no crash, nothing reported by these rules', () => {
    const odd = [
      '  hosts: api\n  gateways: mesh\n  http: {}\n',
      '  hosts: [7, null, {a: 1}, [api]]\n  gateways: [7, null, "", "/", "ns/"]\n  http:\n    - route: api\n    - route: [7, null, {destination: 7}, {destination: {host: [api], port: 9080}}]\n',
      '  hosts: [api]\n  http:\n    - match: {uri: {prefix: /}}\n      route: []\n    - match: [null]\n    - null\n    - 7\n  tcp: 7\n  tls: [[]]\n',
      '  hosts: [api]\n  http:\n    - route:\n        - destination:\n            host: api\n            port:\n              number: "9080"\n        - destination:\n            host: api\n            port: 9080\n',
    ];
    for (const spec of odd) {
      const { all } = tree({
        'api.yaml': `${service('api', '    - name: http\n      port: 9080\n    - port: 9090\n')}---\n${deployment('api', 'v1')}`,
        'vs.yaml': virtualService('api', spec),
        'vs2.yaml': virtualService('api2', spec),
        'dr.yaml': destinationRule('api', '  host: {a: 1}\n  subsets: 7\n  exportTo: 7\n'),
        'dr2.yaml': destinationRule('api2', '  host: api\n  subsets: [7, {name: [x]}, {name: v1, labels: 7}]\n  trafficPolicy: 7\n'),
      });
      assert.ok(Array.isArray(all));
    }
  });
});
