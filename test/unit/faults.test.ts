import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import * as yaml from 'yaml';
import { allRules, FileSource, PathKind, Rule, Validator, Workspace } from '../../server/src/engine';
import { caseFiles, MemoryFileSource } from '../support/memoryFiles';

const ROOT = path.resolve('/mesh-faults');

/** The DJ tree with the canary router enabled while v2 is commented out: three router-target-not-running errors. */
function brokenTree(source: FileSource = new MemoryFileSource([...caseFiles('router-to-disabled-v2')].map(([rel, text]) => [path.join(ROOT, rel), text]))) {
  const logs: string[] = [];
  return { source, logs, make: (rules: readonly Rule[] = allRules) => new Validator(new Workspace(source, [ROOT]), { rules, log: (m) => logs.push(m) }) };
}

const codes = (validator: Validator): string[] => [...validator.diagnostics().values()].flat().map((d) => d.code);
const count = (list: string[], code: string): number => list.filter((c) => c === code).length;

describe('faults: one crash costs one rule on one file, and is logged once', () => {
  test('a file rule and a build rule that throw are logged once each, however often validation runs', () => {
    const fileCrash: Rule = {
      code: 'crashing-file-rule',
      scope: 'file',
      defaultSeverity: 'error',
      summary: 'throws on the router',
      check(file) {
        if (file.path.endsWith('dj-mesh-router-v1-95-v2-5.yaml')) throw new Error('file boom');
        return [];
      },
    };
    const buildCrash: Rule = {
      code: 'crashing-build-rule',
      scope: 'build',
      defaultSeverity: 'error',
      summary: 'always throws',
      check() {
        throw new Error('build boom');
      },
    };
    const tree = brokenTree();
    const validator = tree.make([fileCrash, buildCrash, ...allRules]);
    for (let run = 0; run < 5; run++) {
      assert.equal(count(codes(validator), 'router-target-not-running'), 3, `run ${run}: every other rule still reports`);
      // Touching files makes both rules run again: the build on every change, the file rule on its file's.
      validator.workspace.invalidate(path.join(ROOT, 'kustomization.yaml'));
      validator.workspace.invalidate(path.join(ROOT, 'dj-mesh-router-v1-95-v2-5.yaml'));
    }
    assert.equal(tree.logs.length, 2, tree.logs.join('\n'));
    assert.match(
      tree.logs.find((l) => l.includes('crashing-file-rule')) ?? '',
      /^Rule crashing-file-rule failed on .*dj-mesh-router-v1-95-v2-5\.yaml: Error: file boom/,
    );
    assert.match(
      tree.logs.find((l) => l.includes('crashing-build-rule')) ?? '',
      /^Rule crashing-build-rule failed on .*kustomization\.yaml: Error: build boom/,
    );
  });

  test('an exception while parsing one file: logged once with the file, a diagnostic on it, every other file still checked', () => {
    const prototype = yaml.Composer.prototype as unknown as { compose: (...args: unknown[]) => Generator };
    const original = prototype.compose;
    prototype.compose = function* (this: unknown, tokens: unknown, ...rest: unknown[]) {
      const list = [...(tokens as Iterable<{ source?: string; value?: { source?: string } }>)];
      if (JSON.stringify(list).includes('explode-the-parser')) throw new Error('parser exploded');
      yield* original.call(this, list, ...rest);
    };
    try {
      const tree = brokenTree();
      const frontend = path.join(ROOT, 'dj-app-mesh-frontend.yaml');
      // In a document only the general parser reads (a block scalar), so that it sees the marker.
      const explosive = '# explode-the-parser\nnote: |\n  read by the general parser\n';
      (tree.source as MemoryFileSource).set(frontend, `${explosive}${(tree.source as MemoryFileSource).files.get(frontend)}`);
      const validator = tree.make();
      for (let run = 0; run < 3; run++) {
        const diagnostics = validator.diagnostics();
        assert.deepEqual(
          (diagnostics.get(frontend) ?? []).map((d) => [d.code, d.range.start.line, d.message]),
          [['yaml-syntax', 0, 'This file could not be parsed (internal error: parser exploded); it is left out.']],
        );
        const router = path.join(ROOT, 'dj-mesh-router-v1-95-v2-5.yaml');
        assert.equal((diagnostics.get(router) ?? []).filter((d) => d.code === 'router-target-not-running').length, 2, 'the other files still report');
        validator.workspace.invalidate(frontend);
      }
      assert.equal(tree.logs.length, 1, tree.logs.join('\n'));
      assert.match(tree.logs[0], /^Parsing .*dj-app-mesh-frontend\.yaml failed: Error: parser exploded/);
    } finally {
      prototype.compose = original;
    }
  });

  test('an exception while reading one file: logged once with the file, every other file still checked', () => {
    const memory = new MemoryFileSource([...caseFiles('router-to-disabled-v2')].map(([rel, text]) => [path.join(ROOT, rel), text]));
    const broken = path.join(ROOT, 'dj-app-mesh-jazz-v1.yaml');
    const source: FileSource = {
      readFile: (p) => {
        if (p === broken) throw new Error('EIO: i/o error, read');
        return memory.readFile(p);
      },
      kindOf: (p): PathKind | undefined => memory.kindOf(p),
      listDirectory: (p) => memory.listDirectory(p),
    };
    const tree = brokenTree(source);
    const validator = tree.make();
    for (let run = 0; run < 3; run++) {
      const diagnostics = validator.diagnostics();
      assert.deepEqual(
        (diagnostics.get(broken) ?? []).map((d) => [d.code, d.message]),
        [['yaml-syntax', 'This file could not be read (EIO: i/o error, read); it is left out.']],
      );
      // What the file defines is unknown: jazz-v1 is neither "not running" nor "unknown"; the rest reports as before.
      assert.deepEqual(
        [...diagnostics.values()]
          .flat()
          .map((d) => d.code)
          .filter((c) => c !== 'yaml-syntax')
          .sort(),
        ['router-target-not-running', 'router-target-not-running', 'router-target-not-running'],
      );
      validator.workspace.invalidate(broken);
    }
    assert.equal(tree.logs.length, 1, tree.logs.join('\n'));
    assert.match(tree.logs[0], /^Reading .*dj-app-mesh-jazz-v1\.yaml failed: Error: EIO/);
  });
});
