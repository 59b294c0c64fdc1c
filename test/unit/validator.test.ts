import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { allRules, DiskFileSource, FileSource, PathKind, Rule, Validator, Workspace } from '../../server/src/engine';
import { materialize } from '../support/cases';
import { MemoryFileSource } from '../support/memoryFiles';

/** Counts reads, to show what a change makes the engine read again. */
class CountingSource implements FileSource {
  readonly reads = new Map<string, number>();
  private readonly disk = new DiskFileSource();
  readFile(filePath: string): string | undefined {
    this.reads.set(filePath, (this.reads.get(filePath) ?? 0) + 1);
    return this.disk.readFile(filePath);
  }
  kindOf(filePath: string): PathKind | undefined {
    return this.disk.kindOf(filePath);
  }
  listDirectory(dirPath: string): { name: string; kind: PathKind }[] {
    return this.disk.listDirectory(dirPath);
  }
}

describe('validator', () => {
  test('a rule that throws is logged once with its file, and every other rule still reports', () => {
    const { root } = materialize('router-to-disabled-v2');
    const crashing: Rule = {
      code: 'crashing',
      scope: 'file',
      defaultSeverity: 'error',
      summary: 'always throws',
      check(file) {
        if (file.path.endsWith('kustomization.yaml')) throw new Error('boom');
        return [];
      },
    };
    const logs: string[] = [];
    const validator = new Validator(new Workspace(new DiskFileSource(), [root]), { rules: [crashing, ...allRules], log: (m) => logs.push(m) });
    const codes = [...validator.diagnostics().values()].flat().map((d) => d.code);
    assert.equal(codes.filter((c) => c === 'router-target-not-running').length, 3);
    assert.equal(logs.length, 1);
    assert.match(logs[0], /Rule crashing failed on .*kustomization\.yaml: Error: boom/);
  });

  test('each file is read once per version; a change rereads only that file', () => {
    const { root } = materialize('stage-canary-2-v2-5');
    const source = new CountingSource();
    const workspace = new Workspace(source, [root]);
    const validator = new Validator(workspace);
    validator.diagnostics();
    assert.ok(
      [...source.reads.values()].every((n) => n === 1),
      'one read per file on the first run',
    );
    const router = path.join(root, 'dj-mesh-router-v1-95-v2-5.yaml');
    const before = new Map(source.reads);
    workspace.invalidate(router);
    validator.diagnostics();
    const reread = [...source.reads].filter(([file, n]) => n !== before.get(file)).map(([file]) => path.basename(file));
    assert.deepEqual(reread, ['dj-mesh-router-v1-95-v2-5.yaml']);
  });

  test('settings: severity per code, "off", and weights that must total 100', () => {
    const { root } = materialize('weights-90-5');
    const validator = new Validator(new Workspace(new DiskFileSource(), [root]));
    const severities = (settings: Parameters<Validator['diagnostics']>[0]): string[] =>
      [...validator.diagnostics(settings).values()]
        .flat()
        .filter((d) => d.code === 'weight-total-not-100')
        .map((d) => d.severity);
    assert.deepEqual(
      severities(() => ({})),
      ['warning'],
    );
    assert.deepEqual(
      severities(() => ({ options: { weightTotalMustBe100: true } })),
      ['error'],
    );
    assert.deepEqual(
      severities(() => ({ rules: { 'weight-total-not-100': 'hint' }, options: { weightTotalMustBe100: true } })),
      ['hint'],
    );
    assert.deepEqual(
      severities(() => ({ rules: { 'weight-total-not-100': 'off' } })),
      [],
    );
  });

  test('a file a build stopped reading is checked again, even when the build was redone for navigation', () => {
    // An invalid file that is ours only while a kustomization lists it (in a directory of its own:
    // the files beside a kustomization are read by its build rules).
    const source = new MemoryFileSource([
      ['/ws/kustomization.yaml', 'resources:\n  - sub/other.yaml\n'],
      ['/ws/sub/other.yaml', 'a: [unclosed\n'],
    ]);
    const workspace = new Workspace(source, ['/ws']);
    const validator = new Validator(workspace);
    const other = path.resolve('/ws/sub/other.yaml');
    assert.ok((validator.findings().get(other) ?? []).length > 0, 'listed: checked');
    source.set('/ws/kustomization.yaml', 'resources: []\n');
    workspace.invalidate(path.resolve('/ws/kustomization.yaml'));
    validator.builds();
    assert.deepEqual(validator.findings().get(other) ?? [], [], 'no longer listed: not ours');
  });
});
