import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Validator, Workspace } from '../../server/src/engine';
import { planMove, reachableTargets, stageModel } from '../../server/src/engine/stages';
import { caseNames } from '../support/cases';
import { fuzzCases, fuzzSeed, linesOf, mutate, rangeInside, Rng } from '../support/fuzz';
import { caseFiles, MemoryFileSource } from '../support/memoryFiles';

/**
 * Seeded fuzzing of the engine: mutations of the fixture files (byte flips, truncation, indentation
 * shifts, random YAML structures, deleted and duplicated lines, ...) validated in memory. No input may
 * crash the engine or a rule, take more than a second, or yield a diagnostic outside its document.
 *
 * Replay one case: MESH_FUZZ_SEED=<seed> MESH_FUZZ_CASE=<index> node --test out/test/unit/fuzz.test.js
 */
const MUTATIONS = 10_000;
/** The bound for one file; a generous guard against hangs, not a benchmark. */
const PER_CASE_MS = 1000;

interface Fixture {
  name: string;
  root: string;
  source: MemoryFileSource;
  pristine: Map<string, string>;
  paths: string[];
  validator: Validator;
  logs: string[];
}

const ROOT = path.resolve('/mesh-fuzz');

function loadFixture(name: string): Fixture {
  const root = path.join(ROOT, name);
  const pristine = new Map([...caseFiles(name)].map(([rel, text]) => [path.join(root, rel), text]));
  const source = new MemoryFileSource(pristine);
  const logs: string[] = [];
  const validator = new Validator(new Workspace(source, [root]), { log: (m) => logs.push(m) });
  validator.diagnostics();
  return { name, root, source, pristine, paths: [...pristine.keys()].sort(), validator, logs };
}

/** Kustomizations and App Mesh files are where the engine does most; they are mutated most often. */
function pickFile(fixture: Fixture, rng: Rng): string {
  const weighted = fixture.paths.flatMap((p) => (/kustomization|router/i.test(path.basename(p)) ? [p, p, p] : [p]));
  return rng.pick(weighted);
}

interface FuzzCase {
  index: number;
  fixture: string;
  file: string;
  applied: string[];
  text: string;
}

/** Validates one mutated file in the fixture's workspace, then restores it; returns what went wrong. */
function runCase(fixture: Fixture, index: number, seed: number): { problems: string[]; fuzzCase: FuzzCase; ms: number } {
  const rng = Rng.forCase(seed, index, 1);
  const file = pickFile(fixture, rng);
  const { text, applied } = mutate(fixture.pristine.get(file)!, rng);
  const fuzzCase: FuzzCase = { index, fixture: fixture.name, file: path.relative(fixture.root, file), applied, text };
  const problems: string[] = [];
  const workspace = fixture.validator.workspace;
  fixture.source.set(file, text);
  workspace.invalidate(file);
  fixture.logs.length = 0;
  const started = performance.now();
  try {
    const diagnostics = fixture.validator.diagnostics();
    for (const [filePath, list] of diagnostics) {
      const documentText = fixture.source.files.get(filePath);
      if (documentText === undefined) {
        problems.push(`a diagnostic for ${filePath}, which is not a file of the workspace`);
        continue;
      }
      const lines = linesOf(documentText);
      for (const d of list) {
        const outside = rangeInside(lines, d.range);
        if (outside) problems.push(`${d.code} in ${path.basename(filePath)}: ${outside}`);
        for (const related of d.related) {
          const relatedText = fixture.source.files.get(related.path);
          const relatedOutside = relatedText === undefined ? `${related.path} is not a file` : rangeInside(relatedText, related.range);
          if (relatedOutside) problems.push(`related location of ${d.code}: ${relatedOutside}`);
        }
        // Quick fixes are computed on the same text: each edit must land inside its document too.
        for (const fix of fixture.validator.fixes(d)) {
          for (const change of fix.changes) {
            const changedText = fixture.source.files.get(change.path);
            for (const edit of change.edits) {
              const editOutside = changedText === undefined ? `${change.path} is not a file` : rangeInside(changedText, edit.range);
              if (editOutside) problems.push(`fix "${fix.title}" of ${d.code}: ${editOutside}`);
            }
          }
        }
      }
    }
    // Stage lenses and moves read the same files.
    const kustomization = workspace.file(file)?.kustomization;
    const model = kustomization && stageModel(workspace, kustomization);
    if (model) for (const target of reachableTargets(model)) planMove(model, target);
  } catch (error) {
    problems.push(`crashed: ${brief((error as Error).stack ?? String(error))}`);
  }
  const ms = performance.now() - started;
  if (ms > PER_CASE_MS) problems.push(`took ${Math.round(ms)} ms`);
  problems.push(...fixture.logs.map((log) => `logged: ${brief(log)}`));
  fixture.source.set(file, fixture.pristine.get(file)!);
  workspace.invalidate(file);
  return { problems, fuzzCase, ms };
}

/** A message and the first frames of its stack: enough to find the bug, short enough to list twenty. */
function brief(text: string): string {
  return text.split('\n').slice(0, 4).join(' | ');
}

describe('engine fuzzing', () => {
  test(`${MUTATIONS} mutations of the fixture files: no crash, no rule crash, no slow file, every range inside its document`, (t) => {
    const seed = fuzzSeed();
    const names = caseNames();
    const fixtures = new Map<string, Fixture>();
    const failures: string[] = [];
    let slowest = 0;
    const indexes = fuzzCases(MUTATIONS);
    for (const index of indexes) {
      const name = names[Rng.forCase(seed, index, 0).int(names.length)];
      let fixture = fixtures.get(name);
      if (!fixture) fixtures.set(name, (fixture = loadFixture(name)));
      const { problems, fuzzCase, ms } = runCase(fixture, index, seed);
      slowest = Math.max(slowest, ms);
      if (problems.length > 0 || indexes.length === 1) {
        const report = `case ${index} (${fuzzCase.fixture}/${fuzzCase.file}, ${fuzzCase.applied.join(' + ')}): ${problems.join('; ') || 'no problem'}`;
        if (indexes.length === 1) console.log(`${report}\n--- mutated text ---\n${fuzzCase.text}\n---`);
        if (problems.length > 0) failures.push(report);
      }
      if (failures.length >= 20) break;
    }
    assert.deepEqual(failures, [], `seed ${seed}: replay one with MESH_FUZZ_SEED=${seed} MESH_FUZZ_CASE=<index> node --test out/test/unit/fuzz.test.js`);
    assert.ok(indexes.length === 1 || indexes.length >= MUTATIONS, `ran ${indexes.length} mutations`);
    t.diagnostic(`seed ${seed}: ${indexes.length} mutations, the slowest validated in ${Math.round(slowest)} ms`);
  });
});
