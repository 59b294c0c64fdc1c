import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Finding, Validator, Workspace } from '../../server/src/engine';
import { fuzzCases, fuzzSeed, Rng } from '../support/fuzz';
import { generatedRepository } from '../support/generated';
import { MemoryFileSource } from '../support/memoryFiles';

/**
 * The validator reuses builds, build parts and file results between validations. After every edit
 * of a seeded sequence on a generated multi-team repository, what it reports must equal what a
 * fresh validator reports for the same files: reuse may only save work, never change a finding.
 *
 * Replay one sequence: MESH_FUZZ_SEED=<seed> MESH_FUZZ_CASE=<index> node --test out/test/unit/incremental.test.js
 */
const SEQUENCES = 6;
const EDITS_PER_SEQUENCE = 40;

function picture(findings: Map<string, Finding[]>): string[] {
  const lines: string[] = [];
  for (const [file, list] of findings) {
    for (const f of list) lines.push(`${file}:${f.range.start.line}:${f.range.start.character} ${f.code} ${f.message} ${JSON.stringify(f.related ?? [])}`);
  }
  return lines.sort();
}

type Edit = (source: MemoryFileSource, rng: Rng) => string[];

function pick<T>(rng: Rng, items: T[]): T {
  return items[rng.int(items.length)];
}

const filesNamed = (source: MemoryFileSource, pattern: RegExp): string[] => [...source.files.keys()].filter((p) => pattern.test(p)).sort();

function rewrite(source: MemoryFileSource, file: string, change: (text: string) => string): string[] {
  source.set(file, change(source.files.get(file) ?? ''));
  return [file];
}

function toggleLine(source: MemoryFileSource, rng: Rng, file: string): string[] {
  return rewrite(source, file, (text) => {
    const lines = text.split('\n');
    const index = rng.int(lines.length);
    lines[index] = lines[index].startsWith('#') ? lines[index].slice(1) : `#${lines[index]}`;
    return lines.join('\n');
  });
}

/** Edits users make, and a few that make namespaces see each other (which changes how builds are split). */
const EDITS: Record<string, Edit> = {
  toggleEntry(source, rng) {
    const file = pick(rng, filesNamed(source, /app-\d+\/kustomization\.yaml$/));
    return rewrite(source, file, (text) => {
      const lines = text.split('\n');
      const entries = lines.map((l, i) => [l, i] as const).filter(([l]) => /^#?- /.test(l));
      const [line, index] = pick(rng, entries);
      lines[index] = line.startsWith('#') ? line.slice(1) : `#${line}`;
      return lines.join('\n');
    });
  },
  toggleApp: (source, rng) => toggleLine(source, rng, pick(rng, filesNamed(source, /teams\/team-\d+\/kustomization\.yaml$/))),
  toggleLine: (source, rng) => toggleLine(source, rng, pick(rng, filesNamed(source, /kustomization\.yaml$/))),
  shareNamespace(source, rng) {
    const file = pick(rng, filesNamed(source, /app-\d+\/kustomization\.yaml$/));
    const other = pick(rng, ['app-00000', 'app-00001', 'shared']);
    return rewrite(source, file, (text) => text.replace(/^namespace: .*$/m, `namespace: ${other}`));
  },
  dropNamespace(source, rng) {
    const file = pick(rng, filesNamed(source, /app-\d+\/kustomization\.yaml$/));
    return rewrite(source, file, (text) => text.replace(/^namespace: (.*)$/m, '#namespace: $1'));
  },
  restoreNamespace(source, rng) {
    const file = pick(rng, filesNamed(source, /app-\d+\/kustomization\.yaml$/));
    const app = /app-\d+/.exec(file)![0];
    return rewrite(source, file, (text) => text.replace(/^#?namespace: .*$/m, `namespace: ${app}`));
  },
  prefix(source, rng) {
    const file = pick(rng, filesNamed(source, /app-\d+\/kustomization\.yaml$/));
    return rewrite(source, file, (text) =>
      text.includes('namePrefix') ? text.replace(/^namePrefix: .*\n/m, '') : text.replace(/^kind: Kustomization$/m, 'kind: Kustomization\nnamePrefix: x-'),
    );
  },
  weight(source, rng) {
    const file = pick(rng, filesNamed(source, /router-[^/]*\.yaml$/));
    return rewrite(source, file, (text) => text.replace(/weight: \d+/, `weight: ${pick(rng, [0, 5, 50, 95, 100, 120])}`));
  },
  retarget(source, rng) {
    const file = pick(rng, filesNamed(source, /router-[^/]*\.yaml$/));
    return rewrite(source, file, (text) => text.replace(/name: (\w+)-v(\d)\n/, (_m, svc: string) => `name: ${svc}-v${pick(rng, [1, 2, 3])}\n`));
  },
  explicitNamespace(source, rng) {
    const file = pick(rng, filesNamed(source, /router-[^/]*\.yaml$/));
    return rewrite(source, file, (text) => text.replace(/( +)name: (\w+-v\d)\n/, `$1name: $2\n$1namespace: ${pick(rng, ['app-00000', 'app-00003'])}\n`));
  },
  deleteFile(source, rng) {
    const file = pick(rng, filesNamed(source, /-v\d\.yaml$|router-[^/]*\.yaml$|frontend\.yaml$/));
    source.delete(file);
    return [file, path.dirname(file)];
  },
  createFile(source, rng) {
    const dir = path.dirname(pick(rng, filesNamed(source, /app-\d+\/kustomization\.yaml$/)));
    const file = path.join(dir, `${pick(rng, ['metal', 'jazz', 'rock'])}-v${pick(rng, [1, 2, 3])}.yaml`);
    const existed = source.files.has(file);
    source.set(file, `apiVersion: appmesh.k8s.aws/v1beta2\nkind: VirtualNode\nmetadata:\n  name: ${path.basename(file, '.yaml')}\nspec:\n  listeners: []\n`);
    return existed ? [file] : [file, dir];
  },
  brokenYaml(source, rng) {
    const file = pick(rng, filesNamed(source, /\.yaml$/));
    return rewrite(source, file, (text) => (text.includes('{{broken') ? text.replace('{{broken: [\n', '') : `{{broken: [\n${text}`));
  },
};

describe('incremental validation', () => {
  test('after each edit, the reusing validator reports exactly what a fresh one reports', async () => {
    // 30 applications: two teams, every stage, and some deliberately broken ones.
    const { root, files } = await generatedRepository({ n: 30, seed: 7, brokenEvery: 6 }, path.resolve('/mesh-incremental'));
    const seed = fuzzSeed();
    const names = Object.keys(EDITS);
    const counts = { edits: 0, findingsSeen: 0 };
    for (const index of fuzzCases(SEQUENCES)) {
      const rng = Rng.forCase(seed, index, 11);
      const source = new MemoryFileSource(files);
      const workspace = new Workspace(source, [root]);
      const validator = new Validator(workspace);
      validator.findings();
      for (let step = 0; step < EDITS_PER_SEQUENCE; step++) {
        const name = pick(rng, names);
        for (const changed of EDITS[name](source, rng)) workspace.invalidate(changed);
        const incremental = picture(validator.findings());
        const fresh = picture(new Validator(new Workspace(source, [root])).findings());
        assert.deepEqual(incremental, fresh, `seed ${seed}, sequence ${index}, step ${step} (${name})`);
        counts.edits++;
        counts.findingsSeen += fresh.length;
      }
    }
    assert.ok(counts.findingsSeen > counts.edits, `the sequences should produce findings to compare (${counts.findingsSeen})`);
  });
});
