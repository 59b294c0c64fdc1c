import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { MAX_NESTING_DEPTH, parseGeneral, parseWithFastParser, parseYaml, ParsedYaml, YamlDocument, YamlNode } from '../../server/src/engine/yaml';
import { parseFast } from '../../server/src/engine/yamlFast';
import { YamlAlias, YamlMap, YamlPair, YamlScalar, YamlSeq } from '../../server/src/engine/yamlTree';
import { fuzzCases, fuzzSeed, mutate, randomYaml, Rng } from '../support/fuzz';

/**
 * The fast parser against the general `yaml` parser: wherever the fast one does not give up, its
 * documents, trees (kinds, values, ranges) and plain values must equal the general parser's reading of
 * the whole file, and the general parser must find no error. Where it gives up on some documents of a
 * file, the general parser reads those alone: the result must still equal the whole file's reading.
 * Inputs: every YAML file of the fixtures and examples, seeded mutations of them, random YAML,
 * hand-written edge cases, and files of many documents of both kinds.
 */
const REPO = path.resolve(__dirname, '../../..');

function yamlFilesUnder(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...yamlFilesUnder(full));
    else if (/\.ya?ml$|^Kustomization$/.test(entry.name)) found.push(full);
  }
  return found;
}

const corpus = [...yamlFilesUnder(path.join(REPO, 'test', 'fixtures')), ...yamlFilesUnder(path.join(REPO, 'examples'))]
  .sort()
  .map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));

/** A comparable picture of a tree: kind, value (numbers by Object.is) and range of every node. */
function shape(node: YamlNode | null): unknown {
  if (node === null) return null;
  if (node instanceof YamlScalar) return ['scalar', numberKey(node.value), node.start, node.end];
  if (node instanceof YamlAlias) return ['alias', node.start, node.end];
  if (node instanceof YamlMap) return ['map', node.flow, node.start, node.end, node.items.map((p: YamlPair) => [shape(p.key), shape(p.value)])];
  if (node instanceof YamlSeq) return ['seq', node.flow, node.start, node.end, node.items.map(shape)];
  return ['unknown'];
}

/** -0, NaN and infinities survive the comparison as text. */
function numberKey(value: unknown): unknown {
  if (typeof value !== 'number') return value;
  return Object.is(value, -0) ? '-0' : Number.isFinite(value) ? value : String(value);
}

function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.entries(value).map(([k, v]) => [k, plain(v)]);
  return numberKey(value);
}

function documents(docs: readonly YamlDocument[]): unknown {
  return docs.map((d) => ({ start: d.start, hasErrors: d.hasErrors, contents: shape(d.contents) }));
}

/** Whether the fast parser took the text; throws when it took it and read it differently from the general parser. */
function agrees(text: string, label: string): boolean {
  const fast = parseWithFastParser(text);
  if (!fast) return false;
  const general = parseGeneral(text);
  assert.deepEqual(general.syntaxErrors, [], `${label}: the fast parser took a text the general parser finds errors in:\n${text}`);
  assert.deepEqual(documents(fast.documents), documents(general.documents), `${label}: trees differ for:\n${JSON.stringify(text)}`);
  assert.deepEqual(plain(fast.values), plain(general.values), `${label}: values differ for:\n${JSON.stringify(text)}`);
  return true;
}

const WORDS = ['name', 'metal-v1', 'app', 'spec', 'weight', 'a b', 'x', 'http://h:80/p', 'v1.2', '-n', 'k.io/x'];
const SCALARS = ['1', '0', '-3', '2.5', '1e3', 'true', 'False', 'null', '~', '', '"quoted"', "'it''s'", '"a: b"', "'#'", '0o7', '0x1f', '.inf', 'yes', '012'];

/** Lines of random YAML written the way Kubernetes files are: block collections, one-line scalars, comments. */
function blockYaml(rng: Rng, depth: number, indent: number, step: number): string[] {
  const pad = ' '.repeat(indent);
  const scalar = (): string => (rng.chance(0.5) ? rng.pick(WORDS) : rng.pick(SCALARS));
  const comment = (): string => (rng.chance(0.15) ? ' # note' : '');
  const lines: string[] = [];
  const asSeq = rng.chance(0.3);
  const count = rng.between(1, 4);
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    if (rng.chance(0.1)) lines.push(rng.chance(0.5) ? '' : `${pad}# comment`);
    const nested = depth > 0 && rng.chance(0.4);
    if (asSeq) {
      if (!nested) lines.push(`${pad}- ${scalar()}${comment()}`);
      else if (rng.chance(0.5)) {
        const inner = blockYaml(rng, depth - 1, indent + 2, step);
        // `- key: value` keeps the first line on the dash's line when it is a mapping key.
        if (/^\s*[^-\s#][^:]*:( |$)/.test(inner[0] ?? '')) lines.push(`${pad}- ${inner[0].trimStart()}`, ...inner.slice(1));
        else lines.push(`${pad}-`, ...inner);
      } else lines.push(`${pad}-${comment()}`, ...blockYaml(rng, depth - 1, indent + step, step));
    } else {
      let key = rng.pick(['name', 'spec', 'kind', 'items', 'weight', 'x', '"q k"', 'a.b/c', 'k-8']);
      while (used.has(key)) key += 'x';
      used.add(key);
      if (!nested) lines.push(`${pad}${key}: ${rng.chance(0.05) ? rng.pick(['[]', '{}']) : scalar()}${comment()}`);
      else {
        const indentless = rng.chance(0.3);
        const inner = blockYaml(rng, depth - 1, indentless ? indent : indent + step, step);
        if (indentless && !/^\s*-/.test(inner.find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? ''))
          lines.push(`${pad}${key}:${comment()}`, ...blockYaml(rng, depth - 1, indent + step, step));
        else lines.push(`${pad}${key}:${comment()}`, ...inner);
      }
    }
  }
  return lines;
}

describe('fast YAML parser', () => {
  test('reads nearly every fixture and example file, exactly as the general parser does', () => {
    let taken = 0;
    for (const { file, text } of corpus) if (agrees(text, path.relative(REPO, file))) taken++;
    assert.ok(corpus.length > 100, `corpus of ${corpus.length} files`);
    // The hostile fixtures are meant to be odd; everything else is plain Kubernetes YAML.
    assert.ok(taken / corpus.length > 0.85, `the fast parser took only ${taken} of ${corpus.length} files`);
  });

  test('edge cases: taken and equal, or left to the general parser', () => {
    const taken = [
      '',
      '# only a comment\n',
      '---\n',
      '--- # x\n',
      '---  \n',
      'a: 1\n---\n',
      '# c\n---\na: 1\n',
      '\n\na: 1',
      'a: 1\n# c\n---\n# d\n',
      'a:\n- x\n- y\nb: c # hi\n',
      'a:\n  b: 1\n\n# z\nc: 2',
      '- a: 1\n  b: 2\n- c\n',
      '- a:\n  - x\n  b: 2\n',
      '-\n  a: 1\n- \n-\n',
      `a: "x y"\nb: 'it''s'\n'c d': "e"\n`,
      'a:   \nb: ~\nc:  # comment\nd:\n',
      'a: []\nb: {}\nc: [] # x\n',
      '  a: 1\n  b: 2\n',
      'a: 0o17\nb: 0x1F\nc: 1e3\nd: .5\ne: -.inf\nf: 012\ng: +1\nh: 1_000\ni: 1.\nj: NULL\nk: TRUE\nl: yes\nm: 9007199254740993\nn: 1e400\no: 0x\np: -0\nq: 00\nr: 0o\ns: .NaN\nt: +.inf\nu: -1.5e-3\n',
      'url: http://example.com/a#b\nk: a,b[c]{d}\nm: a #c\nn: -x\no: :x\np: ?x\n',
      'a: 1\r\nb:\r\n- x\r\n- \r\nc: "q"\r\n',
      'key with spaces  : v\nx : y\n',
      'a:\n    deep:\n        deeper: 1\n    back: 2\nz: 3\n',
    ];
    for (const text of taken) assert.ok(agrees(text, 'edge case'), `the fast parser gave up on ${JSON.stringify(text)}`);
    const leftToGeneral = [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: |\n  text\n',
      'a: >\n  text\n',
      'a: b\n  continued\n',
      'a: "multi\n  line"\n',
      'a: [x, y]\n',
      'a: {b: 1}\n',
      'a:\tb\n',
      'a: 1\ra: 2',
      '\uFEFFa: 1\n',
      'a: 1\na: 2\n',
      '1: x\n',
      'true: x\n',
      'a: b: c\n',
      'just a scalar\n',
      '- - x\n',
      '? complex\n: value\n',
      '%YAML 1.2\n---\na: 1\n',
      'a: 1\n...\n',
      '--- a: 1\n',
      'a: "esc\\"aped"\n',
      'a:\n  b: 1\n c: 2\n',
      'a: 1\n  b: 2\n',
      '- a\nb: 1\n',
      `${'k'.repeat(1100)}: v\n`,
      '__proto__: x\n',
    ];
    for (const text of leftToGeneral) assert.equal(parseFast(text, MAX_NESTING_DEPTH), undefined, `the fast parser took ${JSON.stringify(text)}`);
  });

  test('nesting deeper than the limit is left to the general parser, which reports it', () => {
    let text = '';
    for (let depth = 0; depth <= MAX_NESTING_DEPTH + 1; depth++) text += `${' '.repeat(depth)}k${depth}:\n`;
    assert.equal(parseFast(text, MAX_NESTING_DEPTH), undefined);
    assert.match(parseYaml(text).syntaxErrors[0]?.message ?? '', /nested deeper/);
  });

  test('random block YAML inside the subset: taken nearly always, and equal', () => {
    const seed = fuzzSeed();
    let taken = 0;
    const cases = fuzzCases(3000);
    for (const index of cases) {
      const rng = Rng.forCase(seed, index, 8);
      const eol = rng.chance(0.2) ? '\r\n' : '\n';
      const text = blockYaml(rng, 4, rng.pick([0, 0, 2]), rng.pick([1, 2, 2, 4])).join(eol) + (rng.chance(0.8) ? eol : '');
      if (agrees(text, `seed ${seed} case ${index}`)) taken++;
    }
    if (cases.length > 100) assert.ok(taken > cases.length * 0.9, `only ${taken} of ${cases.length} block texts were taken`);
  });

  test('seeded mutations and random YAML: the fast parser agrees wherever it takes the text', () => {
    const seed = fuzzSeed();
    let taken = 0;
    const cases = fuzzCases(4000);
    for (const index of cases) {
      const rng = Rng.forCase(seed, index, 7);
      const text = index % 4 === 3 ? `${randomYaml(rng, 4)}\n` : mutate(corpus[rng.int(corpus.length)].text, rng).text;
      if (agrees(text, `seed ${seed} case ${index}`)) taken++;
    }
    // Most mutations keep most of a file intact: the comparison must actually run on many of them.
    if (cases.length > 100) assert.ok(taken > cases.length / 8, `only ${taken} of ${cases.length} mutated texts were taken`);
  });
});

/** Whether the fast parser alone reads the whole text (no document left to the general parser). */
const fastAlone = (text: string): boolean => parseFast(text, MAX_NESTING_DEPTH) !== undefined;

/** Everything a reading reports, for comparing a file's reading with the general parser's. */
function reading(parsed: ParsedYaml): unknown {
  return { documents: documents(parsed.documents), values: plain(parsed.values), syntaxErrors: parsed.syntaxErrors, outsideSpec: parsed.outsideSpec };
}

/** A plain document; files here end with a few, so that most of each file stays on the fast path. */
const PLAIN = 'kind: Plain\nmetadata:\n  name: plain\n  labels:\n    app: x\n    version: v1\n';
const padded = (text: string): string => text + `---\n${PLAIN}`.repeat(4);

/** Plain documents, each one only the fast parser reads. */
const PLAIN_DOCUMENTS = ['kind: A\nmetadata:\n  name: a\n', 'b:\n- 1\n- x: y\n', "c: 'q'\nd: []\n", 'e: 2 # note\n'];

/** Documents the fast parser gives up on, which the general parser reads without error. */
const GENERAL_DOCUMENTS = [
  'data:\n  script: |\n    echo hi\n    ---\n    echo bye\n',
  'data:\n  keep: |+\n    kept\n\n\n',
  'a: &x 1\nb: *x\n',
  'flow: {a: 1, b: [x, y]}\n',
  'q: "two\n  lines"\n',
  'tab: "a\tb"\n',
  'tagged: !!str 1\n',
  '? complex\n: value\n',
  'folded: >-\n  one\n  two\n',
];

describe('fast YAML parser, document by document', () => {
  test('a document it gives up on is read by the general parser alone; the others stay on the fast path', () => {
    const texts = [
      // One block scalar among plain documents.
      'a: 1\n---\nb: |\n  text\n---\nc: 2\n',
      // The first document, the last one, two neighbours.
      'a: |\n  x\n---\nb: 1\n',
      `${PLAIN}---\n${PLAIN}---\nb: >\n  x\n`,
      'a: 1\n---\nb: |\n  x\n---\nc: [1, 2]\n---\nd: 2\n---\ne: 3\n',
      // Comments and blank lines before `---`, and a comment on it.
      '# head\n\n---\na: |\n  x\n# between\n\n--- # marker comment\nb: 1\n# tail\n',
      // `---` inside a block scalar, indented: content, not a document marker.
      'a: |\n  ---\n  --- x\n---\nb: 1\n---\nc: 2\n',
      // `---` at column 0 ends a top-level block scalar, which may start on the marker's line.
      '--- |\nfoo\n---\nbar: 1\n---\nbaz: 2\n',
      '--- >\n  folded\n---\nbar: 1\n---\nbaz: 2\n',
      // Content on the `---` line: a scalar, a flow collection.
      'a: 1\n--- plain scalar\n---\nb: 1\n---\nc: 2\n',
      'a: 1\n--- [x, y]\n---\nb: 1\n---\nc: 2\n',
      // A tab after `---` (a marker too), a tab inside a document.
      'a: 1\n---\t\nb: 1\n---\nc: 2\n---\nd: 3\n',
      'a: 1\n---\nb: "x\ty"\n---\nc: 2\n---\nd: 3\n',
      // `...` ends a document; what follows it is another.
      'a: 1\n---\nb: |\n  x\n...\n# after the end\nc: 2\n---\nd: 3\n---\ne: 4\n---\nf: 5\n',
      // `|+` keeps the blank lines up to the next `---`, and at the end of the file.
      'a: 1\n---\nb: |+\n  x\n\n\n---\nc: 2\n---\nd: |+\n  y\n\n',
      // CRLF, and a byte order mark before the first document.
      'a: 1\r\n---\r\nb: |\r\n  x\r\n---\r\nc: 2\r\n',
      '\uFEFFa: 1\n---\nb: 1\n---\nc: 2\n',
      // Empty documents around one the general parser reads.
      '---\n---\na: !!str 1\n---\n---\nb: 1\n---\nc: 2\n',
    ];
    for (const text of texts.map((t) => (t.startsWith(PLAIN) ? t : padded(t)))) {
      assert.equal(fastAlone(text), false, `the fast parser alone took ${JSON.stringify(text)}`);
      assert.ok(agrees(text, 'documents of both kinds'), `not read document by document: ${JSON.stringify(text)}`);
    }
  });

  test('directives and errors leave the whole file to the general parser, which reports them at their place in the file', () => {
    // `%YAML 1.1` applies to the documents after it too: `yes` is true in the second one as well.
    const directive = padded('%YAML 1.1\n---\na: yes\n---\nb: yes\n---\nc: |\n  x\n');
    assert.equal(parseWithFastParser(directive), undefined);
    assert.deepEqual(parseYaml(directive).values.slice(0, 3), [{ a: true }, { b: true }, { c: 'x\n' }]);
    assert.equal(parseWithFastParser(padded('a: 1\n---\nb: 1\n...\n%YAML 1.2\n---\nc: |\n  x\n')), undefined);
    const broken = [
      // An error inside a document the general parser reads.
      'a: 1\n---\nb: 2\n---\nc: |\n  x\nd: [1, 2\n---\ne: 3\n',
      // A block mapping on the `---` line.
      'a: 1\n---\nb: 2\n--- c: 3\n---\nd: 4\n',
      // A quoted scalar and a flow collection that go on across `---` end there, with an error.
      'a: 1\n---\nb: "x\n---\ny"\n---\nc: 2\n',
      'a: 1\n---\nb: [x,\n---\n]\n---\nc: 2\n',
      // An alias to an anchor of an earlier document.
      'a: &x 1\n---\nb: *x\n---\nc: 2\n',
      // Duplicate keys in one document, tabs indenting another.
      'a: 1\n---\nb: 1\nb: |\n  x\n---\nc: 2\n',
      'a: 1\n---\nb:\n\tc: 1\n---\nd: 2\n',
      // A quoted value that goes on at its key's indentation: kustomize reads it (outside the spec).
      'a: 1\n---\nb: "x\ny"\n---\nc: 2\n---\nd: 3\n',
    ];
    for (const text of broken.map(padded)) {
      assert.equal(parseWithFastParser(text), undefined, `taken: ${JSON.stringify(text)}`);
      const parsed = parseYaml(text);
      assert.ok(parsed.syntaxErrors.length + parsed.outsideSpec.length > 0, `no problem found in ${JSON.stringify(text)}`);
      assert.deepEqual(reading(parsed), reading(parseGeneral(text)));
    }
  });

  test('a file mostly made of documents the general parser reads is read whole by it', () => {
    const text = ['a: 1\n', ...GENERAL_DOCUMENTS].join('---\n');
    assert.equal(parseWithFastParser(text), undefined);
  });

  test('random files of documents of both kinds, and mutations of them: read as the general parser reads the whole file', () => {
    const seed = fuzzSeed();
    let mixed = 0;
    const cases = fuzzCases(1500);
    for (const index of cases) {
      const rng = Rng.forCase(seed, index, 9);
      const eol = rng.chance(0.15) ? '\r\n' : '\n';
      const docs: string[] = [];
      for (let i = rng.between(2, 8); i > 0; i--) {
        const body = rng.chance(0.25) ? rng.pick(GENERAL_DOCUMENTS) : rng.chance(0.5) ? rng.pick(PLAIN_DOCUMENTS) : blockYaml(rng, 3, 0, 2).join('\n') + '\n';
        const before = rng.chance(0.2) ? rng.pick(['# comment\n', '\n', '\n# a\n\n']) : '';
        const marker = rng.pick(['---\n', '---\n', '---\n', '--- # m\n', '---   \n', '---\t\n', '...\n---\n']);
        docs.push((docs.length === 0 && rng.chance(0.7) ? '' : before + marker) + body);
      }
      let text = docs.join('').replace(/\n/g, eol);
      if (rng.chance(0.4)) text = mutate(text, rng).text;
      const parsed = parseYaml(text);
      assert.deepEqual(reading(parsed), reading(parseGeneral(text)), `seed ${seed} case ${index}: ${JSON.stringify(text)}`);
      if (parseWithFastParser(text) && !fastAlone(text)) mixed++;
    }
    // The comparison must often run on files read by both parsers.
    if (cases.length > 100) assert.ok(mixed > cases.length / 5, `only ${mixed} of ${cases.length} files were read document by document`);
  });
});
