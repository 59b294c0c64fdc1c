import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { REPO } from '../support/cases';

const CLI = path.join(REPO, 'dist', 'cli.js');

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd, stdio: 'ignore' });
}

function diff(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'diff', ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A repository holding examples/dj as dj/, committed on main. */
function repository(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-diff-'));
  fs.cpSync(path.join(REPO, 'examples', 'dj'), path.join(root, 'dj'), { recursive: true });
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'add', '.');
  git(root, 'commit', '-qm', 'canary 5 %');
  return root;
}

function edit(root: string, change: (text: string) => string): void {
  const file = path.join(root, 'dj', 'kustomization.yaml');
  fs.writeFileSync(file, change(fs.readFileSync(file, 'utf8')));
}

const toCanary95 = (t: string): string =>
  t
    .replace(/^- dj-mesh-router-v1-95-v2-5\.yaml$/m, '#- dj-mesh-router-v1-95-v2-5.yaml')
    .replace(/^#- dj-mesh-router-v1-5-v2-95\.yaml$/m, '- dj-mesh-router-v1-5-v2-95.yaml');

describe('mesh-kustomize diff', () => {
  test('an uncommitted stage change against the working tree names the splits', () => {
    const root = repository();
    edit(root, toCanary95);
    const result = diff(root);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^dj\/kustomization\.yaml: canary 5 % → canary 95 %$/m);
    assert.match(result.stdout, /^ {2}metal: 95\/5 → 5\/95 \(canary 5 % → canary 95 %\)$/m);
  });

  test('a broken commit exits 1 naming the error, the commit fixing it lists it as fixed', () => {
    const root = repository();
    edit(root, toCanary95);
    edit(root, (t) => t.replace(/^- dj-app-mesh-metal-v2\.yaml$/m, '#- dj-app-mesh-metal-v2.yaml'));
    git(root, 'commit', '-qam', 'broken');
    edit(root, (t) => t.replace(/^#- dj-app-mesh-metal-v2\.yaml$/m, '- dj-app-mesh-metal-v2.yaml'));
    git(root, 'commit', '-qam', 'fixed');
    const broken = diff(root, 'HEAD~2', 'HEAD~1');
    assert.equal(broken.status, 1);
    assert.match(broken.stdout, /^introduces error: dj\/kustomization\.yaml:\d+ router-target-not-running /m);
    assert.match(broken.stdout, /stopped metal-v2/);
    const fixed = diff(root, 'HEAD~1', 'HEAD', '--format', 'json');
    assert.equal(fixed.status, 0);
    const data = JSON.parse(fixed.stdout);
    assert.equal(data.introduced.length, 0);
    assert.ok(data.fixed.some((e: { code: string }) => e.code === 'router-target-not-running'));
  });

  test('a renamed directory is followed, not removed and added', () => {
    const root = repository();
    git(root, 'mv', 'dj', 'dj2');
    git(root, 'commit', '-qm', 'rename');
    const result = diff(root, 'HEAD~1', 'HEAD', '--format', 'markdown');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /\*\*`dj2\/kustomization\.yaml`\*\*: renamed from dj\/kustomization\.yaml: canary 5 %$/m);
    assert.doesNotMatch(result.stdout, /removed|added/);
  });

  test('outside a repository and with an unknown revision: exit 2', () => {
    assert.equal(diff(fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-nogit-'))).status, 2);
    const unknown = diff(repository(), 'no-such-revision');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown revision: no-such-revision/);
  });

  test("the seed's nine stages, one commit each: every step names its stage change and splits", () => {
    const root = repository();
    const stages: [string, string, string | undefined][] = [
      ['stage-canary-1-v1', 'blue', '100/0'],
      ['stage-canary-2-v2-5', 'canary 5 %', '95/5'],
      ['stage-canary-3-v2-95', 'canary 95 %', '5/95'],
      ['stage-canary-4-v2-v1-standby', 'green with rollback', '0/100'],
      ['stage-canary-5-v2', 'green final', '0/100'],
      ['stage-bluegreen-1-blue', 'blue', '100/0'],
      ['stage-bluegreen-2-blue-green', 'blue/green', '100/0'],
      ['stage-bluegreen-3-green-v1-standby', 'green with rollback', '0/100'],
      ['stage-bluegreen-4-green', 'green final', '0/100'],
    ];
    for (const [name] of stages) {
      fs.copyFileSync(path.join(REPO, 'test', 'fixtures', 'cases', name, 'kustomization.yaml'), path.join(root, 'dj', 'kustomization.yaml'));
      git(root, 'commit', '-q', '--allow-empty', '-am', name);
    }
    for (let i = 1; i < stages.length; i++) {
      const [, before, beforeSplit] = stages[i - 1];
      const [name, after, afterSplit] = stages[i];
      const result = diff(root, `HEAD~${stages.length - i}`, `HEAD~${stages.length - 1 - i}`, '--format', 'json');
      assert.equal(result.status, 0, `${name}: ${result.stdout}${result.stderr}`);
      const data = JSON.parse(result.stdout);
      assert.deepEqual(data.introduced, [], name);
      const [kustomization] = data.kustomizations;
      assert.equal(kustomization.before, before, name);
      assert.equal(kustomization.after, after, name);
      const metal = kustomization.services.find((s: { name: string }) => s.name === 'metal');
      // Splits are over the versions with a share on either side: v1 alone reads "100" at blue.
      const split = (text: string | undefined): number[] | undefined => text?.split('/').map(Number);
      const expected = (text: string | undefined): number[] | undefined =>
        text === undefined ? undefined : split(text)!.filter((_, index) => metal.versions.includes(['metal-v1', 'metal-v2'][index]));
      assert.deepEqual(split(metal.before), expected(beforeSplit), `${name}: metal before`);
      assert.deepEqual(split(metal.after), expected(afterSplit), `${name}: metal after`);
    }
    // The text of one step, as a person reads it.
    const step = diff(root, 'HEAD~7', 'HEAD~6');
    assert.match(step.stdout, /^dj\/kustomization\.yaml: canary 5 % → canary 95 %$/m);
    assert.match(step.stdout, /^ {2}jazz: 95\/5 → 5\/95 \(canary 5 % → canary 95 %\)$/m);
    // Finalizing green stops v1.
    assert.match(diff(root, 'HEAD~5', 'HEAD~4').stdout, /stopped metal-v1/);
  });

  test('a deleted kustomization is reported as removed, with the traffic it carried', () => {
    const root = repository();
    git(root, 'rm', '-rq', 'dj');
    git(root, 'commit', '-qm', 'remove dj');
    const result = diff(root, 'HEAD~1', 'HEAD');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^dj\/kustomization\.yaml: removed \(canary 5 %, carried jazz 95\/5, metal 95\/5\)$/m);
  });

  test('a feature branch: by default its merge base with main against the working tree, and across a merge commit', () => {
    const root = repository();
    git(root, 'checkout', '-qb', 'feature');
    edit(root, toCanary95);
    git(root, 'commit', '-qam', 'canary 95 %');
    // main moves on meanwhile, elsewhere: the merge base, not main's tip, is what the branch changed.
    git(root, 'checkout', '-q', 'main');
    fs.writeFileSync(path.join(root, 'NOTES.md'), 'notes\n');
    git(root, 'add', 'NOTES.md');
    git(root, 'commit', '-qm', 'notes');
    git(root, 'checkout', '-q', 'feature');
    edit(root, (t) => t.replace(/^- dj-app-mesh-metal-v1\.yaml$/m, '#- dj-app-mesh-metal-v1.yaml'));
    const byDefault = diff(root);
    assert.equal(byDefault.status, 1, 'metal-v1 still takes 5 %: the uncommitted edit introduces an error');
    assert.match(byDefault.stdout, /^dj\/kustomization\.yaml: canary 5 % → /m);
    assert.match(byDefault.stdout, /stopped metal-v1/);
    git(root, 'checkout', '-q', '--', '.');
    git(root, 'checkout', '-q', 'main');
    git(root, 'merge', '-q', '--no-ff', '-m', 'merge feature', 'feature');
    const merge = diff(root, 'HEAD^1', 'HEAD');
    assert.equal(merge.status, 0, merge.stderr);
    assert.match(merge.stdout, /^ {2}metal: 95\/5 → 5\/95 \(canary 5 % → canary 95 %\)$/m);
    assert.match(diff(root, 'HEAD^2', 'HEAD').stdout, /^No traffic change\.$/m, "the merge brings nothing to the branch's traffic");
  });

  test('the working tree and index are left as they were', () => {
    const root = repository();
    edit(root, toCanary95);
    const status = (): string => execFileSync('git', ['status', '--porcelain=v1'], { cwd: root, encoding: 'utf8' });
    const before = status();
    const text = fs.readFileSync(path.join(root, 'dj', 'kustomization.yaml'), 'utf8');
    diff(root, 'HEAD');
    assert.equal(status(), before);
    assert.equal(fs.readFileSync(path.join(root, 'dj', 'kustomization.yaml'), 'utf8'), text);
  });
});
