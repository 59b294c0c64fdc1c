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
});
