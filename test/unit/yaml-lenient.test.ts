import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nodeAt, parseYaml, rangeOfNode } from '../../server/src/engine/yaml';

// Values as `kubectl kustomize` (go-yaml) reads the same texts.
describe('quoted values continued at their key\'s indentation', () => {
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
