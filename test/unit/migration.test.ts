import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { createMeshService, DiskFileSource, MIGRATION_TARGETS, MigrationTarget, newFileName, planMigration, Workspace } from '../../server/src/engine';
import { applyEdits } from '../../server/src/engine/edits';
import { planMove, reachableTargets, StageTarget, stageModel, stageName } from '../../server/src/engine/stages';
import { caseNames, materialize } from '../support/cases';

const kubectlMissing = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).error ? 'kubectl is not installed' : false;

/** Migrates a tree into a fresh folder and returns it. */
function migrate(root: string, target: MigrationTarget): { out: string; notes: string[] } {
  const workspace = new Workspace(new DiskFileSource(), [root]);
  const kustomization = workspace.file(path.join(root, 'kustomization.yaml'))!.kustomization!;
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `mk-migrate-${target}-`)), 'tree');
  const plan = planMigration(workspace, kustomization, target, out);
  fs.mkdirSync(out);
  for (const file of plan.files) {
    assert.ok(!fs.existsSync(file.path), `${file.path} is not overwritten`);
    fs.writeFileSync(file.path, file.text);
  }
  return { out, notes: plan.notes.map((n) => `${path.basename(n.path)}:${n.range.start.line + 1} ${n.message}`) };
}

function errorsOf(root: string): string[] {
  const service = createMeshService(new Workspace(new DiskFileSource(), [root]));
  return [...service.check().diagnostics()].flatMap(([file, list]) =>
    list.filter((d) => d.severity === 'error').map((d) => `${path.relative(root, file)}:${d.range.start.line + 1} ${d.code} ${d.message}`),
  );
}

function modelOf(root: string) {
  const workspace = new Workspace(new DiskFileSource(), [root]);
  return stageModel(workspace, workspace.file(path.join(root, 'kustomization.yaml'))!.kustomization!);
}

/** What a stage model says a user can rely on: the stage, each service's split, and the moves offered. */
function stageOf(root: string): { stage: StageTarget | undefined; splits: string[]; moves: string[] } {
  const model = modelOf(root);
  assert.ok(model, `${root} has a stage model`);
  return {
    stage: model.state.stage,
    splits: model.state.services.map((s) => `${s.service} ${s.split?.join('/') ?? '?'}`).sort(),
    moves: reachableTargets(model).map(stageName).sort(),
  };
}

const SEED_STAGES = caseNames().filter((name) => /^stage-(bluegreen|canary)-/.test(name));

describe('migration of the seed stages: no error, kubectl builds it, the same stage', { skip: kubectlMissing }, () => {
  for (const name of SEED_STAGES) {
    for (const target of MIGRATION_TARGETS) {
      test(`${name} → ${target}`, () => {
        const { root } = materialize(name);
        const before = stageOf(root);
        const { out } = migrate(root, target);
        assert.deepEqual(errorsOf(out), []);
        const built = spawnSync('kubectl', ['kustomize', out], { encoding: 'utf8' });
        assert.equal(built.status, 0, built.stderr);
        assert.doesNotMatch(built.stdout, /appmesh\.k8s\.aws/, 'no App Mesh object is left');
        assert.deepEqual(stageOf(out), before);
      });
    }
  }
});

/** The seed's two walks, stage after stage, as the lenses take them. */
const WALKS: StageTarget[][] = [
  [{ kind: 'blue' }, { kind: 'blue-green' }, { kind: 'green' }, { kind: 'green-final' }],
  [{ kind: 'blue' }, { kind: 'canary', percent: 5 }, { kind: 'canary', percent: 95 }, { kind: 'green' }, { kind: 'green-final' }],
];

function step(root: string, target: StageTarget): string {
  const model = modelOf(root)!;
  const plan = planMove(model, target);
  assert.ok(plan, `a move to ${stageName(target)} from ${model.state.label}`);
  const text = applyEdits(model.kustomization.parsed.text, plan.edits, (p) => model.kustomization.parsed.lines.offsetAt(p));
  fs.writeFileSync(model.kustomization.path, text);
  return text;
}

describe('walking the seed on a migrated tree gives the same kustomizations, up to the file names', () => {
  for (const target of MIGRATION_TARGETS) {
    test(target, () => {
      const { root } = materialize('stage-canary-1-v1');
      const { out } = migrate(root, target);
      const original = fs.readFileSync(path.join(root, 'kustomization.yaml'), 'utf8');
      const migratedStart = fs.readFileSync(path.join(out, 'kustomization.yaml'), 'utf8');
      // The migrated kustomization lists the new files (a Gateway, DestinationRules) above the others.
      const added = migratedStart.split('\n').filter((line) => !original.split('\n').some((o) => rename(o, target) === line));
      for (const walk of WALKS) {
        for (const stage of walk) {
          if (modelOf(root)!.state.stage && stageName(modelOf(root)!.state.stage!) === stageName(stage)) continue;
          const expected = rename(step(root, stage), target);
          const actual = step(out, stage);
          assert.equal(
            actual
              .split('\n')
              .filter((line) => !added.includes(line))
              .join('\n'),
            expected,
            `${target}: ${stageName(stage)}`,
          );
        }
      }
    });
  }
});

function rename(text: string, target: MigrationTarget): string {
  return text.replace(/[\w.-]+\.yaml/g, (name) => newFileName(name, target));
}

describe('App Mesh fixture trees without errors migrate without errors', { skip: kubectlMissing }, () => {
  const meshCases = caseNames().filter((name) => !/^(gateway|istio|linkerd|smi|stage)-/.test(name));
  for (const name of meshCases) {
    const { root, kustomizeFails } = materialize(name);
    if (kustomizeFails || !fs.existsSync(path.join(root, 'kustomization.yaml')) || errorsOf(root).length > 0 || !modelOf(root)) continue;
    if (name.startsWith('legacy-')) {
      test(`${name} is refused: v1beta1 trees move to v1beta2 first`, () => {
        const workspace = new Workspace(new DiskFileSource(), [root]);
        const plan = planMigration(workspace, workspace.file(path.join(root, 'kustomization.yaml'))!.kustomization!, 'gamma');
        assert.match(plan.refusal ?? '', /v1beta1 objects .* migrate the tree to v1beta2 first/);
        assert.deepEqual(plan.files, []);
      });
      continue;
    }
    for (const target of MIGRATION_TARGETS) {
      test(`${name} → ${target}`, () => {
        const { out, notes } = migrate(root, target);
        // A tree whose VirtualNodes have no workload runs on App Mesh's terms only; the report says so for Istio's subsets.
        const withoutPods = notes.some((n) => /No workload in this tree runs pods/.test(n));
        assert.deepEqual(
          errorsOf(out).filter((e) => !(withoutPods && / subset-without-workloads /.test(e))),
          [],
        );
        assert.equal(spawnSync('kubectl', ['kustomize', out], { encoding: 'utf8' }).status, 0);
        const [after, before] = [stageOf(out), stageOf(root)];
        assert.deepEqual(after.stage, before.stage);
        // A service may be named after its router on App Mesh when the tree lacks its VirtualService's provider: compare the splits themselves.
        const shares = (splits: string[]) => splits.map((s) => s.slice(s.lastIndexOf(' ') + 1)).sort();
        assert.deepEqual(shares(after.splits), shares(before.splits));
        // Subsets without pods never run, so no move reaches them (the report says so); otherwise the same moves.
        if (!withoutPods) assert.deepEqual(after.moves, before.moves);
      });
    }
  }
});

test('the report says at the App Mesh line what does not carry over', () => {
  const { root } = materialize('stage-canary-2-v2-5');
  const lattice = migrate(root, 'lattice').notes;
  assert.ok(
    lattice.some((n) => /^dj-app-mesh-frontend\.yaml:\d+ Clients of metal \(dj, which lists it as a backend\) must change the name they call/.test(n)),
    lattice.join('\n'),
  );
  assert.ok(lattice.some((n) => /backends allow-list does not carry over/.test(n)));
  assert.ok(lattice.some((n) => /^kustomization\.yaml:\d+ The Mesh is not migrated/.test(n)));
  const gamma = migrate(root, 'gamma').notes;
  assert.ok(gamma.some((n) => /Clients keep calling metal/.test(n)));
  assert.ok(!gamma.some((n) => /must change the name/.test(n)));
});

test('what a route has that the target lacks is reported at its line, per target', () => {
  const { root } = materialize('stage-canary-2-v2-5');
  const router = path.join(root, 'dj-mesh-router-v1-95-v2-5.yaml');
  const headers = ['a', 'b', 'c', 'd', 'e', 'f'].map((h) => `            - name: x-${h}\n              match:\n                exact: "1"`).join('\n');
  fs.writeFileSync(
    router,
    fs
      .readFileSync(router, 'utf8')
      .replace(
        '    - name: metal-route\n      httpRoute:\n        match:\n          prefix: /\n',
        `    - name: metal-route\n      priority: 10\n      httpRoute:\n        match:\n          path:\n            regex: /api/.*\n          queryParameters:\n            - name: beta\n              match:\n                exact: "true"\n          headers:\n${headers}\n        retryPolicy:\n          maxRetries: 2\n          perRetryTimeout:\n            unit: ms\n            value: 500\n          httpRetryEvents:\n            - server-error\n        timeout:\n          perRequest:\n            unit: s\n            value: 15\n`,
      ),
  );
  const lattice = migrate(root, 'lattice').notes.filter((n) => n.startsWith('dj-mesh-router-v1-95-v2-5.yaml:'));
  for (const expected of [
    /Route priorities do not carry over/,
    /regex path is not migrated/,
    /no query-parameter matches/,
    /at most 5 header matches a rule; this one has 6/,
    /Retries do not carry over/,
    /Timeouts do not carry over/,
  ]) {
    assert.ok(
      lattice.some((n) => expected.test(n)),
      `${expected} in:\n${lattice.join('\n')}`,
    );
  }
  const istio = migrate(root, 'istio');
  assert.ok(!istio.notes.some((n) => /Retries|Timeouts|regex/.test(n)), 'Istio carries retries, timeouts and regex paths');
  const virtualService = fs.readFileSync(path.join(istio.out, 'dj-virtual-service-v1-95-v2-5.yaml'), 'utf8');
  assert.match(virtualService, /retries:\n {8}attempts: 2\n {8}perTryTimeout: 500ms\n {8}retryOn: server-error\n/);
  assert.match(virtualService, /timeout: 15s\n/);
  assert.match(virtualService, /uri:\n {12}regex: \/api\/\.\*\n/);
});
