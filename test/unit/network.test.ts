import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import http = require('node:http');
import { DiskFileSource, Validator, Workspace } from '../../server/src/engine';
import { run } from '../../server/src/cli/main';
import { planMove, reachableTargets, stageModel } from '../../server/src/engine/stages';
import { materialize } from '../support/cases';
import { installNetworkGuard, REMOTE_ENTRIES as REMOTES } from '../support/netGuard';

describe('remote resources are never fetched', () => {
  test('validating, checking from the CLI, fixing and moving stages in a workspace full of remote entries opens no connection', () => {
    const { root } = materialize('remote-resource');
    const kustomization = path.join(root, 'kustomization.yaml');
    const text = fs.readFileSync(kustomization, 'utf8');
    fs.writeFileSync(
      kustomization,
      text.replace('resources:\n', `resources:\n${REMOTES.map((r) => `- ${r}`).join('\n')}\n`) +
        `components:\n${REMOTES.map((r) => `- ${r}`).join('\n')}\n#- ${REMOTES[0]}\n`,
    );
    fs.mkdirSync(path.join(root, 'nested'));
    fs.writeFileSync(path.join(root, 'nested', 'kustomization.yaml'), `resources:\n${REMOTES.map((r) => `- ${r}`).join('\n')}\n`);

    const guard = installNetworkGuard();
    try {
      // The guard works: a deliberate request is counted (and blocked).
      assert.throws(() => http.get('http://127.0.0.1:9'));
      assert.equal(guard.attempts.length, 1);
      guard.attempts.length = 0;

      const validator = new Validator(new Workspace(new DiskFileSource(), [root]), { log: (m) => assert.fail(m) });
      const diagnostics = validator.diagnostics();
      const remote = [...diagnostics.values()].flat().filter((d) => d.code === 'remote-resource');
      assert.equal(remote.length, 3 + 3 * REMOTES.length, 'every enabled remote entry is reported, none fetched');
      for (const d of [...diagnostics.values()].flat()) validator.fixes(d);
      validator.fixAll(kustomization, diagnostics.get(kustomization) ?? []);
      const workspace = validator.workspace;
      const model = stageModel(workspace, workspace.file(kustomization)!.kustomization!);
      assert.ok(model);
      for (const target of reachableTargets(model)) planMove(model, target);
      const out: string[] = [];
      assert.equal(
        run(
          ['check', root, '--format', 'sarif'],
          (t) => out.push(t),
          (t) => out.push(t),
        ),
        0,
      );
      assert.deepEqual(guard.attempts, [], 'no socket, request, DNS lookup or child process');
    } finally {
      guard.restore();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
