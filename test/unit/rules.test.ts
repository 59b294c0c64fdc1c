import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Diagnostic, DiskFileSource, RuleSettings, Validator, Workspace } from '../../server/src/engine';
import { percentagesMeant } from '../../server/src/engine/rules/weightTotalNot100';
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
    assert.match(found[0].message, /add up to 95, not 100, and look like percentages: the effective split is 94\.7 % \/ 5\.3 % \(metal-v1 \/ metal-v2\)/);
  });

  test('weight-total-not-100: which totals read as percentages that miss 100', () => {
    const siblings = (names: string[]) => () => names;
    const reading = (weights: number[], withSiblings = false): string => {
      const evidence = percentagesMeant(weights, siblings(withSiblings ? ['other.yaml'] : []));
      return evidence === undefined ? 'relative' : 'near100' in evidence ? 'near 100' : 'siblings';
    };
    const cases: [number[], string, string][] = [
      // weights, alone, next to router files that total 100
      [[1, 1], 'relative', 'relative'],
      [[8, 1, 1], 'relative', 'relative'],
      [[2, 1, 1], 'relative', 'relative'],
      [[3, 1], 'relative', 'relative'],
      [[10, 10], 'relative', 'relative'],
      [[1, 1, 1], 'relative', 'relative'],
      [[90, 5], 'near 100', 'near 100'],
      [[5, 90], 'near 100', 'near 100'],
      [[60, 30], 'near 100', 'near 100'],
      [[80, 10], 'near 100', 'near 100'],
      // every share within a point of its number: 33.3 % each, 66.7 % / 33.3 %, 49.5 % / 50.5 %
      [[33, 33, 33], 'relative', 'relative'],
      [[66, 33], 'relative', 'relative'],
      [[49, 50], 'relative', 'relative'],
      // equal weights are an even split, however they are read
      [[45, 45], 'relative', 'relative'],
      [[30, 30, 30, 0], 'relative', 'relative'],
      // one target with weight: it gets all the traffic, and the others the 0 written
      [[99, 0], 'relative', 'relative'],
      // between 50 and 90: percentages only when the directory's other router files say so
      [[70, 10], 'relative', 'siblings'],
      [[40, 20], 'relative', 'siblings'],
      [[25, 20], 'relative', 'relative'],
      // 100, 0 and over 100 are other rules' or nobody's business
      [[50, 50], 'relative', 'relative'],
      [[95, 5], 'relative', 'relative'],
      [[0, 0], 'relative', 'relative'],
      [[95, 55], 'relative', 'relative'],
    ];
    const actual = cases.map(([weights]) => [weights, reading(weights), reading(weights, true)]);
    assert.deepEqual(actual, cases);
  });

  test('weight-total-not-100: relative weights (1/1) are reported only when totals must be 100', () => {
    const { root } = materialize('weights-1-1');
    const validator = new Validator(new Workspace(new DiskFileSource(), [root]));
    const found = (settings: RuleSettings) => [...validator.diagnostics(() => settings).values()].flat().filter((d) => d.code === 'weight-total-not-100');
    assert.deepEqual(found({}), []);
    const strict = found({ options: { weightTotalMustBe100: true } });
    assert.deepEqual(
      strict.map((d) => d.severity),
      ['error', 'error'],
    );
    assert.deepEqual(
      strict.map((d) => d.message.match(/split is ([^(]+)/)?.[1].trim()),
      ['50 % / 50 %', '50 % / 50 %'],
    );
    const single = run('stage-canary-1-v1', 'weight-total-not-100', (root) => {
      const router = path.join(root, 'dj-mesh-router-v1.yaml');
      fs.writeFileSync(router, fs.readFileSync(router, 'utf8').replace(/weight: 100/g, 'weight: 1'));
    });
    assert.deepEqual(single.found, []);
  });

  test('weight-total-not-100 follows edits of the sibling router files it relies on', () => {
    const { root } = materialize('weights-sibling-files-total-100');
    const workspace = new Workspace(new DiskFileSource(), [root]);
    const validator = new Validator(workspace);
    const onJazz = (): string[] =>
      (validator.diagnostics().get(path.join(root, 'dj-mesh-router-v1-5-v2-95.yaml')) ?? [])
        .filter((d) => d.code === 'weight-total-not-100')
        .map((d) => d.message);
    assert.equal(onJazz().length, 1);
    assert.match(
      onJazz()[0],
      /add up to 80, not 100, while dj-mesh-router-v1-95-v2-5\.yaml, dj-mesh-router-v1\.yaml and dj-mesh-router-v2\.yaml give jazz-router weights that add up to 100/,
    );
    // A sibling that splits jazz 1/1 takes the evidence away; putting it back brings the warning back.
    const sibling = path.join(root, 'dj-mesh-router-v1-95-v2-5.yaml');
    const text = fs.readFileSync(sibling, 'utf8');
    const jazz = text.indexOf('jazz-router');
    fs.writeFileSync(sibling, text.slice(0, jazz) + text.slice(jazz).replace('weight: 95', 'weight: 1').replace('weight: 5', 'weight: 1'));
    workspace.invalidate(sibling);
    assert.deepEqual(onJazz(), []);
    fs.writeFileSync(sibling, text);
    workspace.invalidate(sibling);
    assert.equal(onJazz().length, 1);
  });

  test('weight-total-over-100 names the total and the limit', () => {
    const { found } = run('weights-95-55', 'weight-total-over-100');
    assert.ok(found.length > 0);
    assert.match(found[0].message, /add up to 150; App Mesh accepts at most 100/);
    assert.deepEqual((found[0].data as { weights: number[] }).weights, [95, 55]);
  });

  test('weights-all-zero, too-many-targets and weight-out-of-range report at the route or the weight', () => {
    assert.match(run('weights-all-zero', 'weights-all-zero').found[0].message, /is 0: it sends traffic to no version/);
    assert.match(run('too-many-targets', 'too-many-targets').found[0].message, /has 11 weighted targets; App Mesh allows at most 10/);
    const outOfRange = run('weight-out-of-range', 'weight-out-of-range').found;
    assert.ok(
      outOfRange.every((d) => /^Weight -?\d+ for \S+ is outside 0\.\.100\.$/.test(d.message)),
      JSON.stringify(outOfRange.map((d) => d.message)),
    );
  });
});

describe('routers-disagree-on-stage', () => {
  test('names the stage the others set, and follows the file name before the majority', () => {
    const majority = run('routers-disagree-majority', 'routers-disagree-on-stage').found;
    assert.deepEqual(
      majority.map((d) => d.message),
      [
        'VirtualRouter search-router sends all its traffic to search-v1, but the other routers of shop-routers-next.yaml, cart-router and catalog-router, set green with rollback (all traffic to v2): a copy-paste slip?',
      ],
    );
    // Named for v1, the file means v1: cart and catalog are the ones that moved.
    const named = run('routers-disagree-majority', 'routers-disagree-on-stage', (root) => {
      fs.renameSync(path.join(root, 'shop-routers-next.yaml'), path.join(root, 'shop-routers-v1-hotfix.yaml'));
      const file = path.join(root, 'kustomization.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('- shop-routers-next.yaml', '- shop-routers-v1-hotfix.yaml'));
    }).found;
    assert.deepEqual(
      named.map((d) => d.message.split(',')[0]),
      ['VirtualRouter cart-router sends all its traffic to cart-v2', 'VirtualRouter catalog-router sends all its traffic to catalog-v2'],
    );
    assert.ok(
      named.every((d) =>
        d.message.endsWith(', but shop-routers-v1-hotfix.yaml is named for v1 and search-router sets blue (all traffic to v1): a copy-paste slip?'),
      ),
      JSON.stringify(named.map((d) => d.message)),
    );
  });

  test('checks the alternative router files too, naming the stage from the traffic', () => {
    const { found } = run('stage-canary-1-v1', 'routers-disagree-on-stage', (root) => {
      const file = path.join(root, 'dj-mesh-router-v2.yaml');
      const text = fs.readFileSync(file, 'utf8');
      const jazz = text.indexOf('jazz-router');
      fs.writeFileSync(file, text.slice(0, jazz) + text.slice(jazz).replace('name: jazz-v2', 'name: jazz-v1'));
    });
    assert.deepEqual(
      found.map((d) => `${base(d)}:${d.range.start.line + 1} ${d.message}`),
      [
        'dj-mesh-router-v2.yaml:39 VirtualRouter jazz-router sends all its traffic to jazz-v1, but dj-mesh-router-v2.yaml is named for v2 and metal-router sets green (all traffic to v2): a copy-paste slip?',
      ],
    );
  });

  test('a canary in one router and all to the old version in another: reported against the name', () => {
    const { found } = run('stage-canary-2-v2-5', 'routers-disagree-on-stage', (root) => {
      const file = path.join(root, 'dj-mesh-router-v1-95-v2-5.yaml');
      const text = fs.readFileSync(file, 'utf8');
      const jazz = text.indexOf('jazz-router');
      fs.writeFileSync(
        file,
        text.slice(0, jazz) +
          text
            .slice(jazz)
            .replace('weight: 95', 'weight: 100')
            .replace(/weight: 5\n/, 'weight: 0\n'),
      );
    });
    assert.deepEqual(
      found.map((d) => d.message),
      [
        'VirtualRouter jazz-router sends all its traffic to jazz-v1, but dj-mesh-router-v1-95-v2-5.yaml is named for v1 and v2 and metal-router sets canary 5 % (traffic split between v1 and v2): a copy-paste slip?',
      ],
    );
    // All to one generation is the only split the fix can write: none is offered here.
    assert.equal((found[0].data as { renames?: unknown }).renames, undefined);
  });
});

describe('cross-file rules', () => {
  test("duplicate-object: each enabled router entry names the other and kustomize's error", () => {
    const { found } = run('two-routers-enabled', 'duplicate-object');
    assert.equal(found.length, 2);
    for (const d of found) {
      assert.match(d.message, /VirtualRouter\/\$\{example_namespace\}\/metal-router/);
      assert.match(d.message, /may not add resource with an already registered id/);
      assert.equal(d.related.length, 1);
      assert.notEqual(d.related[0].range.start.line, d.range.start.line);
    }
  });

  test('no router enabled: said on each commented router entry, and as the reason the versions get no traffic', () => {
    const { found } = run('no-router-enabled', 'virtual-service-provider-not-running');
    const onEntries = found.filter((d) => base(d) === 'kustomization.yaml');
    assert.deepEqual(
      onEntries.map((d) => d.range.start.line + 1),
      [10, 11, 12, 13],
    );
    assert.match(
      onEntries[0].message,
      /^No router file is enabled, so nothing routes the traffic of VirtualServices metal and jazz: dj-mesh-router-v1\.yaml, commented out, defines metal-router and jazz-router, which they need\.$/,
    );
    assert.deepEqual(
      onEntries[0].related.map((r) => `${path.basename(r.path)}:${r.range.start.line + 1}`),
      ['dj-app-mesh-frontend.yaml:76', 'dj-app-mesh-frontend.yaml:87'],
    );
    const versions = run('no-router-enabled', 'version-without-traffic').found;
    assert.deepEqual(versions.map((d) => d.message).sort(), [
      'VirtualNode jazz-v1 is running but gets no traffic: no enabled file defines jazz-router, the router that would send it traffic.',
      'VirtualNode metal-v1 is running but gets no traffic: no enabled file defines metal-router, the router that would send it traffic.',
    ]);
    // Blue/green keeps its note: the router runs and gives v2 weight 0.
    const staged = run('stage-bluegreen-2-blue-green', 'version-without-traffic').found;
    assert.ok(staged.length > 0 && staged.every((d) => /staged for testing, or kept for rollback/.test(d.message)));
  });

  test('no router enabled is not said on the entries when an enabled entry may be the router file (typo, broken)', () => {
    for (const name of ['router-file-name-typo', 'yaml-syntax-router']) {
      const onEntries = run(name, 'virtual-service-provider-not-running').found.filter((d) => base(d) === 'kustomization.yaml');
      assert.deepEqual(onEntries, [], name);
    }
  });

  test('missing-resource suggests the closest existing name', () => {
    const { found } = run('router-file-name-typo', 'missing-resource');
    assert.equal(found.length, 1);
    assert.match(found[0].message, /^dj-mesh-router-v1-95-v2-55\.yaml does not exist\. Did you mean dj-mesh-router-v1-95-v2-5\.yaml\?$/);
    assert.deepEqual((found[0].data as { suggestions: string[] }).suggestions[0], 'dj-mesh-router-v1-95-v2-5.yaml');
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
    assert.ok(
      found.some((d) => /\(weight 0\)/.test(d.message)),
      JSON.stringify(found.map((d) => d.message)),
    );
  });

  test('a target defined nowhere is not reported when a remote resource might define it', () => {
    const { all } = run('router-target-unknown', 'router-target-unknown', (root) => {
      const file = path.join(root, 'kustomization.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('resources:\n', 'resources:\n- https://example.com/mesh/versions.yaml\n'));
    });
    assert.deepEqual(
      all.map((d) => d.code),
      ['remote-resource'],
    );
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
    assert.deepEqual((enumValue.data as { suggestions: string[] }).suggestions[0], 'http');
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
    const messages = run('deprecated-fields', 'deprecated-field')
      .found.map((d) => d.message)
      .sort();
    assert.deepEqual(messages, [
      '`bases` is deprecated: use `resources`.',
      '`commonLabels` is deprecated: use `labels`.',
      '`patchesStrategicMerge` is deprecated: use `patches`.',
    ]);
  });

  test('load-restrictor quotes kustomize and mentions Flux', () => {
    const { found } = run('load-restrictor', 'load-restrictor');
    assert.ok(found.length > 0);
    assert.match(found[0].message, /is not in or below/);
    assert.match(found[0].message, /Flux's build allows it inside the repository/);
  });
});
