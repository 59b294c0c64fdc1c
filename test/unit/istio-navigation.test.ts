// Navigation over Istio subsets (issue 14) on a copy of examples/reviews-istio on disk: definition,
// references, rename, hover and completion follow a subset within its host's Service.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DiskFileSource, LineIndex, Validator, Workspace } from '../../server/src/engine';
import {
  completionsAt,
  definitionsOf,
  hoverAt,
  meshSymbolAt,
  navigationModel,
  NavigationModel,
  referencesOf,
  rename,
} from '../../server/src/engine/navigation';
import { copyTree, REPO } from '../support/cases';

const EXAMPLE = path.join(REPO, 'examples', 'reviews-istio');

/** Another Service with its own subset v1 and v2: a subset is named within its host, so these never mix with reviews'. */
const RATINGS = `apiVersion: v1
kind: Service
metadata:
  name: ratings
spec:
  selector:
    app: ratings
  ports:
    - port: 9080
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ratings
spec:
  host: ratings
  subsets:
    - name: v1
      labels:
        version: v1
    - name: v2
      labels:
        version: v2
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ratings
spec:
  hosts:
    - ratings
  http:
    - route:
        - destination:
            host: ratings
            subset: v2
`;

/** A DestinationRule for reviews that no kustomization lists, naming its host by FQDN, and a VirtualService that does too. */
const SPARE_RULE = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews-spare
spec:
  host: reviews.bookinfo.svc.cluster.local
  subsets:
    - name: "v2" # quoted: a rename keeps the quotes
      labels:
        version: v2
        track: canary
`;

const FQDN_ROUTE = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews-fqdn
spec:
  hosts:
    - reviews.bookinfo.svc.cluster.local
  http:
    - route:
        - destination:
            host: reviews.bookinfo.svc.cluster.local
            subset: v2
`;

function tree(extra: Record<string, string> = {}): { root: string; model: () => NavigationModel; file: (name: string) => string } {
  const root = copyTree(EXAMPLE);
  for (const [name, text] of Object.entries(extra)) fs.writeFileSync(path.join(root, name), text);
  const workspace = new Workspace(new DiskFileSource(), [root]);
  const validator = new Validator(workspace);
  return { root, model: () => navigationModel(workspace, () => validator.builds()), file: (name) => path.join(root, name) };
}

/** The 0-based position of the `occurrence`-th `text` in a file, `offset` characters into it. */
function positionOf(filePath: string, text: string, occurrence = 1, offset = 1): { line: number; character: number } {
  const content = fs.readFileSync(filePath, 'utf8');
  let at = -1;
  for (let i = 0; i < occurrence; i++) at = content.indexOf(text, at + 1);
  assert.ok(at >= 0, `${text} in ${path.basename(filePath)}`);
  return new LineIndex(content).positionAt(at + offset);
}

const places = (root: string, locations: { path: string; range: { start: { line: number; character: number }; end: { character: number } } }[]) =>
  locations.map((l) => [path.relative(root, l.path), l.range.start.line, l.range.start.character, l.range.end.character]);

describe('Istio navigation: subsets within their host', () => {
  test('a destination subset goes to the subset entries of the DestinationRules for its host, the running one first', () => {
    const { root, model, file } = tree({ 'ratings.yaml': RATINGS, 'destination-rule-reviews-spare.yaml': SPARE_RULE });
    const current = model();
    const symbol = meshSymbolAt(
      current,
      file('virtual-service-reviews-80-20.yaml'),
      positionOf(file('virtual-service-reviews-80-20.yaml'), 'subset: v2', 1, 9),
    );
    assert.equal(symbol?.kind, 'subset');
    assert.deepEqual(symbol?.scope, { kind: 'Service', name: 'reviews', namespace: undefined });
    const definitions = definitionsOf(current, symbol!);
    assert.deepEqual(places(root, definitions), [
      ['destination-rule-reviews.yaml', 10, 12, 14],
      ['destination-rule-reviews-spare.yaml', 7, 12, 16],
    ]);
    assert.deepEqual(
      definitions.map((d) => [d.scoped?.entryRange?.start.line, d.scoped?.entryRange?.end.line]),
      [
        [10, 12],
        [7, 10],
      ],
      'the link target is the whole subset entry',
    );
    const ratings = meshSymbolAt(current, file('ratings.yaml'), positionOf(file('ratings.yaml'), 'subset: v2', 1, 9))!;
    assert.deepEqual(places(root, definitionsOf(current, ratings)), [['ratings.yaml', 20, 12, 14]], "ratings' v2 is its own");
  });

  test('references of a subset, from its definition or a destination, are every destination naming host and subset', () => {
    const { root, model, file } = tree({ 'ratings.yaml': RATINGS, 'virtual-service-reviews-fqdn.yaml': FQDN_ROUTE });
    const current = model();
    const rule = file('destination-rule-reviews.yaml');
    const v1 = meshSymbolAt(current, rule, positionOf(rule, 'name: v1', 1, 7))!;
    assert.deepEqual(places(root, referencesOf(current, v1, false)), [
      ['virtual-service-reviews-50-50.yaml', 12, 20, 22],
      ['virtual-service-reviews-80-20.yaml', 12, 20, 22],
      ['virtual-service-reviews-all-v1.yaml', 12, 20, 22],
    ]);
    const route = file('virtual-service-reviews-80-20.yaml');
    const v2 = meshSymbolAt(current, route, positionOf(route, 'subset: v2', 1, 8))!;
    assert.deepEqual(places(root, referencesOf(current, v2, true)), [
      ['destination-rule-reviews.yaml', 10, 12, 14],
      ['virtual-service-reviews-80-20.yaml', 16, 20, 22],
      ['virtual-service-reviews-fqdn.yaml', 11, 20, 22],
    ]);
  });

  test('renaming a subset renames its DestinationRule entries and the destinations of that host only, keeping the rest of each line', () => {
    const { root, model, file } = tree({ 'ratings.yaml': RATINGS, 'destination-rule-reviews-spare.yaml': SPARE_RULE });
    const rule = file('destination-rule-reviews.yaml');
    const result = rename(model(), rule, positionOf(rule, 'name: v2', 1, 7), 'v2-canary');
    assert.ok(result && 'changes' in result, JSON.stringify(result));
    assert.deepEqual(
      result.changes.map((c) => [
        path.relative(root, c.path),
        c.edits.map((e) => [e.range.start.line, e.range.start.character, e.range.end.character, e.newText]),
      ]),
      [
        ['destination-rule-reviews-spare.yaml', [[7, 13, 15, 'v2-canary']]],
        ['destination-rule-reviews.yaml', [[10, 12, 14, 'v2-canary']]],
        ['virtual-service-reviews-80-20.yaml', [[16, 20, 22, 'v2-canary']]],
      ],
    );
    const route = file('virtual-service-reviews-80-20.yaml');
    assert.deepEqual(rename(model(), route, positionOf(route, 'subset: v2', 1, 8), 'v3'), {
      refused: 'A subset named v3 already exists for Service reviews (destination-rule-reviews.yaml).',
    });
    const invalid = rename(model(), route, positionOf(route, 'subset: v2', 1, 8), 'v2.canary');
    assert.ok(invalid && 'refused' in invalid && /not a valid subset name/.test(invalid.refused), JSON.stringify(invalid));
    const ratings = rename(model(), rule, positionOf(rule, 'name: v2', 1, 7), 'v1');
    assert.ok(ratings && 'refused' in ratings, "reviews' own v1 is taken");
    const free = rename(model(), file('ratings.yaml'), positionOf(file('ratings.yaml'), 'name: v2', 1, 7), 'v3');
    assert.ok(free && 'changes' in free, 'ratings has no v3, whatever reviews has: that name is free there');
    assert.deepEqual(
      free.changes.map((c) => [path.relative(root, c.path), c.edits.map((e) => e.range.start.line)]),
      [['ratings.yaml', [20, 35]]],
    );
  });

  test('hover on a subset: its labels, where it is defined, and the workloads it takes, running or not', () => {
    const { model, file } = tree();
    const route = file('virtual-service-reviews-50-50.yaml');
    const hover = hoverAt(model(), route, positionOf(route, 'subset: v3', 1, 9));
    assert.deepEqual(hover?.paragraphs, [
      'subset `v3` of Service `reviews`: defined by DestinationRule `reviews`, running in `kustomization.yaml`.',
      'Labels: `version=v3`',
      'Takes the pods (`app=reviews, version=v3`) of:\n- Deployment `reviews-v3`: not running: `reviews-v3.yaml` is commented out in `kustomization.yaml`',
      'Defined in `destination-rule-reviews.yaml`.',
    ]);
    const rule = file('destination-rule-reviews.yaml');
    const onDefinition = hoverAt(model(), rule, positionOf(rule, 'name: v1', 1, 7))?.paragraphs;
    assert.equal(onDefinition?.[2], 'Takes the pods (`app=reviews, version=v1`) of:\n- Deployment `reviews-v1`: running in `kustomization.yaml`');
    assert.equal(onDefinition?.[4], '3 references in 3 files.');
  });

  test('hover says when no workload has the pods a subset takes, and when no file defines it', () => {
    const { model, file } = tree({ 'virtual-service-reviews-fqdn.yaml': FQDN_ROUTE.replace('subset: v2', 'subset: v9') });
    fs.writeFileSync(file('reviews-v2.yaml'), fs.readFileSync(file('reviews-v2.yaml'), 'utf8').replace(/version: v2/g, 'version: two'));
    const route = file('virtual-service-reviews-80-20.yaml');
    assert.equal(
      hoverAt(model(), route, positionOf(route, 'subset: v2', 1, 9))?.paragraphs[2],
      'No workload of the workspace runs pods with `app=reviews, version=v2`.',
    );
    const missing = file('virtual-service-reviews-fqdn.yaml');
    assert.deepEqual(hoverAt(model(), missing, positionOf(missing, 'subset: v9', 1, 9))?.paragraphs, [
      'subset `v9` of Service `reviews`: no file of the workspace defines it.',
    ]);
  });

  test("completion of a destination's subset offers its host's subsets; of its host, the Services", () => {
    const typed = (host: string) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: typed
spec:
  hosts:
    - ${host}
  http:
    - route:
        - destination:
            host: ${host}
            subset: 
`;
    const { model, file } = tree({
      'ratings.yaml': RATINGS,
      'typed.yaml': typed('reviews'),
      'typed-ratings.yaml': typed('ratings.bookinfo.svc.cluster.local'),
    });
    const subsets = completionsAt(model(), file('typed.yaml'), { line: 11, character: 20 });
    assert.deepEqual(
      subsets.map((c) => [c.label, c.detail, c.documentation]),
      [
        ['v1', 'subset of Service reviews · running', 'Defined in `destination-rule-reviews.yaml` (`version=v1`).'],
        ['v2', 'subset of Service reviews · running', 'Defined in `destination-rule-reviews.yaml` (`version=v2`).'],
        ['v3', 'subset of Service reviews · running', 'Defined in `destination-rule-reviews.yaml` (`version=v3`).'],
      ],
    );
    assert.deepEqual(
      completionsAt(model(), file('typed-ratings.yaml'), { line: 11, character: 20 }).map((c) => [c.label, c.detail]),
      [
        ['v1', 'subset of Service ratings · not running'],
        ['v2', 'subset of Service ratings · not running'],
      ],
    );
    const hosts = completionsAt(model(), file('typed.yaml'), { line: 10, character: 20 });
    assert.deepEqual(
      hosts.map((c) => [c.label, c.detail]),
      [
        ['productpage', 'Service · running'],
        ['ratings', 'Service · not running'],
        ['reviews', 'Service · running'],
      ],
    );
  });

  test('subsets written wrong are no names: nothing throws and nothing is offered for them', () => {
    const broken = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: broken
spec:
  host: {name: reviews}
  subsets:
    - name: v1
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: odd
spec:
  host: reviews
  subsets:
    - name:
    - just text
    - name: [v9]
    - labels: 3
      name: v8
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: odd
spec:
  http:
    - route:
        - destination:
            subset: v1
        - destination:
            host: reviews
            subset: {name: v1}
        - destination: 12
`;
    const { root, model, file } = tree({ 'broken.yaml': broken });
    const current = model();
    const names = current.definitions.filter((d) => d.path === file('broken.yaml')).map((d) => [d.kind, d.name]);
    assert.deepEqual(names, [
      ['DestinationRule', 'broken'],
      ['DestinationRule', 'odd'],
      ['subset', 'v8'],
      ['VirtualService', 'odd'],
    ]);
    assert.deepEqual(
      current.references.filter((r) => r.path === file('broken.yaml') && r.kind === 'subset'),
      [],
      'a subset without a host, or not a name, refers to nothing',
    );
    const rule = file('destination-rule-reviews.yaml');
    const v1 = meshSymbolAt(current, rule, positionOf(rule, 'name: v1', 1, 7))!;
    assert.ok(!places(root, referencesOf(current, v1, false)).some(([name]) => name === 'broken.yaml'));
    for (let line = 0; line < 36; line++) {
      hoverAt(current, file('broken.yaml'), { line, character: 14 });
      completionsAt(current, file('broken.yaml'), { line, character: 20 });
    }
  });
});
