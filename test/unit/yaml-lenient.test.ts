import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nodeAt, parseYaml, rangeOfNode } from '../../server/src/engine/yaml';

// Values as `kubectl kustomize` (go-yaml) reads the same texts.
describe("quoted values continued at their key's indentation", () => {
  const text = [
    'data:', //                    line 1
    "  s: 'Foo bar", //            line 2
    "  baz qux'   # comment", //   line 3
    '  t: "a \\"q\\"', //          line 4
    '  b\\', //                    line 5
    '  c"', //                     line 6
    'list:', //                    line 7
    "- 'first,", //                line 8
    "then second'", //             line 9
    'after: 1', //                 line 10
    '',
  ].join('\n');

  test('are read as go-yaml reads them, with no syntax error and one note per value', () => {
    const parsed = parseYaml(text);
    assert.deepEqual(parsed.syntaxErrors, []);
    assert.deepEqual(parsed.values[0], { data: { s: 'Foo bar baz qux', t: 'a "q" bc' }, list: ['first, then second'], after: 1 });
    assert.deepEqual(
      parsed.outsideSpec.map((p) => p.range.start.line + 1),
      [3, 5, 9],
    );
  });

  test('keep every node at its place in the original text', () => {
    const parsed = parseYaml(text);
    const root = parsed.documents[0].contents;
    const at = (path: (string | number)[]): string | undefined => {
      const range = rangeOfNode(parsed.lines, nodeAt(root, path));
      return range && `${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1}`;
    };
    assert.equal(at(['data', 's']), '2:6-3:11');
    assert.equal(at(['data', 't']), '4:6-6:5');
    assert.equal(at(['list', 0]), '8:3-9:13');
    assert.equal(at(['after']), '10:8-10:9');
  });

  test('a document marker inside the value, or a plain value continued so, stay syntax errors as in go-yaml', () => {
    assert.ok(parseYaml("s: 'Foo\n---\nbar'\n").syntaxErrors.length > 0);
    assert.ok(parseYaml('data:\n  s: Foo bar\n  baz qux\n').syntaxErrors.length > 0);
    assert.ok(parseYaml("data:\n  s: 'Foo bar\n  baz qux' more\n").syntaxErrors.length > 0);
  });
});

describe('one syntax diagnostic per problem', () => {
  test('tab-indented lines are one problem, named as such, at the first tab', () => {
    const parsed = parseYaml('spec:\n  routes:\n  - name: a\n\tweight: 1\n\tpriority: 2\nother: 1\n');
    assert.deepEqual(
      parsed.syntaxErrors.map((e) => `${e.range.start.line + 1} ${e.message}`),
      ['4 A tab indents this line (and 1 more line): YAML allows only spaces for indentation, and kustomize refuses the file.'],
    );
  });

  test('git conflict markers give one diagnostic per conflict, at its <<<<<<< line', () => {
    const text = 'resources:\n<<<<<<< HEAD\n- a.yaml\n=======\n- b.yaml\n>>>>>>> topic\n- c.yaml\n<<<<<<< HEAD\n- d.yaml\n=======\n>>>>>>> topic\n';
    assert.deepEqual(
      parseYaml(text).syntaxErrors.map((e) => e.range.start.line + 1),
      [2, 8],
    );
    assert.match(parseYaml(text).syntaxErrors[0].message, /^Unresolved merge conflict/);
  });

  test('several errors the parser leaves on one line are one diagnostic', () => {
    const parsed = parseYaml('a:\n  b: true,\n    c: 1\n');
    const lines = parsed.syntaxErrors.map((e) => e.range.start.line);
    assert.ok(lines.length > 0);
    assert.equal(new Set(lines).size, lines.length, JSON.stringify(parsed.syntaxErrors));
  });
});

describe('what YAML allows and kustomize refuses', () => {
  test('a collection used as a mapping key is a syntax error, as go-yaml\'s "invalid map key"', () => {
    for (const text of ['metadata:\n  labels: {{ labels }}\n', 'data:\n  ? [a, b]\n  : x\n']) {
      const parsed = parseYaml(text);
      assert.equal(parsed.syntaxErrors.length, 1, text);
      assert.match(parsed.syntaxErrors[0].message, /invalid map key/);
      assert.equal(parsed.documents[0].hasErrors, true);
    }
    assert.deepEqual(parseYaml('metadata:\n  labels: {app: dj}\n').syntaxErrors, []);
  });
});
