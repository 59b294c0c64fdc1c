import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Document, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { allRules, Workspace } from '../../server/src/engine';
import { parseDuration } from '../../server/src/engine/dialects/gatewayapi/rules/validation/duration';
import { pathValueProblems, repairedPath } from '../../server/src/engine/dialects/gatewayapi/rules/validation/pathMatchValue';
import { isIPv4 } from '../../server/src/engine/dialects/gatewayapi/rules/validation/tlsRouteHostname';
import { applyEdits } from '../../server/src/engine/edits';
import { FileRule, Finding } from '../../server/src/engine/rules/rule';
import { WorkspaceFile } from '../../server/src/engine/workspaceFile';
import { CASES, REPO } from '../support/cases';

const EXAMPLES = path.join(REPO, 'test', 'fixtures', 'gateway-api-examples');
/** The rules of rules/validation, taken from the engine's list (importing their folder first would cycle). */
const CODES = [
  'route-limits',
  'path-match-value',
  'filter-combination',
  'route-timeouts',
  'parent-refs-distinct',
  'grpc-method-match',
  'tls-route-hostname',
  'gateway-listeners',
  'gateway-addresses',
];
const validationRules = allRules.filter((rule) => CODES.includes(rule.code));

/** The findings of the CEL-derived rules on one file's text; a crash fails the test. */
function check(text: string, filePath = '/work/route.yaml'): Finding[] {
  const file = new WorkspaceFile(filePath, text, 0);
  // These rules read the file only: no workspace is needed.
  const workspace = undefined as unknown as Workspace;
  return validationRules.flatMap((rule) => (rule as FileRule).check(file, workspace, () => undefined));
}

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? yamlFiles(full) : entry.name.endsWith('.yaml') ? [full] : [];
  });
}

describe('Gateway API durations (GEP-2257, read as CEL duration() does)', () => {
  test('units and their sums', () => {
    const cases: [string, number | undefined][] = [
      ['0s', 0],
      ['0ms', 0],
      ['1h', 3_600_000],
      ['90s', 90_000],
      ['1m30s', 90_000],
      ['500ms', 500],
      ['1h30m', 5_400_000],
      ['59m60s1ms', 3_600_001],
      // Any order, repeats: Go adds up the groups.
      ['1s1h', 3_601_000],
      ['1s1s', 2000],
      ['99999ms', 99_999],
      ['1h1m1s1ms', 3_661_001],
    ];
    for (const [text, expected] of cases) assert.equal(parseDuration(text), expected, text);
  });

  test('what the CRD pattern refuses is no duration here (the schema reports it)', () => {
    for (const text of ['', '1', 's', '1d', '1.5s', '100000s', '1h1m1s1ms1h', '-1s', '1 s', '1S', '1us']) {
      assert.equal(parseDuration(text), undefined, text);
    }
  });
});

describe('path match values (the CRD regex and conditions)', () => {
  test('accepted values', () => {
    for (const value of [
      '/',
      '/metal',
      '/metal/',
      '/~user/@v1',
      "/a!$&'()*+,;=:@b",
      '/a%2e',
      '/a%20b',
      '/a%2F'.toLowerCase().replace('%2f', '%3a'),
      '/a/.b',
      '/a..',
      '/.well-known',
      '/a/b.',
    ]) {
      assert.deepEqual(pathValueProblems(value), [], value);
    }
  });

  test('rejected values, each with the rules it breaks', () => {
    const cases: [string, string[]][] = [
      ['metal', ["does not start with '/'"]],
      ['', ["does not start with '/'", 'is empty']],
      ['/a//b', ["contains '//'"]],
      ['/a/./b', ["contains '/./'"]],
      ['/a/../b', ["contains '/../'"]],
      ['/a%2fb', ["contains '%2f'"]],
      ['/a%2Fb', ["contains '%2F'"]],
      ['/a#b', ["contains '#'"]],
      ['/a/..', ["ends with '/..'"]],
      ['/a/.', ["ends with '/.'"]],
      ['/a b', ['holds a space, which a URL path cannot carry unencoded']],
      ['/a?b', ["holds '?', which a URL path cannot carry unencoded"]],
      ['/a%zz', ["has a '%' that is not followed by two hexadecimal digits"]],
      ['/a%2', ["has a '%' that is not followed by two hexadecimal digits"]],
      ['/é', ["holds 'é', which a URL path cannot carry unencoded"]],
      ['/a\tb', ['holds a tab, which a URL path cannot carry unencoded']],
      ['//a/./b#', ["contains '//'", "contains '/./'", "contains '#'"]],
    ];
    for (const [value, problems] of cases) assert.deepEqual(pathValueProblems(value), problems, value);
  });

  test('the repair: a leading / added, repeated / collapsed; nothing when more is wrong', () => {
    assert.equal(repairedPath('metal'), '/metal');
    assert.equal(repairedPath('/a//b///c'), '/a/b/c');
    assert.equal(repairedPath('//jazz'), '/jazz');
    assert.equal(repairedPath('/a/./b'), undefined);
    assert.equal(repairedPath('a//b#c'), undefined);
    assert.equal(repairedPath('/ok'), undefined);
  });
});

describe('IPv4 addresses as CEL isIP() takes them', () => {
  test('addresses and look-alikes', () => {
    for (const text of ['0.0.0.0', '10.0.0.1', '255.255.255.255', '192.168.1.254']) assert.equal(isIPv4(text), true, text);
    for (const text of ['010.0.0.1', '256.1.1.1', '1.2.3', '1.2.3.4.5', 'a.b.c.d', '1.2.3.-4', '', '1..2.3']) assert.equal(isIPv4(text), false, text);
  });
});

describe('CEL-derived rules on Gateway API examples', () => {
  const files = yamlFiles(EXAMPLES);

  test('valid manifests of every kind the rules read get no finding', () => {
    const routes = files.flatMap((file) => new WorkspaceFile(file, fs.readFileSync(file, 'utf8'), 0).objects).filter((o) => o.kind.endsWith('Route'));
    // Not vacuous: the examples hold routes of each kind the rules read.
    assert.ok(routes.length >= 6, `${routes.length} routes`);
    for (const kind of ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'])
      assert.ok(
        routes.some((o) => o.kind === kind),
        kind,
      );
    for (const file of files) {
      const findings = check(fs.readFileSync(file, 'utf8'), file);
      assert.deepEqual(
        findings.map((f) => `${path.relative(EXAMPLES, file)}:${f.range.start.line + 1} ${f.code}`),
        [],
      );
    }
  });

  test('the same examples broken in one spot each get exactly that finding', () => {
    const broken = (relative: string, from: string, to: string): string[] => {
      const text = fs.readFileSync(path.join(EXAMPLES, relative), 'utf8');
      assert.ok(text.includes(from), `${relative} holds ${from}`);
      return check(text.replace(from, to)).map((f) => f.code);
    };
    assert.deepEqual(broken('http-redirect-rewrite-httproute-rewrite-prefix-path.yaml', 'value: /jazz\n', 'value: /jazz//x\n'), ['path-match-value']);
    assert.deepEqual(broken('grpc-route.yaml', 'method: ListTracks', 'method: List-Tracks'), ['grpc-method-match']);
    // tls on TCP, hostname on TCP, and the defaulted Terminate mode without certificates.
    assert.deepEqual(broken('gateway-and-class.yaml', 'protocol: HTTP\n', 'protocol: TCP\n      hostname: foo.example.com\n      tls: {}\n'), [
      'gateway-listeners',
      'gateway-listeners',
      'gateway-listeners',
    ]);
    assert.deepEqual(broken('l4-routes.yaml', '- secure.dj.example.com', '- "10.1.2.3"'), ['tls-route-hostname']);
  });
});

/** The source range of every node under `node` (map values and list items), with its path. */
function collectNodes(node: unknown, prefix: (string | number)[], out: { path: (string | number)[]; range: [number, number] }[]): void {
  const visitChild = (child: unknown, at: (string | number)[]) => {
    const range = (child as { range?: [number, number, number] } | null)?.range;
    if (range) out.push({ path: at, range: [range[0], range[1]] });
    collectNodes(child, at, out);
  };
  if (isMap(node)) {
    for (const pair of node.items) if (isScalar(pair.key)) visitChild(pair.value, [...prefix, String(pair.key.value)]);
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => visitChild(item, [...prefix, index]));
  }
}

describe('CEL-derived rules on odd shapes', () => {
  /**
   * Every node of the fixture routes replaced in turn, in the text, by a null, a number, an empty
   * list and an empty map: the rules must neither crash nor report outside the file.
   */
  test('no crash whatever stands where a map, list or scalar is expected', () => {
    const shapes = ['null', '7', '[]', '{}'];
    let variants = 0;
    for (const code of CODES) {
      const folder = path.join(CASES, `gateway-${code}`);
      const text = fs.readFileSync(path.join(folder, code.startsWith('gateway-') ? 'gateway.yaml' : 'route.yaml'), 'utf8');
      const nodes: { path: (string | number)[]; range: [number, number] }[] = [];
      for (const document of parseAllDocuments(text) as Document[]) collectNodes(document.contents, [], nodes);
      // The long lists of the route-limits case repeat one shape: their first items stand for the rest.
      for (const node of nodes.filter((n) => n.path.every((segment) => typeof segment === 'string' || segment < 3))) {
        for (const shape of shapes) {
          const mutated = text.slice(0, node.range[0]) + shape + text.slice(node.range[1]);
          const lineCount = mutated.split('\n').length;
          for (const finding of check(mutated)) assert.ok(finding.range.start.line < lineCount, `${finding.code} inside the file`);
          variants++;
        }
      }
    }
    assert.ok(variants > 1000, `${variants} variants`);
  });
});

describe('quick fixes of the CEL-derived rules', () => {
  test('a path fix edits the value only, keeping quotes and comments', () => {
    const text = [
      'apiVersion: gateway.networking.k8s.io/v1',
      'kind: HTTPRoute',
      'metadata:',
      '  name: metal-route',
      'spec:',
      '  rules:',
      '    - matches:',
      '        - path:',
      "            value: '//metal'   # keep me",
      '        - path:',
      '            value: "metal\\u002f"',
      '',
    ].join('\n');
    const findings = check(text).filter((f) => f.code === 'path-match-value');
    assert.equal(findings.length, 2);
    const rule = validationRules.find((r) => r.code === 'path-match-value') as FileRule;
    const fixes = rule.fixes?.(findings[0], { workspace: undefined as unknown as Workspace }) ?? [];
    assert.equal(fixes.length, 1);
    const lines = new WorkspaceFile('/work/route.yaml', text, 0).parsed.lines;
    const fixed = applyEdits(text, fixes[0].changes[0].edits, (p) => lines.offsetAt(p));
    assert.equal(fixed, text.replace("'//metal'", "'/metal'"));
    // An escape in the source: the text is not the value, so no byte-exact edit is offered.
    assert.deepEqual(rule.fixes?.(findings[1], { workspace: undefined as unknown as Workspace }) ?? [], []);
  });
});
