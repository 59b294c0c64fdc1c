import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { allRules, DiskFileSource, Validator, Workspace } from '../../server/src/engine';
import { caseNames, expectationLine, expectedOf, HOSTILE, materialize } from '../support/cases';

/** Every fixture case: the complete set of diagnostics, by file, line and code, equals its expect.txt. */
describe('fixture cases', () => {
  for (const name of caseNames()) {
    test(name, () => {
      const fixture = materialize(name);
      try {
        const validator = new Validator(new Workspace(new DiskFileSource(), [fixture.root]), {
          log: (message) => assert.fail(`a rule crashed: ${message}`),
        });
        const actual = [...validator.diagnostics(() => ({ options: fixture.ruleOptions }))]
          .flatMap(([file, diagnostics]) => diagnostics.map((d) => expectationLine(fixture.root, file, d.range.start.line, d.code)))
          .sort();
        assert.deepEqual(actual, fixture.expected);
      } finally {
        fs.rmSync(fixture.root, { recursive: true, force: true });
      }
    });
  }

  test('every rule has at least one fixture case that triggers it', () => {
    const covered = new Set(
      [...caseNames().flatMap((name) => expectedOf(name)), ...caseNames(HOSTILE).flatMap((name) => expectedOf(name, HOSTILE))].map(
        (line) => line.split(' ')[1],
      ),
    );
    const uncovered = allRules.map((rule) => rule.code).filter((code) => !covered.has(code));
    assert.deepEqual(uncovered, []);
  });
});
