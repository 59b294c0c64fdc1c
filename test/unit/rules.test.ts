import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Diagnostic, DiskFileSource, Validator, Workspace } from '../../server/src/engine';
import { materialize } from '../support/cases';

/** The diagnostics of one rule on a fixture case (after any edits), with the case root to name files. */
function run(caseName: string, code: string, edit?: (root: string) => void): { root: string; found: Diagnostic[]; all: Diagnostic[] } {
  const { root } = materialize(caseName);
  edit?.(root);
  const all = [...new Validator(new Workspace(new DiskFileSource(), [root])).diagnostics().values()].flat();
  return { root, found: all.filter((d) => d.code === code), all };
}

const base = (d: Diagnostic): string => path.basename(d.path);

describe('weight rules', () => {
  test('weight-total-not-100 states the effective split: 90/5 is 94.7 % / 5.3 %', () => {
    const { found } = run('weights-90-5', 'weight-total-not-100');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /add up to 95, not 100: the effective split is 94\.7 % \/ 5\.3 % \(metal-v1 \/ metal-v2\)/);
  });

  test('weight-total-not-100 on 1/1 says 50 % / 50 %; a single target with weight 1 is fine', () => {
    const { found } = run('weights-1-1', 'weight-total-not-100');
    assert.deepEqual(
      found.map((d) => d.message.match(/split is ([^(]+)/)?.[1].trim()),
      ['50 % / 50 %', '50 % / 50 %'],
    );
    const single = run('stage-canary-1-v1', 'weight-total-not-100', (root) => {
      const router = path.join(root, 'dj-mesh-router-v1.yaml');
      fs.writeFileSync(router, fs.readFileSync(router, 'utf8').replace(/weight: 100/g, 'weight: 1'));
    });
    assert.deepEqual(single.found, []);
  });

  test('weight-total-over-100 names the total and the limit', () => {
    const { found } = run('weights-95-55', 'weight-total-over-100');
    assert.ok(found.length > 0);
    assert.match(found[0].message, /add up to 150; App Mesh accepts at most 100/);
    assert.deepEqual(found[0].data?.weights, [95, 55]);
  });

  test('weights-all-zero, too-many-targets and weight-out-of-range report at the route or the weight', () => {
    assert.match(run('weights-all-zero', 'weights-all-zero').found[0].message, /is 0: it sends traffic to no version/);
    assert.match(run('too-many-targets', 'too-many-targets').found[0].message, /has 11 weighted targets; App Mesh allows at most 10/);
    const outOfRange = run('weight-out-of-range', 'weight-out-of-range').found;
    assert.ok(outOfRange.every((d) => /^Weight -?\d+ for \S+ is outside 0\.\.100\.$/.test(d.message)), JSON.stringify(outOfRange.map((d) => d.message)));
  });
});

describe('cross-file rules', () => {
  test('duplicate-object: each enabled router entry names the other and kustomize\'s error', () => {
    const { found } = run('two-routers-enabled', 'duplicate-object');
    assert.equal(found.length, 2);
    for (const d of found) {
      assert.match(d.message, /VirtualRouter\/\$\{example_namespace\}\/metal-router/);
      assert.match(d.message, /may not add resource with an already registered id/);
      assert.equal(d.related.length, 1);
      assert.notEqual(d.related[0].range.start.line, d.range.start.line);
    }
  });

  test('missing-resource suggests the closest existing name', () => {
    const { found } = run('router-file-name-typo', 'missing-resource');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /^dj-mesh-router-v1-95-v2-55\.yaml does not exist\. Did you mean dj-mesh-router-v1-95-v2-5\.yaml\?$/);
    assert.deepEqual((found[0].data?.suggestions as string[])[0], 'dj-mesh-router-v1-95-v2-5.yaml');
  });

  test('router-target-unknown has its own message; the entry line still names the node', () => {
    const unknown = run('router-target-unknown', 'router-target-unknown').found;
    assert.equal(unknown.length, 1);
    assert.match(unknown[0].message, /metal-v3, which no file of the workspace defines/);
    const entry = run('router-target-unknown', 'router-target-not-running').found;
    assert.equal(entry.length, 1);
    assert.equal(base(entry[0]), 'kustomization.yaml');
    assert.match(entry[0].message, /not running: metal-v3\.$/);
  });

  test('a weight-0 target counts: the controller resolves every target', () => {
    const { found } = run('zero-weight-target-not-running', 'router-target-not-running');
    assert.ok(found.some((d) => /\(weight 0\)/.test(d.message)), JSON.stringify(found.map((d) => d.message)));
  });

  test('a target defined nowhere is not reported when a remote resource might define it', () => {
    const { all } = run('router-target-unknown', 'router-target-unknown', (root) => {
      const file = path.join(root, 'kustomization.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('resources:\n', 'resources:\n- https://example.com/mesh/versions.yaml\n'));
    });
    assert.deepEqual(all.map((d) => d.code), ['remote-resource']);
  });

  test('version-without-traffic keeps apps apart by namespace when a parent builds several', () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'mk-parent-'));
    for (const [dir, stage, namespace] of [
      ['staged', 'stage-bluegreen-2-blue-green', 'team-a'],
      ['canary', 'stage-canary-2-v2-5', 'team-b'],
    ]) {
      const { root } = materialize(stage);
      fs.cpSync(root, path.join(parent, dir), { recursive: true });
      const file = path.join(parent, dir, 'kustomization.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('namespace: ${example_namespace}', `namespace: ${namespace}`));
    }
    fs.writeFileSync(path.join(parent, 'kustomization.yaml'), 'resources:\n- staged\n- canary\n');
    const found = [...new Validator(new Workspace(new DiskFileSource(), [parent])).diagnostics().values()]
      .flat()
      .filter((d) => d.code === 'version-without-traffic')
      .map((d) => path.relative(parent, d.path))
      .sort();
    assert.deepEqual(found, ['staged/dj-app-mesh-jazz-v2.yaml', 'staged/dj-app-mesh-metal-v2.yaml']);
  });

  test('version-without-traffic marks the staged versions of the blue/green stage only', () => {
    const { found } = run('stage-bluegreen-2-blue-green', 'version-without-traffic');
    assert.deepEqual(found.map(base).sort(), ['dj-app-mesh-jazz-v2.yaml', 'dj-app-mesh-metal-v2.yaml']);
    assert.match(found[0].message, /staged for testing/);
  });
});

describe('schema rule', () => {
  test('an unknown key is reported at the key, with the closest known key', () => {
    const { found } = run('schema-typos-mesh', 'schema');
    const typo = found.find((d) => /weightedTarget`/.test(d.message));
    assert.ok(typo, JSON.stringify(found.map((d) => d.message)));
    assert.match(typo.message, /did you mean `weightedTargets`\?/);
    const enumValue = found.find((d) => /`htp`/.test(d.message));
    assert.ok(enumValue);
    assert.match(enumValue.message, /expected one of: http, http2, grpc, tcp/);
    assert.deepEqual((enumValue.data?.suggestions as string[])[0], 'http');
  });

  test('a typo in a kustomization key is reported at the key line', () => {
    const { found } = run('schema-typo-kustomization', 'schema');
    assert.equal(found.length, 1);
    assert.equal(found[0].range.start.line, 3);
    assert.match(found[0].message, /Unknown key `resouces`; did you mean `resources`\?/);
  });

  test('${var} placeholders are never errors by themselves', () => {
    const { found } = run('stage-canary-2-v2-5', 'schema', (root) => {
      const router = path.join(root, 'dj-mesh-router-v1-95-v2-5.yaml');
      fs.writeFileSync(router, fs.readFileSync(router, 'utf8').replace('port: 9080', 'port: ${router_port}').replace('protocol: http', 'protocol: ${proto}'));
    });
    assert.deepEqual(found, []);
  });
});

describe('kustomization rules', () => {
  test('deprecated-field names the replacement', () => {
    const messages = run('deprecated-fields', 'deprecated-field').found.map((d) => d.message).sort();
    assert.deepEqual(messages, ['`bases` is deprecated: use `resources`.', '`commonLabels` is deprecated: use `labels`.', '`patchesStrategicMerge` is deprecated: use `patches`.']);
  });

  test('load-restrictor quotes kustomize and mentions Flux', () => {
    const { found } = run('load-restrictor', 'load-restrictor');
    assert.ok(found.length > 0);
    assert.match(found[0].message, /is not in or below/);
    assert.match(found[0].message, /Flux's build allows it inside the repository/);
  });
});
