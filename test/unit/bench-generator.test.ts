import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { allRules, DiskFileSource, Validator, Workspace } from '../../server/src/engine';
import { REPO } from '../support/cases';

interface Expected {
  file: string;
  code: string;
  count: number;
}

interface Generator {
  DIALECTS: string[];
  generate(options: { n: number; out: string; seed: number; brokenEvery: number; dialect: string }): {
    expected: Expected[];
    apps: { dialect: string; stage: string }[];
  };
}

const roots: string[] = [];
after(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

/**
 * `npm run bench` waits, after a cold start, until every file of the generator's manifest shows its
 * expected diagnostics: a manifest that says more than the engine reports makes it wait in vain, one
 * that says less measures before the work is done. So the engine's diagnostics of a generated tree,
 * per file and code, must be exactly the manifest's.
 */
describe('benchmark generator', async () => {
  const generator = (await import(pathToFileURL(path.join(REPO, 'scripts', 'bench', 'generate.mjs')).href)) as Generator;
  const known = new Set(allRules.map((rule) => rule.code));

  for (const dialect of generator.DIALECTS) {
    test(`the ${dialect} tree gets exactly the diagnostics its manifest expects`, (t) => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), `mesh-bench-${dialect}-`));
      roots.push(root);
      // 40 applications: every stage, and in a mixed tree every dialect, several times; every 7th broken.
      const manifest = generator.generate({ n: 40, out: root, seed: 5, brokenEvery: 7, dialect });
      const unknown = [...new Set(manifest.expected.map((e) => e.code))].filter((code) => !known.has(code));
      if (unknown.length > 0) {
        // The bench skips such a tree too; App Mesh and Gateway API trees expect rules that exist.
        assert.ok(
          manifest.apps.some((a) => a.dialect === 'istio'),
          `only Istio expectations may name rules still to come: ${unknown.join(', ')}`,
        );
        t.skip(`this build has no rule ${unknown.join(', ')}`);
        return;
      }
      const reported = new Map<string, number>();
      for (const [file, diagnostics] of new Validator(new Workspace(new DiskFileSource(), [root])).diagnostics()) {
        for (const d of diagnostics) {
          const key = `${path.relative(root, file)} ${d.code}`;
          reported.set(key, (reported.get(key) ?? 0) + 1);
        }
      }
      const lines = (entries: Iterable<[string, number]>): string[] => [...entries].map(([key, count]) => `${key} ×${count}`).sort();
      assert.deepEqual(lines([...reported]), lines(manifest.expected.map((e) => [`${path.relative(root, e.file)} ${e.code}`, e.count])));
      assert.ok(
        manifest.expected.some((e) => e.file.endsWith('router-v1-95-v2-5.yaml')),
        'the tree has broken applications',
      );
    });
  }
});
