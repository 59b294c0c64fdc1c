import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Workspace } from '../../server/src/engine';
import { Fresh, FreshnessCheck } from '../../server/src/engine/fresh';
import { workspaceDefinitions } from '../../server/src/engine/analysis';
import { MemoryFileSource } from '../support/memoryFiles';

const node = (name: string): string =>
  ['apiVersion: appmesh.k8s.aws/v1beta2', 'kind: VirtualNode', 'metadata:', `  name: ${name}`, '  namespace: prod', 'spec: {}', ''].join('\n');

function setUp(): { source: MemoryFileSource; workspace: Workspace; a: string; b: string } {
  const source = new MemoryFileSource([
    ['/ws/a.yaml', node('a')],
    ['/ws/b.yaml', node('b')],
    ['/ws/notes.yaml', 'title: notes\n'],
  ]);
  return { source, workspace: new Workspace(source, ['/ws']), a: '/ws/a.yaml', b: '/ws/b.yaml' };
}

describe('fresh values', () => {
  test('a value is stale once a path it read changes, and fresh while only other paths change', () => {
    const { source, workspace, a, b } = setUp();
    let runs = 0;
    const compute = (): Fresh<string | undefined> =>
      Fresh.compute(workspace, (reads) => {
        runs++;
        reads.path(a);
        return workspace.file(a)?.text;
      });
    const value = compute();
    assert.equal(runs, 1);
    assert.ok(value.value?.includes('name: a'));
    assert.deepEqual([...value.paths.keys()], [a]);

    source.set(b, node('b2'));
    workspace.invalidate(b);
    assert.equal(value.isFresh(workspace), true, 'an unrelated file changed');
    assert.equal(value.isFresh(workspace), true, 'asked again in the same generation');

    source.set(a, node('a2'));
    workspace.invalidate(a);
    assert.equal(value.isFresh(workspace), false, 'the file it read changed');
    assert.ok(compute().value?.includes('name: a2'));
    assert.equal(runs, 2);
  });

  test('a change long ago is still seen when the change log cannot tell (a root was added)', () => {
    const { source, workspace, a } = setUp();
    const value = Fresh.compute(workspace, (reads) => reads.path(a));
    source.set(a, node('a2'));
    workspace.invalidate(a);
    workspace.addRoot('/elsewhere');
    assert.equal(value.isFresh(workspace), false);
    const unrelated = Fresh.compute(workspace, (reads) => reads.path('/ws/b.yaml'));
    workspace.addRoot('/elsewhere-too');
    assert.equal(unrelated.isFresh(workspace), true, 'compared stamp by stamp: nothing it read changed');
  });

  test('a whole-workspace dependency is stale when what the workspace defines changes, not on other edits', () => {
    const { source, workspace, b } = setUp();
    const value = Fresh.compute(workspace, (reads) => reads.fact(workspaceDefinitions));

    source.set('/ws/notes.yaml', 'title: other notes\n');
    workspace.invalidate('/ws/notes.yaml');
    assert.equal(value.isFresh(workspace), true, 'a file that defines nothing changed');

    source.set(b, node('b') + '# a comment\n');
    workspace.invalidate(b);
    assert.equal(value.isFresh(workspace), true, 'a file changed, but it defines the same names');

    source.set('/ws/c.yaml', node('c'));
    workspace.invalidate('/ws/c.yaml');
    assert.equal(value.isFresh(workspace), false, 'a new file defines a new name');
  });

  test('a value is stale when a value it was made from is', () => {
    const { source, workspace, a, b } = setUp();
    const inner = Fresh.compute(workspace, (reads) => reads.path(a));
    let asked = 0;
    const counting: FreshnessCheck = {
      isFresh: (w) => {
        asked++;
        return inner.isFresh(w);
      },
    };
    const outer = Fresh.compute(workspace, (reads) => {
      reads.path(b);
      reads.input(counting);
    });
    source.set('/ws/notes.yaml', 'x: 1\n');
    workspace.invalidate('/ws/notes.yaml');
    assert.equal(outer.isFresh(workspace), true);
    assert.equal(outer.isFresh(workspace), true);
    assert.equal(asked, 1, 'found fresh once per generation: the second check costs nothing');

    source.set(a, node('a2'));
    workspace.invalidate(a);
    assert.equal(outer.isFresh(workspace), false, 'the input went stale');
  });
});
