import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Diagnostic, DiskFileSource, LineIndex, RuleSettings, Validator, Workspace } from '../../server/src/engine';
import { routeIsOnLattice } from '../../server/src/engine/dialects/gatewayapi/lattice';
import { scaleToLattice } from '../../server/src/engine/dialects/gatewayapi/rules/lattice/weightOver999';
import { applyEdits } from '../../server/src/engine/edits';
import { normalizeSettings } from '../../server/src/lsp/settings';
import { materialize } from '../support/cases';
import { MemoryFileSource } from '../support/memoryFiles';

const PROFILE = 'gatewayApi.profile';

function diagnosticsOf(root: string, settings: RuleSettings = {}): Diagnostic[] {
  const validator = new Validator(new Workspace(new DiskFileSource(), [root]));
  return [...validator.diagnostics(() => settings).values()].flat();
}

const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => d.code).sort();

/** A workspace in memory: a Lattice Gateway (or another), and a route attached to it. */
function memoryTree(
  gatewayClass: string,
  route: string,
  extra: [string, string][] = [],
): { source: MemoryFileSource; validator: Validator; workspace: Workspace } {
  const source = new MemoryFileSource([
    ['/ws/kustomization.yaml', 'resources:\n  - gateway.yaml\n  - route.yaml\n  - versions.yaml\n'],
    [
      '/ws/gateway.yaml',
      `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: gw\nspec:\n  gatewayClassName: ${gatewayClass}\n  listeners:\n    - name: http\n      port: 80\n      protocol: HTTP\n`,
    ],
    ['/ws/route.yaml', route],
    [
      '/ws/versions.yaml',
      ['v1', 'v2', 'v3']
        .map(
          (v) =>
            `apiVersion: v1\nkind: Service\nmetadata:\n  name: metal-${v}\nspec:\n  selector:\n    app: metal\n    version: ${v}\n  ports:\n    - port: 9080\n`,
        )
        .join('---\n'),
    ],
    ...extra,
  ]);
  const workspace = new Workspace(source, ['/ws']);
  return { source, validator: new Validator(workspace), workspace };
}

const ROUTE_WITH_RETRY = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: metal-route
spec:
  parentRefs:
    - name: gw
  rules:
    - retry:
        attempts: 2
      backendRefs:
        - name: metal-v1
          port: 9080
          filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                set:
                  - name: x-version
                    value: v1
`;

describe('the VPC Lattice profile', () => {
  test('the setting is read nested (as VS Code sends it) or flat; other values are ignored; switches still work', () => {
    assert.deepEqual(normalizeSettings({ gatewayApi: { profile: 'lattice' } }).options, { [PROFILE]: 'lattice' });
    assert.deepEqual(normalizeSettings({ [PROFILE]: 'generic' }).options, { [PROFILE]: 'generic' });
    assert.equal(normalizeSettings({ gatewayApi: { profile: 'istio' } }).options, undefined);
    assert.equal(normalizeSettings({ gatewayApi: 'lattice' }).options, undefined);
    assert.deepEqual(normalizeSettings({ weightTotalMustBe100: true, gatewayApi: { profile: 'auto' } }).options, {
      weightTotalMustBe100: true,
      [PROFILE]: 'auto',
    });
  });

  test('auto reports on Lattice Gateways only; lattice reports on every Gateway route; generic on none', () => {
    const generic = materialize('gateway-lattice-generic-gateway').root;
    const lattice = materialize('gateway-lattice-multiple-matches').root;
    try {
      assert.deepEqual(codes(diagnosticsOf(generic)), []);
      assert.deepEqual(codes(diagnosticsOf(generic, { options: { [PROFILE]: 'lattice' } })), [
        'lattice-header-match-type',
        'lattice-ignored-field',
        'lattice-multiple-matches',
        'lattice-query-param-match',
        'lattice-weight-over-999',
      ]);
      assert.deepEqual(codes(diagnosticsOf(lattice)), ['lattice-multiple-matches']);
      assert.deepEqual(codes(diagnosticsOf(lattice, { options: { [PROFILE]: 'generic' } })), []);
      // A severity set for the code still applies on top of the profile.
      assert.deepEqual(
        diagnosticsOf(lattice, { rules: { 'lattice-multiple-matches': 'warning' } }).map((d) => d.severity),
        ['warning'],
      );
    } finally {
      fs.rmSync(generic, { recursive: true, force: true });
      fs.rmSync(lattice, { recursive: true, force: true });
    }
  });

  test('routes with Service parents only (mesh mode) are never Lattice routes, even under the lattice profile', () => {
    const meshRoute = ROUTE_WITH_RETRY.replace('    - name: gw\n', '    - group: ""\n      kind: Service\n      name: metal\n      port: 9080\n');
    const { validator } = memoryTree('amazon-vpc-lattice', meshRoute);
    const all = [...validator.diagnostics(() => ({ options: { [PROFILE]: 'lattice' } })).values()].flat();
    assert.deepEqual(
      all.filter((d) => d.code.startsWith('lattice-')),
      [],
    );
  });

  test('a Gateway is found by name and namespace; one in another namespace does not count', () => {
    const route = (parentNamespace: string) =>
      `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n  namespace: apps\nspec:\n  parentRefs:\n    - name: gw\n${parentNamespace}  rules: []\n`;
    const { workspace } = memoryTree('amazon-vpc-lattice', '', [
      [
        '/ws/gw-ns.yaml',
        'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: edge\n  namespace: infra\nspec:\n  gatewayClassName: amazon-vpc-lattice\n',
      ],
      ['/ws/r1.yaml', route('')],
      ['/ws/r2.yaml', route('      namespace: infra\n').replace('name: gw', 'name: edge')],
      ['/ws/r3.yaml', route('').replace('name: gw', 'name: edge')],
    ]);
    const objectOf = (file: string) => workspace.file(path.resolve(file))!.objects[0];
    const read: string[] = [];
    // gw has no namespace (kustomize may set it): it may be the route's.
    assert.equal(
      routeIsOnLattice(objectOf('/ws/r1.yaml'), workspace, (p) => read.push(p)),
      true,
    );
    assert.deepEqual(read, [path.resolve('/ws/gateway.yaml')], 'the Gateway file is recorded as read');
    assert.equal(routeIsOnLattice(objectOf('/ws/r2.yaml'), workspace), true, 'parentRef namespace infra names edge in infra');
    assert.equal(routeIsOnLattice(objectOf('/ws/r3.yaml'), workspace), false, 'edge is in infra, the route (and its parentRef) in apps');
  });

  test('retry and backendRef filters are ignored by Lattice: warnings at their keys', () => {
    const { validator } = memoryTree('amazon-vpc-lattice', ROUTE_WITH_RETRY);
    const found = [...validator.diagnostics().values()].flat().filter((d) => d.code === 'lattice-ignored-field');
    assert.deepEqual(
      found.map((d) => [d.range.start.line + 1, d.severity, /ignores (\w+)/.exec(d.message)?.[1]]),
      [
        [9, 'warning', 'retry'],
        [14, 'warning', 'filters'],
      ],
    );
  });

  test('changing the Gateway class in its own file rechecks the route (the rule read it)', () => {
    const { source, validator, workspace } = memoryTree('amazon-vpc-lattice', ROUTE_WITH_RETRY);
    const latticeCodes = () => codes([...validator.diagnostics().values()].flat()).filter((c) => c.startsWith('lattice-'));
    assert.deepEqual(latticeCodes(), ['lattice-ignored-field', 'lattice-ignored-field']);
    const gateway = path.resolve('/ws/gateway.yaml');
    source.set(gateway, (source.readFile(gateway) ?? '').replace('amazon-vpc-lattice', 'istio'));
    workspace.invalidate(gateway);
    assert.deepEqual(latticeCodes(), []);
  });

  test('a GatewayClass whose controller is Lattice\u2019s puts its Gateways on Lattice, whatever its name', () => {
    const { validator } = memoryTree('service-network', ROUTE_WITH_RETRY, [
      [
        '/ws/class.yaml',
        'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: service-network\nspec:\n  controllerName: application-networking.k8s.aws/gateway-api-controller\n',
      ],
    ]);
    assert.equal([...validator.diagnostics().values()].flat().filter((d) => d.code === 'lattice-ignored-field').length, 2);
  });

  test('odd shapes are skipped, not crashed on', () => {
    const odd = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: odd
spec:
  parentRefs: [gw, null, {name: gw}]
  rules:
    - null
    - text
    - matches: 3
      backendRefs: [null, 1, {weight: "5000", kind: [1]}]
      filters:
    - matches: [null, {path: "/"}, {headers: {a: b}, queryParams: [], path: {type: [RegularExpression]}}]
`;
    const { validator } = memoryTree('amazon-vpc-lattice', odd);
    const found = codes([...validator.diagnostics().values()].flat()).filter((c) => c.startsWith('lattice-'));
    // Only what is plain: the last rule has 3 matches (an empty filters key asks for nothing).
    assert.deepEqual(found, ['lattice-multiple-matches']);
  });
});

describe('lattice-weight-over-999', () => {
  test('weights are divided by their common divisor when that is enough, else scaled to 999 keeping every backend', () => {
    assert.deepEqual(scaleToLattice([9500, 500]), [19, 1]);
    assert.deepEqual(scaleToLattice([1500, 1000, 0]), [3, 2, 0]);
    assert.deepEqual(scaleToLattice([2000, 1]), [999, 1]);
    assert.deepEqual(scaleToLattice([1001, 1000]), [999, 998]);
    assert.deepEqual(scaleToLattice([100000, 3, 0]), [999, 1, 0]);
    assert.equal(scaleToLattice([999, 5]), undefined, 'nothing above 999');
  });

  test('the fix rewrites only the weights that change, and clears the error', () => {
    const { root } = materialize('gateway-lattice-weight-over-999');
    try {
      const validator = new Validator(new Workspace(new DiskFileSource(), [root]));
      const found = [...validator.diagnostics().values()].flat().filter((d) => d.code === 'lattice-weight-over-999');
      assert.equal(found.length, 2);
      const file = path.join(root, 'dj-route-v1-95-v2-5.yaml');
      const before = fs.readFileSync(file, 'utf8');
      const fixes = found.map((d) => validator.fixes(d)[0]);
      assert.deepEqual(
        fixes.map((f) => f.title),
        ['Scale the weights to at most 999 (19/1)', 'Scale the weights to at most 999 (999/1)'],
      );
      const edits = fixes.flatMap((f) => f.changes.flatMap((c) => c.edits));
      const lines = new LineIndex(before);
      const after = applyEdits(before, edits, (p) => lines.offsetAt(p));
      assert.equal(after, before.replace('weight: 9500', 'weight: 19').replace('weight: 500', 'weight: 1').replace('weight: 2000', 'weight: 999'));
      fs.writeFileSync(file, after);
      const again = new Validator(new Workspace(new DiskFileSource(), [root]));
      assert.deepEqual(
        [...again.diagnostics().values()].flat().map((d) => d.code),
        [],
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('a missing backend on Lattice', () => {
  const messages = (gatewayClass: string, weights: string, enabled: string[]): string[] => {
    const [w1, w2, w3] = weights.split('/');
    const route = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: metal-route
spec:
  parentRefs:
    - name: gw
  rules:
    - name: metal
      backendRefs:
        - name: metal-v1
          port: 9080
          weight: ${w1}
        - name: metal-v2
          port: 9080
          weight: ${w2}
        - name: metal-v3
          port: 9080
          weight: ${w3}
`;
    const versions = ['v1', 'v2', 'v3']
      .filter((v) => enabled.includes(v))
      .map((v) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: metal-${v}\nspec:\n  ports:\n    - port: 9080\n`)
      .join('---\n');
    const { validator } = memoryTree(gatewayClass, route, [
      ['/ws/versions.yaml', versions],
      ['/ws/others.yaml', ['v1', 'v2', 'v3'].map((v) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: metal-${v}\n`).join('---\n')],
    ]);
    return [...validator.diagnostics().values()]
      .flat()
      .filter((d) => d.code === 'router-target-not-running' && d.path.endsWith('route.yaml'))
      .map((d) => d.message);
  };

  test('its share goes to the others, and the message says what they get instead of what the file declares', () => {
    const [message] = messages('amazon-vpc-lattice', '95/5/0', ['v1', 'v3']);
    assert.match(
      message,
      /^5 % of metal-route's traffic is not lost on VPC Lattice, which leaves the missing Service out of the rule: metal-v1 then gets 100 %, not the 95 % the file declares\. HTTPRoute metal-route sends traffic to Service metal-v2/,
    );
    const [split] = messages('amazon-vpc-lattice', '50/30/20', ['v1', 'v2']);
    assert.match(split, /metal-v1 then gets 62\.5 % and metal-v2 37\.5 %, not the 50 % and 30 % the file declares\. HTTPRoute/);
  });

  test('with no backend left the rule answers HTTP 500; off Lattice the share gets HTTP 500', () => {
    const none = messages('amazon-vpc-lattice', '95/5/0', ['v3']);
    assert.equal(none.length, 2);
    for (const message of none)
      assert.match(message, /gets HTTP 500: on VPC Lattice a rule none of whose backends resolves answers with a fixed 500\. HTTPRoute/);
    const [elsewhere] = messages('istio', '95/5/0', ['v1', 'v3']);
    assert.match(elsewhere, /^5 % of metal-route's traffic gets HTTP 500\. HTTPRoute metal-route sends traffic to Service metal-v2/);
  });
});
