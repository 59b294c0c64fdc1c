import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Diagnostic, DiskFileSource, LineIndex, RuleSettings, Validator, Workspace } from '../../server/src/engine';
import { requiresTotal100 } from '../../server/src/engine/dialects/istio/rules/weightTotalNot100';
import { applyEdits } from '../../server/src/engine/edits';
import { CodeFix } from '../../server/src/engine/fixes';
import { materialize } from '../support/cases';

/** The case after `edit`, checked with `settings`: its diagnostics and the validator, for fixes. */
function check(caseName: string, edit?: (root: string) => void, settings: RuleSettings = {}): { root: string; validator: Validator; all: Diagnostic[] } {
  const { root } = materialize(caseName);
  edit?.(root);
  const validator = new Validator(new Workspace(new DiskFileSource(), [root]));
  return { root, validator, all: [...validator.diagnostics(() => settings).values()].flat() };
}

const where = (root: string, d: Diagnostic): string => `${path.relative(root, d.path)}:${d.range.start.line + 1} ${d.code}`;

function write(root: string, file: string, text: string): void {
  fs.writeFileSync(path.join(root, file), text);
}

function replaceIn(root: string, file: string, from: string | RegExp, to: string): void {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const changed = text.replace(from, to);
  assert.notEqual(changed, text, `${file} contains ${String(from)}`);
  write(root, file, changed);
}

/** Namespaces as the files write them: without the kustomization's `namespace:`, which would override them all. */
function ownNamespaces(root: string): void {
  replaceIn(root, 'kustomization.yaml', 'namespace: bookinfo\n', '');
}

function apply(fix: CodeFix): void {
  for (const change of fix.changes) {
    const text = fs.readFileSync(change.path, 'utf8');
    const lines = new LineIndex(text);
    fs.writeFileSync(
      change.path,
      applyEdits(text, change.edits, (p) => lines.offsetAt(p)),
    );
  }
}

/** A VirtualService for reviews with one http rule of the given destinations (subset and weight, undefined: none). */
function virtualService(destinations: [string, number | undefined][], namespace?: string): string {
  const route = destinations
    .map(
      ([subset, weight]) =>
        `        - destination:\n            host: reviews\n            subset: ${subset}\n${weight === undefined ? '' : `          weight: ${weight}\n`}`,
    )
    .join('');
  return `apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  hosts:\n    - reviews\n  http:\n    - name: reviews\n      route:\n${route}`;
}

describe('istio-weight-total-not-100 and meshKustomize.istio.version', () => {
  test('versions below 1.15 want totals of 100; unset, 1.15 and later do not', () => {
    const cases: [unknown, boolean][] = [
      [undefined, false],
      ['', false],
      ['1.14', true],
      ['1.14.6', true],
      ['1.9', true],
      ['0.8', true],
      ['1.15', false],
      ['1.15.0', false],
      ['1.27.1', false],
      ['2.0', false],
      ['latest', false],
      [114, false],
    ];
    assert.deepEqual(
      cases.map(([version]) => [version, requiresTotal100({ 'istio.version': version })]),
      cases,
    );
  });

  test("the case is an error under 1.14, with the webhook's words and the relative split, and nothing by default", () => {
    const codes = (settings: RuleSettings): Diagnostic[] =>
      check('istio-weight-total-not-100', undefined, settings).all.filter((d) => d.code === 'istio-weight-total-not-100');
    assert.deepEqual(codes({}), []);
    assert.deepEqual(codes({ options: { 'istio.version': '1.15' } }), []);
    const old = codes({ options: { 'istio.version': '1.14' } });
    assert.equal(old.length, 1);
    assert.equal(old[0].severity, 'error');
    assert.match(
      old[0].message,
      /^Istio before 1\.15 refuses this VirtualService: the weights of http rule reviews add up to 5, and its webhook answers "total destination weight 5 != 100" \(since 1\.15 they are relative: 80 % \/ 20 % for reviews subset v1 \/ reviews subset v2\)\.$/,
    );
  });

  test('a total of 100, one destination, a placeholder weight or an omitted one', () => {
    const found = (destinations: [string, number | undefined][]): number =>
      check('istio-weight-total-not-100', (root) => write(root, 'virtual-service-reviews-80-20.yaml', virtualService(destinations)), {
        options: { 'istio.version': '1.14' },
      }).all.filter((d) => d.code === 'istio-weight-total-not-100').length;
    assert.equal(
      found([
        ['v1', 80],
        ['v2', 20],
      ]),
      0,
    );
    assert.equal(found([['v1', 30]]), 0);
    // An omitted weight is 0: 80 + 0 misses 100 (and the fix cannot scale a weight that is not written).
    assert.equal(
      found([
        ['v1', 80],
        ['v2', undefined],
      ]),
      1,
    );
    assert.equal(
      found([
        ['v1', 40],
        ['v2', 40],
        ['v3', 40],
      ]),
      1,
    );
  });
});

describe('sole-destination-weight fixes', () => {
  test('removing the weight keeps the comment above it and every other line; `- weight:` can only be set to 100', () => {
    const { root, validator, all } = check('istio-sole-destination-weight');
    const found = all.filter((d) => d.code === 'sole-destination-weight');
    assert.deepEqual(
      found.map((d) => where(root, d)),
      ['virtual-service-reviews-all-v1.yaml:15 sole-destination-weight', 'virtual-service-reviews-all-v1.yaml:18 sole-destination-weight'],
    );
    const [http, tcp] = found.map((d) => validator.fixes(d));
    assert.deepEqual(
      http.map((f) => `${f.title}${f.isPreferred ? ' (preferred)' : ''}`),
      ['Remove the weight (the only destination gets all traffic) (preferred)', 'Set the weight to 100'],
    );
    assert.deepEqual(
      tcp.map((f) => `${f.title}${f.isPreferred ? ' (preferred)' : ''}`),
      ['Set the weight to 100 (preferred)'],
    );
    const file = path.join(root, 'virtual-service-reviews-all-v1.yaml');
    const before = fs.readFileSync(file, 'utf8');
    apply(http[0]);
    assert.equal(fs.readFileSync(file, 'utf8'), before.replace('          weight: 80\n', ''));
    fs.writeFileSync(file, before);
    apply(tcp[0]);
    assert.equal(fs.readFileSync(file, 'utf8'), before.replace('- weight: 50', '- weight: 100'));
    apply(http[0]);
    const after = [...new Validator(new Workspace(new DiskFileSource(), [root])).diagnostics().values()].flat();
    assert.deepEqual(
      after.filter((d) => d.code === 'sole-destination-weight'),
      [],
    );
  });
});

describe('duplicate-destination', () => {
  test("the merge puts the sum on the first entry and removes the second entry's lines", () => {
    const { root, validator, all } = check('istio-duplicate-destination');
    const [found] = all.filter((d) => d.code === 'duplicate-destination');
    const [merge] = validator.fixes(found);
    assert.equal(merge.title, 'Merge into the first entry (weight 80)');
    const file = path.join(root, 'virtual-service-reviews-80-20.yaml');
    const before = fs.readFileSync(file, 'utf8');
    apply(merge);
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      before
        .replace('weight: 70', 'weight: 80')
        .replace('        - destination:\n            host: reviews\n            subset: v1\n          weight: 10\n', ''),
    );
  });

  test('another port or subset is another destination; a qualified host in the written namespace is the same', () => {
    const codes = (text: string): string[] =>
      check('istio-duplicate-destination', (root) => write(root, 'virtual-service-reviews-80-20.yaml', text))
        .all.filter((d) => d.code === 'duplicate-destination')
        .map((d) => d.message);
    assert.deepEqual(
      codes(
        virtualService([
          ['v1', 50],
          ['v2', 50],
        ]),
      ),
      [],
    );
    const qualified = virtualService(
      [
        ['v1', 50],
        ['v1', 50],
      ],
      'bookinfo',
    ).replace(/host: reviews\n(\s+subset: v1\n\s+weight: 50\n)$/, 'host: reviews.bookinfo.svc.cluster.local\n$1');
    assert.match(qualified, /reviews\.bookinfo\.svc\.cluster\.local/);
    assert.equal(codes(qualified).length, 1);
    const ported = virtualService([
      ['v1', 50],
      ['v1', 50],
    ]).replace(/(subset: v1\n\s+weight: 50\n)$/, 'subset: v1\n            port:\n              number: 9081\n          weight: 50\n');
    assert.deepEqual(codes(ported), []);
  });
});

describe('subset-not-defined', () => {
  test('an unlisted DestinationRule file that defines the subset is listed by the fix, in place of the enabled one, and the error is gone', () => {
    const { root, validator, all } = check('istio-subset-not-defined', (root) =>
      replaceIn(root, 'kustomization.yaml', '#- destination-rule-reviews-v3.yaml\n', ''),
    );
    const onSubset = all.find((d) => d.code === 'subset-not-defined' && d.path.endsWith('50-50.yaml'));
    assert.ok(onSubset, JSON.stringify(all.map((d) => where(root, d))));
    assert.match(onSubset.message, /^50 % of reviews's traffic gets HTTP 503\. VirtualService reviews routes to subset v3 of reviews/);
    const fixes = validator.fixes(onSubset);
    const enable = fixes.find(
      (f) => f.title === 'Enable destination-rule-reviews-v3.yaml instead of destination-rule-reviews.yaml (it defines subset v3 of reviews)',
    );
    assert.ok(enable, JSON.stringify(fixes.map((f) => f.title)));
    apply(enable);
    const kustomization = fs.readFileSync(path.join(root, 'kustomization.yaml'), 'utf8');
    assert.match(kustomization, /^#- destination-rule-reviews\.yaml$/m);
    assert.match(kustomization, /^- destination-rule-reviews-v3\.yaml$/m);
    const after = [...new Validator(new Workspace(new DiskFileSource(), [root])).diagnostics().values()].flat();
    assert.deepEqual(
      after.map((d) => where(root, d)),
      [],
    );
  });

  test('a DestinationRule of another namespace does not define the subset; weight 0 loses nothing and is not reported', () => {
    const found = (edit: (root: string) => void): string[] =>
      check('istio-subset-not-defined', edit)
        .all.filter((d) => d.code === 'subset-not-defined')
        .map((d) => path.basename(d.path))
        .sort();
    // The full rule enabled, but in namespace test: reviews in bookinfo has no rule at all, for v1 and v3.
    const ruleInTest = (root: string): void => {
      ownNamespaces(root);
      replaceIn(root, 'virtual-service-reviews-50-50.yaml', '  name: reviews\n', '  name: reviews\n  namespace: bookinfo\n');
      replaceIn(root, 'kustomization.yaml', '#- destination-rule-reviews-v3.yaml', '- destination-rule-reviews-v3.yaml');
      replaceIn(root, 'kustomization.yaml', '- destination-rule-reviews.yaml\n', '');
      replaceIn(root, 'destination-rule-reviews-v3.yaml', '  name: reviews\n', '  name: reviews\n  namespace: test\n');
    };
    assert.deepEqual(found(ruleInTest), ['kustomization.yaml', 'virtual-service-reviews-50-50.yaml', 'virtual-service-reviews-50-50.yaml']);
    // A host qualified with namespace bookinfo is found from namespace test.
    assert.deepEqual(
      found((root) => {
        ruleInTest(root);
        replaceIn(root, 'destination-rule-reviews-v3.yaml', 'host: reviews', 'host: reviews.bookinfo.svc.cluster.local');
      }),
      [],
    );
    assert.deepEqual(
      found((root) =>
        write(
          root,
          'virtual-service-reviews-50-50.yaml',
          virtualService([
            ['v1', 100],
            ['v3', 0],
          ]),
        ),
      ),
      [],
    );
  });
  test("a destination whose host Service does not run is router-target-not-running's alone", () => {
    const { all } = check('istio-subset-not-defined', (root) => replaceIn(root, 'kustomization.yaml', '- reviews-service.yaml', '#- reviews-service.yaml'));
    const codes = [...new Set(all.map((d) => d.code))].sort();
    assert.ok(codes.includes('router-target-not-running'), JSON.stringify(codes));
    assert.ok(!codes.includes('subset-not-defined'), JSON.stringify(codes));
  });
});

describe('subset-without-workloads', () => {
  test('routed: error at the subset and the destination; the same subset with weight 0 is only the idle note', () => {
    const codes = (edit?: (root: string) => void): string[] => {
      const { root, all } = check('istio-subset-without-workloads', edit);
      return all.map((d) => `${where(root, d)} ${d.severity}`).sort();
    };
    assert.deepEqual(codes(), [
      'destination-rule-reviews.yaml:14 subset-without-workloads error',
      'virtual-service-reviews-50-50.yaml:17 subset-without-workloads error',
    ]);
    assert.deepEqual(
      codes((root) =>
        write(
          root,
          'virtual-service-reviews-50-50.yaml',
          virtualService([
            ['v1', 100],
            ['v3', 0],
          ]),
        ),
      ),
      ['destination-rule-reviews.yaml:14 idle-subset-without-workloads information'],
    );
  });

  test("a workload of another namespace or without the Service's labels runs no pods of the subset; a Service without selector is left alone", () => {
    const codes = (edit: (root: string) => void): string[] =>
      check('istio-subset-without-workloads', (root) => {
        replaceIn(root, 'kustomization.yaml', '#- reviews-v3.yaml', '- reviews-v3.yaml');
        edit(root);
      })
        .all.map((d) => d.code)
        .sort();
    assert.deepEqual(
      codes(() => undefined),
      [],
    );
    assert.deepEqual(
      codes((root) => {
        ownNamespaces(root);
        replaceIn(root, 'reviews-service.yaml', '  name: reviews\n', '  name: reviews\n  namespace: bookinfo\n');
        replaceIn(root, 'reviews-v3.yaml', '  name: reviews-v3\n', '  name: reviews-v3\n  namespace: test\n');
      }),
      ['subset-without-workloads', 'subset-without-workloads'],
    );
    // The pods carry version: v3 but not the Service's app: reviews.
    assert.deepEqual(
      codes((root) =>
        replaceIn(
          root,
          'reviews-v3.yaml',
          /template:\n(\s+)metadata:\n(\s+)labels:\n\s+app: reviews\n/,
          'template:\n$1metadata:\n$2labels:\n$2  app: ratings\n',
        ),
      ),
      ['subset-without-workloads', 'subset-without-workloads'],
    );
    assert.deepEqual(
      codes((root) => {
        replaceIn(root, 'kustomization.yaml', '- reviews-v3.yaml', '#- reviews-v3.yaml');
        replaceIn(root, 'reviews-service.yaml', / {2}selector:\n {4}app: reviews\n/, '');
      }),
      [],
    );
  });
});
