import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DiskFileSource, parseKustomization, Workspace } from '../../server/src/engine';
import { applyEdits } from '../../server/src/engine/edits';
import { moveRefusal, planMove, reachableTargets, StageTarget, stageModel, stageName } from '../../server/src/engine/stages';
import { parseYaml } from '../../server/src/engine/yaml';
import { materialize, REPO } from '../support/cases';

/** The reviews rollout of examples/reviews-istio, one fixture case per stage: three versions, so each stage names two generations. */
const STAGES: [string, StageTarget][] = [
  ['istio-stage-1-v1', { kind: 'blue', from: 'v1', to: 'v2' }],
  ['istio-stage-2-v2-staged', { kind: 'blue-green', from: 'v1', to: 'v2' }],
  ['istio-stage-3-v2-20', { kind: 'canary', percent: 20, from: 'v1', to: 'v2' }],
  ['istio-stage-4-v3-staged', { kind: 'blue-green', from: 'v1', to: 'v3' }],
  ['istio-stage-5-v3-50', { kind: 'canary', percent: 50, from: 'v1', to: 'v3' }],
  ['istio-stage-6-v3-v1-standby', { kind: 'green', from: 'v1', to: 'v3' }],
  ['istio-stage-7-v3-v2-standby', { kind: 'green', from: 'v2', to: 'v3' }],
  ['istio-stage-8-v3', { kind: 'green-final', from: 'v2', to: 'v3' }],
];

const caseText = (name: string): string => fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'cases', name, 'kustomization.yaml'), 'utf8');

function enabledEntries(text: string): string[] {
  return parseKustomization('/x/kustomization.yaml', parseYaml(text))
    .entries.filter((e) => e.enabled)
    .map((e) => e.value)
    .sort();
}

function modelOf(root: string, text: string) {
  const file = path.join(root, 'kustomization.yaml');
  fs.writeFileSync(file, text);
  const workspace = new Workspace(new DiskFileSource(), [root]);
  const model = stageModel(workspace, workspace.file(file)!.kustomization!);
  assert.ok(model, 'the reviews tree has a stage model');
  return model;
}

function move(root: string, text: string, target: StageTarget): string {
  const model = modelOf(root, text);
  const plan = planMove(model, target);
  assert.ok(plan, `a move to ${stageName(target)} from ${model.state.label}: ${moveRefusal(model, target)}`);
  return applyEdits(text, plan.edits, (p) => model.kustomization.parsed.lines.offsetAt(p));
}

describe('stage model of the Istio reviews rollout (three versions as DestinationRule subsets)', () => {
  const { root } = materialize('istio-stage-3-v2-20');

  for (const [name, stage] of STAGES) {
    test(`${name} is ${stageName(stage)}`, () => {
      const model = modelOf(root, caseText(name));
      assert.deepEqual(model.state.stage, stage, model.state.label);
      assert.deepEqual(model.state.services[0].versions, ['reviews/v1', 'reviews/v2', 'reviews/v3']);
    });
  }

  test('the example itself is at canary 20 %, and labels name the two generations', () => {
    const text = fs.readFileSync(path.join(REPO, 'examples', 'reviews-istio', 'kustomization.yaml'), 'utf8');
    assert.equal(modelOf(root, text).state.label, 'Stage: canary 20 % (v1 → v2) — reviews 80/20');
    assert.equal(modelOf(root, caseText('istio-stage-1-v1')).state.label, 'Stage: blue (v1) — reviews 100/0');
    assert.equal(modelOf(root, caseText('istio-stage-8-v3')).state.label, 'Stage: green final (v3) — reviews 0/100');
  });

  test('every stage is reachable from every other one, and each move says which two versions it is between', () => {
    for (const [from, fromStage] of STAGES) {
      const model = modelOf(root, caseText(from));
      const reachable = reachableTargets(model).map(stageName).sort();
      const expected = STAGES.filter(([name]) => name !== from).map(([, s]) => stageName(s));
      assert.deepEqual(reachable, [...new Set(expected)].sort(), `${from} (${stageName(fromStage)})`);
    }
    const titles = reachableTargets(modelOf(root, caseText('istio-stage-1-v1'))).map((t) => planMove(modelOf(root, caseText('istio-stage-1-v1')), t)!.title);
    assert.ok(titles.includes('Switch to canary 50% (v1 → v3)'), titles.join(' | '));
    assert.ok(titles.includes('Switch to green v3 (keep v2 for rollback)'), titles.join(' | '));
  });

  test('moves between every pair of stages give the fixture of the target stage, and back', () => {
    for (const [from] of STAGES) {
      const original = caseText(from);
      for (const [to, toStage] of STAGES) {
        if (to === from) continue;
        const moved = move(root, original, toStage);
        assert.deepEqual(enabledEntries(moved), enabledEntries(caseText(to)), `${from} → ${to}`);
        assert.deepEqual(modelOf(root, moved).state.stage, toStage, `${from} → ${to} lands on the stage`);
        assert.equal(move(root, moved, STAGES.find(([n]) => n === from)![1]), original, `${from} → ${to} → ${from}`);
      }
    }
  });

  test('a subset whose workload file is commented out is a stopped version, and the stage says so', () => {
    const text = caseText('istio-stage-3-v2-20').replace('- reviews-v2.yaml', '#- reviews-v2.yaml');
    const model = modelOf(root, text);
    assert.equal(model.state.stage, undefined);
    assert.equal(model.state.reason, 'virtual-service-reviews-80-20.yaml routes to reviews/v2, which is not running');
  });
});

describe('make before break: a move brings up everything a subset needs', () => {
  /** The same rollout with one DestinationRule file per version: a subset's rule comes and goes with its workload. */
  function perVersionRules(): string {
    const { root } = materialize('istio-stage-1-v1');
    fs.rmSync(path.join(root, 'destination-rule-reviews.yaml'));
    for (const v of ['v1', 'v2', 'v3']) {
      fs.writeFileSync(
        path.join(root, `destination-rule-reviews-${v}.yaml`),
        `apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews-${v}\nspec:\n  host: reviews\n  subsets:\n    - name: ${v}\n      labels:\n        version: ${v}\n`,
      );
    }
    return root;
  }
  const blue = [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    '- productpage.yaml',
    '- reviews-service.yaml',
    '- destination-rule-reviews-v1.yaml',
    '#- destination-rule-reviews-v2.yaml',
    '#- destination-rule-reviews-v3.yaml',
    '- reviews-v1.yaml',
    '#- reviews-v2.yaml',
    '#- reviews-v3.yaml',
    '- virtual-service-reviews-all-v1.yaml',
    '#- virtual-service-reviews-80-20.yaml',
    '#- virtual-service-reviews-50-50.yaml',
    '#- virtual-service-reviews-v3.yaml',
    '',
  ].join('\n');

  test('the canary move enables the subset rule and the workload with the router, and the final move disables the old ones', () => {
    const root = perVersionRules();
    assert.deepEqual(modelOf(root, blue).state.stage, { kind: 'blue', from: 'v1', to: 'v2' });
    const canary = move(root, blue, { kind: 'canary', percent: 20, from: 'v1', to: 'v2' });
    assert.deepEqual(enabledEntries(canary), [
      'destination-rule-reviews-v1.yaml',
      'destination-rule-reviews-v2.yaml',
      'productpage.yaml',
      'reviews-service.yaml',
      'reviews-v1.yaml',
      'reviews-v2.yaml',
      'virtual-service-reviews-80-20.yaml',
    ]);
    const final = move(root, canary, { kind: 'green-final', from: 'v1', to: 'v3' });
    assert.deepEqual(enabledEntries(final), [
      'destination-rule-reviews-v3.yaml',
      'productpage.yaml',
      'reviews-service.yaml',
      'reviews-v3.yaml',
      'virtual-service-reviews-v3.yaml',
    ]);
  });

  test('without the rule that defines a subset, the move is refused and the reason names what is missing', () => {
    const root = perVersionRules();
    fs.rmSync(path.join(root, 'destination-rule-reviews-v3.yaml'));
    const text = blue.replace('#- destination-rule-reviews-v3.yaml\n', '');
    const model = modelOf(root, text);
    const target: StageTarget = { kind: 'canary', percent: 50, from: 'v1', to: 'v3' };
    assert.equal(planMove(model, target), undefined);
    assert.equal(
      moveRefusal(model, target),
      'no file listed in kustomization.yaml provides what reviews/v1 and reviews/v3 need to run (reviews/v3 needs DestinationRule subset v3 of reviews; reviews/v3 needs a workload of subset v3 of reviews)',
    );
    assert.ok(!reachableTargets(model).some((t) => t.to === 'v3'), 'no move to v3 is offered');
  });
});
