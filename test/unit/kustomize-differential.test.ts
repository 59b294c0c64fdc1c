import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { buildKustomization, DiskFileSource, Validator, Workspace } from '../../server/src/engine';
import { caseNames, materialize } from '../support/cases';

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const kubectlMissing = kubectl.error ? 'kubectl is not installed: the differential test against `kubectl kustomize` did not run' : false;

function kustomize(dir: string): { ok: boolean; ids: string[]; stderr: string } {
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (result.status !== 0) return { ok: false, ids: [], stderr: result.stderr };
  const ids = parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } } | null)
    .filter((o) => o?.kind)
    .map((o) => `${o!.kind}/${o!.metadata?.namespace ?? ''}/${o!.metadata?.name ?? ''}`);
  return { ok: true, ids: ids.sort(), stderr: '' };
}

/**
 * For every fixture tree kustomize can build, the objects the engine considers running are exactly
 * the kind/namespace/name set of `kubectl kustomize`, and no file has a YAML syntax error; where the
 * fixture says kustomize fails, it does.
 */
describe('engine against kubectl kustomize', { skip: kubectlMissing }, () => {
  for (const name of caseNames()) {
    test(name, () => {
      const fixture = materialize(name);
      try {
        const workspace = new Workspace(new DiskFileSource(), [fixture.root]);
        const roots = new Validator(workspace).roots();
        assert.ok(roots.length > 0, 'the case has a kustomization to build');
        const outcomes = roots.map((root) => ({ root, result: kustomize(path.dirname(root.path)) }));
        if (fixture.kustomizeFails) {
          assert.ok(
            outcomes.some((o) => !o.result.ok),
            'the case is marked kustomize-fails, yet kubectl kustomize built every root',
          );
          return;
        }
        for (const { root, result } of outcomes) {
          assert.ok(result.ok, `kubectl kustomize ${path.relative(fixture.root, path.dirname(root.path)) || '.'} failed: ${result.stderr}`);
          const engine = buildKustomization(workspace, root)
            .objects.map((o) => `${o.kind}/${o.namespace}/${o.name}`)
            .sort();
          assert.deepEqual(engine, result.ids, `running objects of ${path.relative(fixture.root, root.path)}`);
        }
        // What kustomize reads, we read: no file a build it accepts reads has a YAML syntax error.
        const read = new Set<string>();
        for (const root of roots) {
          const build = buildKustomization(workspace, root);
          for (const kustomization of build.kustomizations) read.add(kustomization.path);
          for (const { entry, target } of build.entries) if (entry.enabled && target.type === 'file') read.add(target.path);
        }
        const syntaxErrors = [...new Validator(workspace).diagnostics().values()].flat().filter((d) => d.code === 'yaml-syntax' && read.has(d.path));
        assert.deepEqual(
          syntaxErrors.map((d) => `${path.relative(fixture.root, d.path)}:${d.range.start.line + 1} ${d.message}`),
          [],
          'kubectl kustomize builds the case, so no file it reads has a yaml-syntax error',
        );
      } finally {
        fs.rmSync(fixture.root, { recursive: true, force: true });
      }
    });
  }
});
