import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { createMeshService, Diagnostic, DiskFileSource, LineIndex, Validator, Workspace } from '../../server/src/engine';
import { profiledService, quantityValue } from '../../server/src/engine/dialects/linkerd/traffic';
import { applyEdits } from '../../server/src/engine/edits';
import { StageTarget, stageModel } from '../../server/src/engine/stages';
import { parseYaml } from '../../server/src/engine/yaml';
import { materialize } from '../support/cases';

/** An HTTPRoute as `kubectl kustomize` prints it, the fields the test compares. */
interface BuiltRoute {
  kind: string;
  apiVersion: string;
  metadata: { name: string };
  spec: { parentRefs: unknown; rules: { backendRefs: unknown }[] };
}

const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).error ? 'kubectl is not installed' : false;

function stateOf(root: string) {
  const workspace = new Workspace(new DiskFileSource(), [root]);
  const kustomization = workspace.file(path.join(root, 'kustomization.yaml'))!.kustomization!;
  const model = stageModel(workspace, kustomization);
  assert.ok(model, 'the tree has a stage model');
  return model.state;
}

function diagnosticsOf(root: string): { validator: Validator; diagnostics: Diagnostic[] } {
  const validator = new Validator(new Workspace(new DiskFileSource(), [root]));
  return { validator, diagnostics: [...validator.diagnostics().values()].flat() };
}

/** Applies the "Write an HTTPRoute" fix of the first TrafficSplit finding until none is left; the files' texts before. */
function writeRoutes(root: string): Map<string, string> {
  const before = new Map<string, string>();
  for (let round = 0; round < 10; round++) {
    const { validator, diagnostics } = diagnosticsOf(root);
    const finding = diagnostics.find((d) => d.code === 'smi-traffic-split-deprecated');
    if (!finding) return before;
    const fix = validator.fixes(finding).find((f) => f.title === 'Write an HTTPRoute');
    assert.ok(fix, `a fix for ${path.basename(finding.path)}:${finding.range.start.line + 1}`);
    for (const change of fix.changes) {
      const text = fs.readFileSync(change.path, 'utf8');
      if (!before.has(change.path)) before.set(change.path, text);
      const lines = new LineIndex(text);
      fs.writeFileSync(
        change.path,
        applyEdits(text, change.edits, (p) => lines.offsetAt(p)),
      );
    }
  }
  assert.fail('the fixes converge');
}

describe('Linkerd dialect', () => {
  test('Kubernetes quantities as SMI v1alpha1 weights', () => {
    assert.equal(quantityValue('500m'), 0.5);
    assert.equal(quantityValue('0m'), 0);
    assert.equal(quantityValue('1500m'), 1.5);
    assert.equal(quantityValue('1.5k'), 1500);
    assert.equal(quantityValue('2e3'), 2000);
    assert.equal(quantityValue('1Ki'), 1024);
    assert.equal(quantityValue('95'), 95);
    assert.equal(quantityValue('five'), undefined);
    assert.equal(quantityValue('5 %'), undefined);
    assert.equal(quantityValue(''), undefined);
  });

  test('a ServiceProfile is for the Service its name spells as an FQDN', () => {
    assert.deepEqual(profiledService('metal.prod.svc.cluster.local'), { service: 'metal', namespace: 'prod' });
    assert.deepEqual(profiledService('metal.prod.svc.example.internal'), { service: 'metal', namespace: 'prod' });
    assert.equal(profiledService('metal.prod'), undefined);
    assert.equal(profiledService('api.example.com'), undefined);
    assert.equal(profiledService('metal.prod.svc.'), undefined);
  });

  const stages: [string, StageTarget][] = [
    ['linkerd-stage-canary-2-v2-5', { kind: 'canary', percent: 5 }],
    ['linkerd-stage-canary-5-v2', { kind: 'green-final' }],
    ['smi-traffic-split-canary-5', { kind: 'canary', percent: 5 }],
    ['smi-traffic-split-v1alpha1-quantities', { kind: 'canary', percent: 5 }],
  ];
  for (const [name, expected] of stages) {
    test(`the stage model classifies ${name}`, () => {
      const { root } = materialize(name);
      try {
        const state = stateOf(root);
        assert.deepEqual(state.stage, expected, state.label);
        assert.deepEqual(
          state.services.map((s) => s.service),
          ['jazz', 'metal'],
          'the splits name their apex Services',
        );
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  }

  for (const name of ['smi-traffic-split-canary-5', 'smi-traffic-split-v1alpha1-quantities']) {
    test(`"Write an HTTPRoute" on ${name}: same stage, comments and other documents kept, kubectl kustomize builds it`, { skip: kubectlMissing }, () => {
      const { root } = materialize(name);
      try {
        const stageBefore = stateOf(root);
        const diagnosticsBefore = diagnosticsOf(root).diagnostics.filter((d) => d.code !== 'smi-traffic-split-deprecated');
        const before = writeRoutes(root);
        const file = path.join(root, 'dj-split-v1-95-v2-5.yaml');
        assert.deepEqual([...before.keys()], [file]);
        const original = before.get(file)!;
        const fixed = fs.readFileSync(file, 'utf8');

        const stageAfter = stateOf(root);
        assert.deepEqual(stageAfter.stage, stageBefore.stage);
        assert.deepEqual(
          stageAfter.services.map((s) => [s.service, s.router, s.split]),
          stageBefore.services.map((s) => [s.service, s.router, s.split]),
        );
        const diagnosticsAfter = diagnosticsOf(root).diagnostics;
        assert.deepEqual(
          diagnosticsAfter.map((d) => `${d.code} ${path.basename(d.path)}`),
          diagnosticsBefore.map((d) => `${d.code} ${path.basename(d.path)}`),
          'the fix clears the deprecation and adds nothing',
        );

        // Every comment line of the original is still there, in order.
        const comments = (text: string): string[] => text.split('\n').flatMap((line) => /#.*$/.exec(line)?.[0] ?? []);
        assert.deepEqual(comments(fixed), comments(original));
        // Only apiVersion, kind and the spec changed: metadata lines are the same bytes.
        const metadata = (text: string): string[] => text.split('\n').filter((line) => /^ {2}name: |^metadata:/.test(line));
        assert.deepEqual(metadata(fixed), metadata(original));

        const built = spawnSync('kubectl', ['kustomize', root], { encoding: 'utf8' });
        assert.equal(built.status, 0, built.stderr);
        const routes = (parseYaml(built.stdout).values as BuiltRoute[])
          .filter((v) => typeof v === 'object' && v !== null && v.kind === 'HTTPRoute')
          .map((route) => ({
            apiVersion: route.apiVersion,
            name: route.metadata.name,
            parents: route.spec.parentRefs,
            backends: route.spec.rules.map((rule) => rule.backendRefs),
          }))
          .sort((a, b) => a.name.localeCompare(b.name));
        const weights = name.includes('v1alpha1') ? [950, 50] : [95, 5];
        assert.deepEqual(
          routes,
          ['jazz', 'metal'].map((service) => ({
            apiVersion: 'gateway.networking.k8s.io/v1',
            name: `${service}-route`,
            parents: [{ group: '', kind: 'Service', name: service, port: 9080 }],
            backends: [
              [
                { name: `${service}-v1`, port: 9080, weight: weights[0] },
                { name: `${service}-v2`, port: 9080, weight: weights[1] },
              ],
            ],
          })),
        );
        assert.ok(!built.stdout.includes('TrafficSplit'), 'no TrafficSplit is left');
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  }

  test("a ServiceProfile overrides Linkerd's own HTTPRoute too, said at the route's Service parent with the profile as related", () => {
    const { root } = materialize('linkerd-stage-canary-2-v2-5');
    try {
      const profile = path.join(root, 'jazz-profile.yaml');
      fs.writeFileSync(
        profile,
        'apiVersion: linkerd.io/v1alpha2\nkind: ServiceProfile\nmetadata:\n  name: jazz.${example_namespace}.svc.cluster.local\nspec:\n  routes: []\n',
      );
      fs.appendFileSync(path.join(root, 'kustomization.yaml'), '- jazz-profile.yaml\n');
      const found = diagnosticsOf(root).diagnostics.filter((d) => d.code === 'linkerd-service-profile-precedence');
      assert.deepEqual(
        found.map((d) => [path.basename(d.path), d.range.start.line + 1, d.related?.map((r) => [path.basename(r.path), r.range.start.line + 1])]),
        [['dj-route-v1-95-v2-5.yaml', 33, [['jazz-profile.yaml', 4]]]],
      );
      assert.match(found[0].message, /ignores HTTPRoute jazz-route/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test("a TrafficSplit's service fields lead to their Services, and the Services' references include them", () => {
    const { root } = materialize('smi-traffic-split-canary-5');
    try {
      const service = createMeshService(new Workspace(new DiskFileSource(), [root]));
      const split = path.join(root, 'dj-split-v1-95-v2-5.yaml');
      const lines = new LineIndex(fs.readFileSync(split, 'utf8'));
      const at = (text: string): { line: number; character: number } => {
        const offset = lines.text.indexOf(text);
        assert.ok(offset >= 0, text);
        return lines.positionAt(offset + text.length - 1);
      };
      const definitionOf = (text: string): string[] => {
        const answer = service.definitionAt(split, at(text));
        assert.equal(answer?.kind, 'symbol', text);
        return answer.kind === 'symbol' ? answer.definitions.map((d) => `${path.basename(d.path)}:${d.range.start.line + 1}`) : [];
      };
      assert.deepEqual(definitionOf('service: metal-v2'), ['dj-metal-v2.yaml:32']);
      // The apex `service: metal` comes first in the file, before the backends.
      assert.deepEqual(definitionOf('service: metal'), ['dj-frontend.yaml:47']);
      const frontend = path.join(root, 'dj-frontend.yaml');
      const frontendLines = new LineIndex(fs.readFileSync(frontend, 'utf8'));
      const metal = frontendLines.positionAt(frontendLines.text.indexOf('name: metal') + 'name: '.length);
      const references = service.referencesAt(frontend, metal, false).map((r) => `${path.basename(r.path)}:${r.range.start.line + 1}`);
      assert.ok(references.includes('dj-split-v1-95-v2-5.yaml:10'), references.join(', '));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('odd shapes of TrafficSplits, routes and profiles crash no rule and get no fix that cannot be right', () => {
    const { root } = materialize('smi-traffic-split-canary-5');
    try {
      const odd = [
        'spec: null',
        'spec: just text',
        'spec:\n  service: [metal]\n  backends: {service: metal-v1}',
        'spec:\n  service: metal\n  backends:\n    - null\n    - service: metal-v2\n      weight: [5]',
        'spec:\n  service: metal\n  backends:\n    - service: metal-v1\n      weight: ${canary}',
        'spec: {service: metal, backends: [{service: metal-v1, weight: 1}]}',
        'spec:\n  service: metal\n  matches:\n    - kind: HTTPRouteGroup\n      name: canary\n  backends:\n    - service: metal-v1\n      weight: 1',
      ];
      const documents = odd.map((spec, index) => `apiVersion: split.smi-spec.io/v1alpha2\nkind: TrafficSplit\nmetadata:\n  name: odd-${index}\n${spec}\n`);
      documents.push('apiVersion: linkerd.io/v1alpha2\nkind: ServiceProfile\nmetadata:\n  name: [metal]\nspec: 7\n');
      documents.push(
        'apiVersion: policy.linkerd.io/v1beta3\nkind: HTTPRoute\nmetadata:\n  name: odd-route\nspec:\n  parentRefs: [null, 5, {kind: Service, group: core}]\n  rules: [null, {backendRefs: [7]}]\n',
      );
      fs.writeFileSync(path.join(root, 'odd.yaml'), documents.join('---\n'));
      fs.appendFileSync(path.join(root, 'kustomization.yaml'), '- odd.yaml\n');
      const validator = new Validator(new Workspace(new DiskFileSource(), [root]), { log: (message) => assert.fail(`a rule crashed: ${message}`) });
      const findings = [...validator.diagnostics().values()].flat().filter((d) => d.code === 'smi-traffic-split-deprecated' && d.path.endsWith('odd.yaml'));
      assert.equal(findings.length, odd.length, 'each TrafficSplit is reported');
      assert.deepEqual(
        findings.flatMap((d) => validator.fixes(d)),
        [],
        'none of them can be written as an HTTPRoute faithfully',
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('no HTTPRoute is offered for an apex Service with several ports: one route cannot forward each port to itself', () => {
    const { root } = materialize('smi-traffic-split-canary-5');
    try {
      const frontend = path.join(root, 'dj-frontend.yaml');
      const text = fs.readFileSync(frontend, 'utf8');
      const twoPorts = text.replace(/( {2}name: metal\n[\s\S]*? {6}targetPort: 9080\n)/, '$1    - name: admin\n      port: 9990\n      targetPort: 9990\n');
      assert.notEqual(twoPorts, text, 'the metal Service gets a second port');
      fs.writeFileSync(frontend, twoPorts);
      const { validator, diagnostics } = diagnosticsOf(root);
      const titles = diagnostics
        .filter((d) => d.code === 'smi-traffic-split-deprecated')
        .map(
          (d) =>
            `${d.range.start.line + 1}: ${validator
              .fixes(d)
              .map((f) => f.title)
              .join(', ')}`,
        );
      assert.deepEqual(titles, ['5: ', '18: Write an HTTPRoute']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
