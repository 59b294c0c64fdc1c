import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DiskFileSource, parseKustomization, Workspace } from '../../server/src/engine';
import { applyEdits } from '../../server/src/engine/edits';
import { planMove, reachableTargets, StageTarget, stageModel, stageName } from '../../server/src/engine/stages';
import { parseYaml } from '../../server/src/engine/yaml';
import { materialize, REPO } from '../support/cases';

/** The seed's stages: each fixture's kustomization.yaml is the seed's text for that stage. */
const SEED_STAGES: [string, StageTarget][] = [
  ['stage-bluegreen-1-blue', { kind: 'blue' }],
  ['stage-bluegreen-2-blue-green', { kind: 'blue-green' }],
  ['stage-bluegreen-3-green-v1-standby', { kind: 'green' }],
  ['stage-bluegreen-4-green', { kind: 'green-final' }],
  ['stage-canary-1-v1', { kind: 'blue' }],
  ['stage-canary-2-v2-5', { kind: 'canary', percent: 5 }],
  ['stage-canary-3-v2-95', { kind: 'canary', percent: 95 }],
  ['stage-canary-4-v2-v1-standby', { kind: 'green' }],
  ['stage-canary-5-v2', { kind: 'green-final' }],
];

const appMeshSeedText = (name: string): string => fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'cases', name, 'kustomization.yaml'), 'utf8');

/** The DJ example on Gateway API names its files after what they hold: dj-metal-v1.yaml, dj-route-v1.yaml. */
const toGatewayApiNames = (text: string): string =>
  text
    .replace(/dj-app-mesh-frontend/g, 'dj-frontend')
    .replace(/dj-app-mesh-/g, 'dj-')
    .replace(/dj-mesh-router-/g, 'dj-route-');

/** The same rollout in each dialect: the seed's tree on App Mesh, and examples/dj-gateway-api on HTTPRoutes. */
const TREES = [
  { dialect: 'App Mesh', casePrefix: '', names: (text: string) => text },
  { dialect: 'Gateway API', casePrefix: 'gateway-', names: toGatewayApiNames },
];

/** Layouts users write: the same stages with other bytes around the entries. */
const LAYOUTS: Record<string, (text: string) => string> = {
  seed: (t) => t,
  crlf: (t) => t.replace(/\n/g, '\r\n'),
  'no final newline': (t) => t.replace(/\n$/, ''),
  'dash after space': (t) => t.replace(/^#- /gm, '# - ').replace(/^# (dj-)/gm, '# - $1'),
  'double hash': (t) => t.replace(/^#- /gm, '##- ').replace(/^# (dj-)/gm, '##- $1'),
  'headers and trailing comments': (t) =>
    t
      .replace(/^(#?-? ?dj-mesh-router-v1\.yaml)$/m, '### routers: exactly one enabled\n$1   # all to v1')
      .replace(/^(#?-? ?dj-app-mesh-frontend\.yaml)$/m, '### dj app\n$1 # frontend'),
  quoted: (t) => t.replace(/^(#?-? ?)(dj-[\w.-]+\.yaml)$/gm, '$1"$2"'),
  indented: (t) => t.replace(/^(#?-? ?)(dj-)/gm, '  $1$2').replace(/^ {2}# (dj-)/gm, '  #- $1'),
};

function enabledEntries(text: string): string[] {
  return parseKustomization('/x/kustomization.yaml', parseYaml(text))
    .entries.filter((e) => e.enabled)
    .map((e) => e.value)
    .sort();
}

/** Writes a kustomization into the DJ tree and returns its stage model. */
function modelOf(root: string, text: string) {
  const file = path.join(root, 'kustomization.yaml');
  fs.writeFileSync(file, text);
  const workspace = new Workspace(new DiskFileSource(), [root]);
  const kustomization = workspace.file(file)!.kustomization!;
  const model = stageModel(workspace, kustomization);
  assert.ok(model, 'the DJ tree has a stage model');
  return model;
}

function move(root: string, text: string, target: StageTarget): string {
  const model = modelOf(root, text);
  const plan = planMove(model, target);
  assert.ok(plan, `a move to ${stageName(target)} from ${model.state.label}`);
  return applyEdits(text, plan.edits, (p) => model.kustomization.parsed.lines.offsetAt(p));
}

for (const tree of TREES) {
  describe(`stage model on the seed (${tree.dialect})`, () => {
    const { root } = materialize(`${tree.casePrefix}stage-canary-2-v2-5`);
    const seedText = (name: string): string => tree.names(appMeshSeedText(name));

    for (const [name, stage] of SEED_STAGES) {
      test(`${name} is ${stageName(stage)}`, () => {
        const model = modelOf(root, seedText(name));
        assert.deepEqual(model.state.stage, stage, model.state.label);
        assert.deepEqual(
          model.state.services.map((s) => [s.service, s.old, s.new]),
          [
            ['jazz', 'jazz-v1', 'jazz-v2'],
            ['metal', 'metal-v1', 'metal-v2'],
          ],
        );
      });
    }

    test('labels say the stage and each service split', () => {
      assert.equal(modelOf(root, seedText('stage-canary-2-v2-5')).state.label, 'Stage: canary 5 % — jazz 95/5, metal 95/5');
      assert.equal(modelOf(root, seedText('stage-bluegreen-2-blue-green')).state.label, 'Stage: blue/green — jazz 100/0, metal 100/0');
    });

    test('every seed stage is reachable from every other one', () => {
      for (const [from] of SEED_STAGES) {
        const reachable = reachableTargets(modelOf(root, seedText(from))).map(stageName);
        const expected = [
          ...new Set(
            SEED_STAGES.filter(([name, s]) => name !== from && stageName(s) !== stageName(SEED_STAGES.find(([n]) => n === from)![1])).map(([, s]) =>
              stageName(s),
            ),
          ),
        ];
        assert.deepEqual(reachable.sort(), expected.sort(), from);
      }
    });

    test('broken or mixed states say why', () => {
      const twoRouters = seedText('stage-canary-2-v2-5').replace(tree.names('#- dj-mesh-router-v2.yaml'), tree.names('- dj-mesh-router-v2.yaml'));
      assert.equal(
        modelOf(root, twoRouters).state.label,
        tree.names('Stage: unknown — 2 router files are enabled (dj-mesh-router-v1-95-v2-5.yaml, dj-mesh-router-v2.yaml)'),
      );
      const noRouter = seedText('stage-canary-2-v2-5').replace(tree.names('- dj-mesh-router-v1-95-v2-5.yaml'), tree.names('#- dj-mesh-router-v1-95-v2-5.yaml'));
      assert.equal(modelOf(root, noRouter).state.reason, 'no router file is enabled');
      const notRunning = seedText('stage-canary-1-v1')
        .replace(tree.names('#- dj-mesh-router-v2.yaml'), tree.names('- dj-mesh-router-v2.yaml'))
        .replace(tree.names('- dj-mesh-router-v1.yaml'), tree.names('#- dj-mesh-router-v1.yaml'));
      assert.match(modelOf(root, notRunning).state.reason ?? '', /not running/);
    });

    test('a router file that moves one service but not the other is named', () => {
      const { root: slip } = materialize(`${tree.casePrefix}router-copy-paste-slip`);
      const text = fs.readFileSync(path.join(slip, 'kustomization.yaml'), 'utf8');
      assert.equal(modelOf(slip, text).state.reason, tree.names('dj-mesh-router-v2.yaml routes to jazz-v1, which is not running'));
      const everythingRunning = text.replace(/^#- (dj-(?:app-mesh-)?(?:metal|jazz))/gm, '- $1');
      assert.equal(modelOf(slip, everythingRunning).state.reason, tree.names('dj-mesh-router-v2.yaml moves metal but not jazz (jazz 100/0, metal 0/100)'));
    });
  });

  describe(`moves between every pair of seed stages, in every layout (${tree.dialect})`, () => {
    const { root } = materialize(`${tree.casePrefix}stage-canary-2-v2-5`);
    const seedText = (name: string): string => appMeshSeedText(name);
    for (const [layout, transform] of Object.entries(LAYOUTS)) {
      test(layout, () => {
        for (const [from, fromStage] of SEED_STAGES) {
          const original = tree.names(transform(seedText(from)));
          for (const [to, toStage] of SEED_STAGES) {
            if (stageName(toStage) === stageName(fromStage)) continue;
            const moved = move(root, original, toStage);
            assert.deepEqual(enabledEntries(moved), enabledEntries(tree.names(seedText(to))), `${from} → ${to}`);
            assert.deepEqual(modelOf(root, moved).state.stage, toStage, `${from} → ${to} lands on the stage`);
            // Only entry lines change, and the line ends and final newline stay as they were.
            const before = original.split('\n');
            const after = moved.split('\n');
            assert.equal(after.length, before.length, `${from} → ${to} keeps the line count`);
            before.forEach((line, i) => {
              if (line !== after[i]) assert.ok(/\.yaml"?(\s*#.*)?\r?$/.test(line), `${from} → ${to} changed only entry lines, not ${JSON.stringify(line)}`);
              assert.equal(after[i].endsWith('\r'), line.endsWith('\r'));
            });
            const back = move(root, moved, fromStage);
            if (back !== original) {
              // Only a line whose disabled shape differed from the file's usual one may differ: it was normalized.
              const differing = original.split('\n').filter((line, i) => line !== back.split('\n')[i]);
              assert.ok(
                differing.every((line) => /^\s*# "?dj-/.test(line)),
                `${from} → ${to} → ${from} restores the file: ${JSON.stringify(differing)}`,
              );
            }
          }
        }
      });
    }
  });
}

test("the Gateway API stage fixtures are the seed kustomizations with the example's file names", () => {
  for (const [name] of SEED_STAGES) {
    const gatewayText = fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'cases', `gateway-${name}`, 'kustomization.yaml'), 'utf8');
    assert.equal(gatewayText, toGatewayApiNames(appMeshSeedText(name)), name);
  }
});

test('on VPC Lattice a stopped version is left out of the route: the stage says what runs in effect', () => {
  const { root } = materialize('gateway-lattice-clean');
  const text = fs.readFileSync(path.join(root, 'kustomization.yaml'), 'utf8');
  const stopped = text.replace('\n- dj-metal-v2.yaml', '\n#- dj-metal-v2.yaml').replace('\n- dj-jazz-v2.yaml', '\n#- dj-jazz-v2.yaml');
  assert.equal(
    modelOf(root, stopped).state.reason,
    'dj-route-v1-95-v2-5.yaml routes to jazz-v2, metal-v2, which are not running; VPC Lattice leaves them out of the routes: jazz-route 100/0 in effect, not 95/5, metal-route 100/0 in effect, not 95/5',
  );
  // The same tree on the Gateway API without Lattice (examples/dj-gateway-api) just says what is not running.
  const { root: mesh } = materialize('gateway-backend-not-running');
  assert.equal(
    modelOf(mesh, fs.readFileSync(path.join(mesh, 'kustomization.yaml'), 'utf8')).state.reason,
    'dj-route-v1-95-v2-5.yaml routes to jazz-v2, metal-v2, which are not running',
  );
});

describe('stage model reuse', () => {
  test('kept across edits outside its directory, computed again when its directory or one of its files changes', () => {
    const { root } = materialize('stage-canary-2-v2-5');
    const elsewhere = path.join(root, 'other', 'notes.yaml');
    fs.mkdirSync(path.dirname(elsewhere));
    fs.writeFileSync(elsewhere, 'a: 1\n');
    const workspace = new Workspace(new DiskFileSource(), [root]);
    const kustomization = workspace.file(path.join(root, 'kustomization.yaml'))!.kustomization!;
    const first = stageModel(workspace, kustomization);
    assert.ok(first);
    assert.deepEqual(first.state.stage, { kind: 'canary', percent: 5 });

    fs.writeFileSync(elsewhere, 'a: 2\n');
    workspace.invalidate(elsewhere);
    assert.equal(stageModel(workspace, kustomization), first, 'an edit elsewhere leaves the model as it was');

    /** Writes `to` as `from` with each old/new weight pair replaced. */
    const reweighed = (from: string, to: string, [oldFrom, newFrom]: number[], [oldTo, newTo]: number[]): void => {
      const text = fs.readFileSync(from, 'utf8');
      fs.writeFileSync(
        to,
        text.replace(new RegExp(`weight: ${oldFrom}\\b`, 'g'), `weight: ${oldTo}`).replace(new RegExp(`weight: ${newFrom}\\b`, 'g'), `weight: ${newTo}`),
      );
    };
    const router = path.join(root, 'dj-mesh-router-v1-95-v2-5.yaml');
    reweighed(router, router, [95, 5], [90, 10]);
    workspace.invalidate(router);
    const edited = stageModel(workspace, kustomization);
    assert.notEqual(edited, first);
    assert.deepEqual(edited?.state.stage, { kind: 'canary', percent: 10 }, 'the enabled router file changed');

    const added = path.join(root, 'dj-mesh-router-v1-50-v2-50.yaml');
    reweighed(router, added, [90, 10], [50, 50]);
    workspace.invalidate(added);
    const grown = stageModel(workspace, kustomization);
    assert.equal(grown?.routerFiles.length, edited!.routerFiles.length + 1, 'a new router file in the directory is seen');
  });
});
