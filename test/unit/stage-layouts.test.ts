import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseKustomization, Workspace } from '../../server/src/engine';
import { applyEdits } from '../../server/src/engine/edits';
import { planMove, reachableTargets, stageModel, stageName, StageTarget } from '../../server/src/engine/stages';
import { parseYaml } from '../../server/src/engine/yaml';
import { fuzzCases, fuzzSeed, Rng } from '../support/fuzz';
import { caseFiles, MemoryFileSource } from '../support/memoryFiles';

/**
 * Property test of stage moves over generated kustomization layouts: comments everywhere, blank
 * lines, CRLF, quoted entries, every disabled-entry shape, with or without a final newline, other
 * top-level keys before and after `resources`. Each move touches only the entry lines it toggles,
 * keeps every line end, lands on its stage, and moving back restores the file byte for byte.
 * (stages.test.ts covers every pair of seed stages in hand-written layouts.)
 *
 * Replay one layout: MESH_FUZZ_SEED=<seed> MESH_FUZZ_CASE=<index> node --test out/test/unit/stage-layouts.test.js
 */
const LAYOUTS = 1000;

const SEED_STAGES: [string, StageTarget][] = [
  ['stage-bluegreen-1-blue', { kind: 'blue' }],
  ['stage-bluegreen-2-blue-green', { kind: 'blue-green' }],
  ['stage-bluegreen-3-green-v1-standby', { kind: 'green' }],
  ['stage-bluegreen-4-green', { kind: 'green-final' }],
  ['stage-canary-2-v2-5', { kind: 'canary', percent: 5 }],
  ['stage-canary-3-v2-95', { kind: 'canary', percent: 95 }],
];

const enabledOf = (text: string): string[] =>
  parseKustomization('/x/kustomization.yaml', parseYaml(text))
    .entries.filter((e) => e.enabled && e.field === 'resources')
    .map((e) => e.value)
    .sort();

/** The files each seed stage enables. */
const STAGES = SEED_STAGES.map(([name, stage]) => ({ name, stage, enabled: new Set(enabledOf(caseFiles(name).get('kustomization.yaml')!)) }));
const ENTRIES = [
  ...new Set(
    caseFiles('stage-canary-2-v2-5')
      .get('kustomization.yaml')!
      .match(/dj-[\w.-]+\.yaml/g),
  ),
];

/** Shapes of a disabled entry, given the indent of the active ones: at the indent, or the hash at column 0. */
const DISABLED_SHAPES = [
  (indent: string) => `${indent}#- `,
  (indent: string) => `${indent}# - `,
  (indent: string) => `${indent}# `,
  (indent: string) => `${indent}##- `,
  (indent: string) => `${indent}#-`,
  (indent: string) => `${indent}#  - `,
  (indent: string) => `#${indent}- `,
  (indent: string) => `# ${indent}- `,
];

const PROSE = [
  '# the DJ app, v1 and v2',
  '### versions',
  '### routers: exactly one enabled',
  '# see the rollout runbook before changing',
  '#',
  '# TODO remove v1 after the rollout',
  '#   indented prose',
];
const HEADERS = ['apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization', 'kind: Kustomization\napiVersion: kustomize.config.k8s.io/v1beta1'];
const BEFORE_KEYS = [
  'namespace: ${example_namespace}',
  'labels:\n- pairs:\n    app: dj # the label every object gets',
  "commonAnnotations:\n  owner: 'mesh-team'",
];
const AFTER_KEYS = [
  'images:\n- name: dj\n  newTag: v2 # pinned',
  'patches:\n- path: dj-replicas.yaml\n#- path: dj-debug.yaml',
  '#components:\n#- ../components/debug',
  'configMapGenerator:\n- name: dj-settings\n  literals:\n  - LOG_LEVEL=info',
];

interface Layout {
  text: string;
  description: string;
}

/** One kustomization at a stage, in a random layout that uses one disabled shape throughout. */
function generate(rng: Rng, enabled: Set<string>): Layout {
  const eol = rng.chance(0.3) ? '\r\n' : '\n';
  const indent = rng.pick(['', '', '  ', '    ']);
  const dash = rng.pick(['- ', '- ', '- ', '-  ']);
  const shapeIndex = rng.int(DISABLED_SHAPES.length);
  const disabled = DISABLED_SHAPES[shapeIndex](indent);
  const quote = rng.pick(['', '', '"', "'", 'mixed']);
  const finalNewline = rng.chance(0.7);
  const lines: string[] = [];
  const comment = (): void => {
    if (rng.chance(0.3)) lines.push(rng.chance(0.5) ? '' : rng.pick(PROSE));
  };
  if (rng.chance(0.5)) lines.push('# Rollout of the DJ app: one stage per commit');
  const before = rng.shuffle([...BEFORE_KEYS]).slice(0, rng.int(BEFORE_KEYS.length + 1));
  if (rng.chance(0.7)) before.splice(rng.int(before.length + 1), 0, rng.pick(HEADERS));
  for (const key of before) {
    lines.push(...key.split('\n'));
    comment();
  }
  lines.push(rng.chance(0.2) ? 'resources: # what runs' : 'resources:');
  comment();
  const entries = rng.chance(0.5) ? rng.shuffle([...ENTRIES]) : [...ENTRIES];
  for (const name of entries) {
    if (rng.chance(0.15)) lines.push(`${indent}${rng.pick(PROSE).replace(/^#/, '#')}`);
    if (rng.chance(0.1)) lines.push('');
    const q = quote === 'mixed' ? rng.pick(['', '"', "'"]) : quote;
    const trailing = rng.chance(0.25) ? `${' '.repeat(rng.between(1, 4))}# ${rng.pick(['blue', 'canary 5 %', 'keep for rollback', 'v2'])}` : '';
    lines.push(`${enabled.has(name) ? indent + dash : disabled}${q}${name}${q}${trailing}`);
  }
  comment();
  for (const key of rng.shuffle([...AFTER_KEYS]).slice(0, rng.int(AFTER_KEYS.length + 1))) {
    lines.push(...key.split('\n'));
    comment();
  }
  const text = lines.join(eol) + (finalNewline ? eol : '');
  const description = `eol ${JSON.stringify(eol)}, indent ${JSON.stringify(indent)}, dash ${JSON.stringify(dash)}, disabled ${JSON.stringify(disabled)}, quote ${JSON.stringify(quote)}, final newline ${finalNewline}`;
  return { text, description };
}

/** Lines with their terminators, so a changed line end shows. */
const linesWithEnds = (text: string): string[] => text.match(/[^\r\n]*(\r\n|\r|\n|$)/g)!.filter((line, i, all) => line !== '' || i < all.length - 1);

describe('stage moves over generated layouts', () => {
  test(`${LAYOUTS} layouts: every move touches only the entries it toggles, lands on its stage, and moving back restores every byte`, (t) => {
    const seed = fuzzSeed();
    const root = path.resolve('/mesh-layouts');
    const kustomizationPath = path.join(root, 'kustomization.yaml');
    const source = new MemoryFileSource([...caseFiles('stage-canary-2-v2-5')].map(([rel, text]) => [path.join(root, rel), text]));
    const workspace = new Workspace(source, [root]);
    const modelOf = (text: string) => {
      source.set(kustomizationPath, text);
      workspace.invalidate(kustomizationPath);
      const kustomization = workspace.file(kustomizationPath)!.kustomization!;
      return { kustomization, model: stageModel(workspace, kustomization) };
    };
    const move = (text: string, target: StageTarget): string | undefined => {
      const { kustomization, model } = modelOf(text);
      const plan = model && planMove(model, target);
      return plan && applyEdits(text, plan.edits, (p) => kustomization.parsed.lines.offsetAt(p));
    };

    const failures: string[] = [];
    let moves = 0;
    const indexes = fuzzCases(LAYOUTS);
    for (const index of indexes) {
      const rng = Rng.forCase(seed, index, 3);
      const from = rng.pick(STAGES);
      const layout = generate(rng, from.enabled);
      const problems: string[] = [];
      const { kustomization, model } = modelOf(layout.text);
      if (kustomization.parsed.syntaxErrors.length > 0) problems.push(`the layout is not valid YAML: ${kustomization.parsed.syntaxErrors[0].message}`);
      if (!model || stageName(model.state.stage ?? { kind: 'blue' }) !== stageName(from.stage) || !model.state.stage) {
        problems.push(`reads as "${model?.state.label}", not ${stageName(from.stage)}`);
      } else {
        if (enabledOf(layout.text).join() !== [...from.enabled].sort().join()) problems.push('the layout changed which entries are enabled');
        const entryLines = new Map(kustomization.entries.filter((e) => e.field === 'resources').map((e) => [e.line, e]));
        for (const target of reachableTargets(model)) {
          moves++;
          const name = stageName(target);
          const moved = move(layout.text, target);
          if (moved === undefined) {
            problems.push(`no plan for ${name}`);
            continue;
          }
          const before = linesWithEnds(layout.text);
          const after = linesWithEnds(moved);
          if (after.length !== before.length) problems.push(`→ ${name}: ${before.length} lines became ${after.length}`);
          const toStage = STAGES.find((s) => stageName(s.stage) === name);
          before.forEach((line, i) => {
            if (line === after[i]) return;
            const entry = entryLines.get(i);
            if (!entry) problems.push(`→ ${name}: line ${i + 1} is no entry, yet changed: ${JSON.stringify(line)} → ${JSON.stringify(after[i])}`);
            else if (toStage && toStage.enabled.has(entry.value) === entry.enabled) problems.push(`→ ${name}: ${entry.value} changed without being toggled`);
            if (line.match(/(\r\n|\r|\n)?$/)![0] !== (after[i] ?? '').match(/(\r\n|\r|\n)?$/)![0])
              problems.push(`→ ${name}: the line end of line ${i + 1} changed`);
          });
          const landed = modelOf(moved).model?.state.stage;
          if (!landed || stageName(landed) !== name) problems.push(`→ ${name} lands on ${landed ? stageName(landed) : 'no stage'}`);
          if (toStage && enabledOf(moved).join() !== [...toStage.enabled].sort().join()) problems.push(`→ ${name} enables ${enabledOf(moved).join(', ')}`);
          const back = move(moved, from.stage);
          if (back !== layout.text) {
            const differing = linesWithEnds(layout.text).flatMap((line, i) =>
              line === linesWithEnds(back ?? '')[i] ? [] : [`${JSON.stringify(line)} → ${JSON.stringify(linesWithEnds(back ?? '')[i])}`],
            );
            problems.push(`→ ${name} → back does not restore the file: ${differing.slice(0, 3).join('; ')}`);
          }
        }
      }
      if (problems.length > 0 || indexes.length === 1) {
        const report = `layout ${index} (${from.name}; ${layout.description}): ${problems.join('; ') || 'no problem'}`;
        if (indexes.length === 1) console.log(`${report}\n--- layout ---\n${layout.text}\n---`);
        if (problems.length > 0) failures.push(report);
      }
      if (failures.length >= 10) break;
    }
    assert.deepEqual(
      failures,
      [],
      `seed ${seed}: replay one with MESH_FUZZ_SEED=${seed} MESH_FUZZ_CASE=<index> node --test out/test/unit/stage-layouts.test.js`,
    );
    assert.ok(indexes.length === 1 || moves >= LAYOUTS * 3, `${moves} moves`);
    t.diagnostic(`seed ${seed}: ${indexes.length} layouts, ${moves} moves, each moved back`);
  });
});
