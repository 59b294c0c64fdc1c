import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { allRules, Diagnostic, DiskFileSource, LineIndex, Validator, Workspace } from '../../server/src/engine';
import { applyEdits } from '../../server/src/engine/edits';
import { CodeFix } from '../../server/src/engine/fixes';
import { caseNames, materialize } from '../support/cases';

function validate(root: string, options: Record<string, unknown> = {}): { validator: Validator; diagnostics: Diagnostic[] } {
  const validator = new Validator(new Workspace(new DiskFileSource(), [root]));
  return { validator, diagnostics: [...validator.diagnostics(() => ({ options })).values()].flat() };
}

function apply(fix: CodeFix): Map<string, string> {
  const originals = new Map<string, string>();
  for (const change of fix.changes) {
    const text = fs.readFileSync(change.path, 'utf8');
    originals.set(change.path, text);
    const lines = new LineIndex(text);
    fs.writeFileSync(
      change.path,
      applyEdits(text, change.edits, (p) => lines.offsetAt(p)),
    );
  }
  return originals;
}

const count = (diagnostics: Diagnostic[], code: string, file: string): number => diagnostics.filter((d) => d.code === code && d.path === file).length;
const structural = (diagnostics: Diagnostic[]): string[] =>
  diagnostics.filter((d) => d.code === 'yaml-syntax' || d.code === 'schema').map((d) => `${path.basename(d.path)}:${d.range.start.line + 1} ${d.code}`);

/** Codes whose findings have no automatic repair: the user must decide, or nothing can be changed here. */
const WITHOUT_FIXES = new Set([
  'yaml-syntax',
  'remote-resource',
  'load-restrictor',
  'empty-kustomization',
  'multiple-kustomization-files',
  'too-many-targets',
  'virtual-service-provider-unknown',
  'entry-outside-workspace',
  'file-too-large',
  // Nothing needs repair: kustomize reads it, and such files are usually generated (CRDs).
  'yaml-outside-spec',
  // A fix edits files and cannot create one (the ReferenceGrant); which route should give way is the user's call.
  'reference-grant-missing',
  'routes-overlap',
  // What VPC Lattice refuses or ignores: rewriting matches, backends or routes is a design choice.
  'lattice-too-many-backends',
  'lattice-multiple-matches',
  'lattice-path-match-type',
  'lattice-query-param-match',
  'lattice-too-many-header-matches',
  'lattice-header-match-type',
  'lattice-ignored-field',
  'lattice-backend-kind',
  'lattice-unsupported-route-kind',
  'lattice-policy-namespace',
  // Gateway API CEL rules where the repair is the user's choice (which match to move, which timeout, which sectionName, which name).
  'route-limits',
  'route-timeouts',
  'parent-refs-distinct',
  'grpc-method-match',
  'tls-route-hostname',
  'gateway-listeners',
  // A note, not a problem: the controller owns the weights.
  'weights-set-by-controller',
  // Istio: which host was meant, and which rule should come first, are the user's call.
  'destination-rule-host-unknown',
  'unreachable-route-rule',
]);

describe('quick fixes', () => {
  const fixed = new Set<string>();

  for (const name of caseNames()) {
    test(`every fix of ${name} clears its diagnostic and breaks nothing`, () => {
      const { root, ruleOptions } = materialize(name);
      const { validator, diagnostics } = validate(root, ruleOptions);
      const structuralBefore = structural(diagnostics);
      for (const diagnostic of diagnostics) {
        for (const fix of validator.fixes(diagnostic)) {
          const originals = apply(fix);
          try {
            const after = validate(root, ruleOptions).diagnostics;
            assert.ok(
              count(after, diagnostic.code, diagnostic.path) < count(diagnostics, diagnostic.code, diagnostic.path),
              `"${fix.title}" clears ${diagnostic.code} in ${path.basename(diagnostic.path)}`,
            );
            const introduced = structural(after).filter((d) => !structuralBefore.includes(d));
            assert.deepEqual(introduced, [], `"${fix.title}" introduces no YAML or schema error`);
            fixed.add(diagnostic.code);
          } finally {
            for (const [file, text] of originals) fs.writeFileSync(file, text);
          }
        }
      }
      fs.rmSync(root, { recursive: true, force: true });
    });
  }

  test('every other rule offers a working fix in some fixture', () => {
    const missing = allRules.map((r) => r.code).filter((code) => !WITHOUT_FIXES.has(code) && !fixed.has(code));
    assert.deepEqual(missing, []);
  });
});

describe('fix titles', () => {
  const titles = (caseName: string, code: string): string[] => {
    const { root } = materialize(caseName);
    const { validator, diagnostics } = validate(root);
    return diagnostics.filter((d) => d.code === code).flatMap((d) => validator.fixes(d).map((f) => `${f.title}${f.isPreferred ? ' (preferred)' : ''}`));
  };

  test('router to versions that are not running: enable their files, or switch to a router whose targets run', () => {
    const offered = titles('router-to-disabled-v2', 'router-target-not-running');
    assert.ok(offered.includes('Enable dj-app-mesh-metal-v2.yaml and dj-app-mesh-jazz-v2.yaml'), JSON.stringify(offered));
    assert.ok(offered.includes('Switch router to dj-mesh-router-v1.yaml'), JSON.stringify(offered));
  });

  test('two routers: keep only one; no router: enable one; typo: the closest name, preferred', () => {
    assert.deepEqual([...new Set(titles('two-routers-enabled', 'duplicate-object'))].sort(), [
      'Keep only dj-mesh-router-v1-95-v2-5.yaml',
      'Keep only dj-mesh-router-v1.yaml',
    ]);
    assert.ok(titles('no-router-enabled', 'virtual-service-provider-not-running').includes('Enable dj-mesh-router-v1.yaml (preferred)'));
    assert.deepEqual(titles('router-file-name-typo', 'missing-resource')[0], 'Change to dj-mesh-router-v1-95-v2-5.yaml (preferred)');
  });

  test('no router enabled: each router file is offered on each commented router entry, the least move preferred', () => {
    const onEntries = (edit?: (text: string) => string): string[][] => {
      const { root } = materialize('no-router-enabled');
      const kustomization = path.join(root, 'kustomization.yaml');
      if (edit) fs.writeFileSync(kustomization, edit(fs.readFileSync(kustomization, 'utf8')));
      const { validator, diagnostics } = validate(root);
      return diagnostics
        .filter((d) => d.code === 'virtual-service-provider-not-running' && d.path === kustomization)
        .map((d) => validator.fixes(d).map((f) => `${f.title}${f.isPreferred ? ' (preferred)' : ''}`));
    };
    // v1 runs: its router, alone with targets that all run; the others with the v2 files they need.
    const v1 = onEntries();
    assert.equal(v1.length, 4);
    for (const offered of v1) {
      assert.deepEqual(offered, [
        'Enable dj-mesh-router-v1.yaml (preferred)',
        'Enable dj-mesh-router-v1-95-v2-5.yaml with dj-app-mesh-metal-v2.yaml and dj-app-mesh-jazz-v2.yaml',
        'Enable dj-mesh-router-v1-5-v2-95.yaml with dj-app-mesh-metal-v2.yaml and dj-app-mesh-jazz-v2.yaml',
        'Enable dj-mesh-router-v2.yaml with dj-app-mesh-metal-v2.yaml and dj-app-mesh-jazz-v2.yaml',
      ]);
    }
    // v1 and v2 run: every router file fits; the one sending most traffic to v1 (blue/green) is preferred.
    const both = onEntries((text) =>
      text.replace('#- dj-app-mesh-metal-v2.yaml', '- dj-app-mesh-metal-v2.yaml').replace('#- dj-app-mesh-jazz-v2.yaml', '- dj-app-mesh-jazz-v2.yaml'),
    );
    assert.deepEqual(both[0], [
      'Enable dj-mesh-router-v1.yaml (preferred)',
      'Enable dj-mesh-router-v1-95-v2-5.yaml',
      'Enable dj-mesh-router-v1-5-v2-95.yaml',
      'Enable dj-mesh-router-v2.yaml',
    ]);
    // Only v2 runs: its router.
    const v2 = onEntries((text) =>
      text
        .replace('- dj-app-mesh-metal-v1.yaml', '#- dj-app-mesh-metal-v1.yaml')
        .replace('- dj-app-mesh-jazz-v1.yaml', '#- dj-app-mesh-jazz-v1.yaml')
        .replace('#- dj-app-mesh-metal-v2.yaml', '- dj-app-mesh-metal-v2.yaml')
        .replace('#- dj-app-mesh-jazz-v2.yaml', '- dj-app-mesh-jazz-v2.yaml'),
    );
    assert.equal(v2[0][0], 'Enable dj-mesh-router-v2.yaml (preferred)');
    // A version without traffic for want of a router: only the router files that send it traffic
    // (not dj-mesh-router-v2.yaml), for metal-v1 and for jazz-v1.
    const forVersion = [
      'Enable dj-mesh-router-v1.yaml (preferred)',
      'Enable dj-mesh-router-v1-95-v2-5.yaml with dj-app-mesh-metal-v2.yaml and dj-app-mesh-jazz-v2.yaml',
      'Enable dj-mesh-router-v1-5-v2-95.yaml with dj-app-mesh-metal-v2.yaml and dj-app-mesh-jazz-v2.yaml',
    ];
    assert.deepEqual(titles('no-router-enabled', 'version-without-traffic'), [...forVersion, ...forVersion]);
  });

  test('weights are scaled to 100 in the same proportions', () => {
    assert.deepEqual(titles('weights-90-5', 'weight-total-not-100'), ['Scale weights to 100 (95/5) (preferred)']);
    assert.deepEqual(titles('weights-95-55', 'weight-total-over-100').slice(0, 1), ['Scale weights to 100 (63/37)']);
  });

  test('schema typos: the closest key or value', () => {
    const offered = titles('schema-typos-mesh', 'schema');
    assert.ok(offered.includes('Rename to `weightedTargets` (preferred)'), JSON.stringify(offered));
    assert.ok(offered.includes('Change to `http` (preferred)'), JSON.stringify(offered));
  });
});
