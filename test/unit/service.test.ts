import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { createMeshService, DiskFileSource, Validator, Workspace } from '../../server/src/engine';
import { materialize } from '../support/cases';

const serviceOf = (root: string) => createMeshService(new Workspace(new DiskFileSource(), [root]));

describe('the engine service', () => {
  test("check() gives the validator's diagnostics, with per-file settings applied in the second step", () => {
    const { root } = materialize('router-to-disabled-v2');
    const service = serviceOf(root);
    const checked = service.check();
    const expected = new Validator(new Workspace(new DiskFileSource(), [root])).diagnostics();
    assert.deepEqual(checked.diagnostics(), expected);
    assert.ok(checked.files.length > 0);
    const router = path.join(root, 'dj-mesh-router-v1-95-v2-5.yaml');
    const silenced = checked.diagnostics((p) => (p === router ? { rules: { 'router-target-not-running': 'off' } } : {}));
    assert.equal(silenced.get(router), undefined, 'the setting of the router file applies to it');
    assert.equal(silenced.get(path.join(root, 'kustomization.yaml'))?.length, expected.get(path.join(root, 'kustomization.yaml'))?.length);
  });

  test("the stage of a file is its directory's kustomization; a move is edits to that kustomization", () => {
    const { root } = materialize('stage-canary-2-v2-5');
    const service = serviceOf(root);
    const kustomization = path.join(root, 'kustomization.yaml');
    const stage = service.stageOf(path.join(root, 'dj-mesh-router-v1-95-v2-5.yaml'));
    assert.equal(stage?.path, kustomization);
    assert.deepEqual(stage?.stage, { kind: 'canary', percent: 5 });
    assert.ok(stage.moves.length > 0);
    assert.deepEqual(
      service.stages().map((s) => s.path),
      [kustomization],
    );
    const move = service.planMove(kustomization, { kind: 'blue' });
    assert.ok(move);
    assert.deepEqual(
      move.changes.map((c) => c.path),
      [kustomization],
    );
    assert.equal(path.basename(move.routerFile), 'dj-mesh-router-v1.yaml');
    assert.equal(service.planMove(kustomization, { kind: 'canary', percent: 33 }), undefined);
  });

  test('a canary percentage maps to a stage: 0 tests the new version, 100 is green, anything else outside 0..100 is none', () => {
    const service = serviceOf(materialize('stage-canary-2-v2-5').root);
    assert.deepEqual(service.canaryTarget(0), { kind: 'blue-green' });
    assert.deepEqual(service.canaryTarget(20), { kind: 'canary', percent: 20 });
    assert.deepEqual(service.canaryTarget(100), { kind: 'green' });
    for (const bad of [-1, 101, 2.5, Number.NaN]) assert.equal(service.canaryTarget(bad), undefined, String(bad));
  });

  test('a router file is proposed for a canary split no file has, named after the current one', () => {
    const { root } = materialize('stage-canary-2-v2-5');
    const service = serviceOf(root);
    const proposal = service.canaryRouterProposal(path.join(root, 'kustomization.yaml'), 20);
    assert.ok(proposal);
    assert.equal(path.basename(proposal.path), 'dj-mesh-router-v1-80-v2-20.yaml');
    assert.equal(fs.existsSync(proposal.path), false, 'only proposed, not written');
    assert.match(proposal.text, /weight: 80/);
  });

  test('navigation answers through the service: outline, links, definitions', () => {
    const { root } = materialize('stage-canary-2-v2-5');
    const service = serviceOf(root);
    const kustomization = path.join(root, 'kustomization.yaml');
    const links = service.documentLinks(kustomization);
    assert.ok(links.some((l) => path.basename(l.target) === 'dj-mesh-router-v1-95-v2-5.yaml'));
    const link = links[0];
    const answer = service.definitionAt(kustomization, link.range.start);
    assert.equal(answer?.kind, 'entry');
    assert.equal(answer.kind === 'entry' ? answer.link?.target : undefined, link.target);
    const router = path.join(root, 'dj-mesh-router-v1-95-v2-5.yaml');
    assert.ok(service.outline(router).length > 0);
    assert.deepEqual(service.outline(path.join(root, 'no-such-file.yaml')), []);
    assert.deepEqual(service.weightHints(kustomization, { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } }), []);
    assert.ok(service.weightHints(router, { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } }).length > 0);
  });
});
