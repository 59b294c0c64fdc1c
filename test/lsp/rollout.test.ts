import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { CodeLens } from 'vscode-languageserver-protocol/node';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import { ClientCommands, RolloutInfo, RolloutRequest, TrafficDiffInfo, TrafficDiffRequest } from '../../server/src/protocol';
import { materialize, REPO } from '../support/cases';
import { FULL_CAPABILITIES, LspClient } from '../support/lspClient';

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

async function start(caseName: string, clientCommands: string[] = []): Promise<{ client: LspClient; kustomization: string }> {
  const { root } = materialize(caseName);
  const client = await LspClient.start(root, { capabilities: FULL_CAPABILITIES, initializationOptions: { clientCommands } });
  clients.push(client);
  return { client, kustomization: path.join(root, 'kustomization.yaml') };
}

const rollout = (client: LspClient, file: string): Promise<RolloutInfo | null> =>
  client.connection.sendRequest(RolloutRequest.method, { uri: client.uri(file) }) as Promise<RolloutInfo | null>;

describe('the rollout view over stdio (meshKustomize/rollout)', () => {
  test('the rollout of a file of the directory, with the next move and the roll back named among the moves', async () => {
    const { client, kustomization } = await start('stage-canary-2-v2-5');
    const info = await rollout(client, path.join(path.dirname(kustomization), 'dj-app-mesh-metal-v2.yaml'));
    assert.ok(info);
    assert.equal(info.uri, client.uri(kustomization));
    assert.equal(info.view.path.find((p) => p.current)?.name, 'canary 5 %');
    assert.equal(info.view.next, 'Switch to canary 95%');
    assert.equal(info.view.rollBack, 'Roll back to blue');
    assert.ok(info.view.moves.some((m) => m.title === info.view.next) && info.view.moves.some((m) => m.title === info.view.rollBack));
    assert.deepEqual(info.problems, []);
  });

  test("the tree's problems, from every file involved, errors first; and they follow an unsaved edit", async () => {
    const { client, kustomization } = await start('stage-canary-2-v2-5');
    const text = fs.readFileSync(kustomization, 'utf8');
    const broken = text.replace('\n- dj-app-mesh-metal-v2.yaml\n', '\n#- dj-app-mesh-metal-v2.yaml\n');
    assert.notEqual(broken, text);
    await client.openDocument(kustomization, text, 1);
    await client.changeDocument(kustomization, broken, 2);
    await client.settle();
    const info = await rollout(client, kustomization);
    assert.ok(info);
    assert.equal(info.version, 2, 'the moves are offered for the version shown');
    const files = new Set(info.problems.map((p) => path.basename(new URL(p.uri).pathname)));
    assert.ok(files.has('kustomization.yaml') && files.has('dj-mesh-router-v1-95-v2-5.yaml'), `problems in both files: ${JSON.stringify(info.problems)}`);
    const router = info.problems.find((p) => p.uri.endsWith('dj-mesh-router-v1-95-v2-5.yaml'))!;
    assert.equal(router.code, 'router-target-not-running');
    assert.equal(router.severity, 'error');
    const routerLines = fs.readFileSync(path.join(path.dirname(kustomization), 'dj-mesh-router-v1-95-v2-5.yaml'), 'utf8').split('\n');
    assert.match(routerLines[router.line], /metal-v2/, 'the problem links to the line that names the stopped version');
    const ranks = info.problems.map((p) => ['error', 'warning', 'information', 'hint'].indexOf(p.severity));
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => a - b),
      'errors first',
    );
    assert.deepEqual(info.view.services.find((s) => s.name === 'metal')?.stopped, ['metal-v2']);
  });

  test('the problems carry the severities the user set, and leave out the rules turned off', async () => {
    const { root } = materialize('stage-canary-2-v2-5');
    const kustomization = path.join(root, 'kustomization.yaml');
    fs.writeFileSync(kustomization, fs.readFileSync(kustomization, 'utf8').replace('\n- dj-app-mesh-metal-v2.yaml\n', '\n#- dj-app-mesh-metal-v2.yaml\n'));
    const client = await LspClient.start(root, {
      capabilities: FULL_CAPABILITIES,
      configuration: (item) =>
        item.section === 'meshKustomize' ? { rules: { 'router-target-not-running': 'warning', 'version-without-traffic': 'off' } } : null,
    });
    clients.push(client);
    await client.settle();
    const info = await rollout(client, kustomization);
    const codes = info?.problems.map((p) => `${p.code} ${p.severity}`) ?? [];
    assert.ok(codes.includes('router-target-not-running warning'), JSON.stringify(codes));
    assert.ok(!codes.some((c) => c.startsWith('router-target-not-running error') || c.startsWith('version-without-traffic')), JSON.stringify(codes));
  });

  for (const [caseName, service, shares] of [
    ['gateway-stage-canary-2-v2-5', 'metal', ['metal-v1 95', 'metal-v2 5']],
    ['istio-stage-3-v2-20', 'reviews', ['reviews/v1 80', 'reviews/v2 20', 'reviews/v3 0']],
  ] as const) {
    test(`every dialect: ${caseName} shows its split and moves`, async () => {
      const { client, kustomization } = await start(caseName);
      const info = await rollout(client, kustomization);
      assert.ok(info, 'a rollout');
      const view = info.view.services.find((s) => s.name === service);
      assert.deepEqual(
        view?.versions.map((v) => `${v.name} ${v.percent}`),
        shares,
      );
      assert.ok(info.view.next && info.view.moves.some((m) => m.title === info.view.next), `a next move among ${JSON.stringify(info.view.moves)}`);
    });
  }

  test('no rollout outside a kustomization with router files', async () => {
    const { client, kustomization } = await start('stage-canary-2-v2-5');
    assert.equal(await rollout(client, path.join(path.dirname(path.dirname(kustomization)), 'elsewhere.yaml')), null);
  });

  test('the stage lens opens the rollout view where the client has one, and says the stage where it has not', async () => {
    const lensCommand = async (clientCommands: string[]): Promise<string | undefined> => {
      const { client, kustomization } = await start('stage-canary-2-v2-5', clientCommands);
      const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: client.uri(kustomization) } })) as CodeLens[];
      return lenses.find((l) => l.command?.title.startsWith('Stage: '))?.command?.command;
    };
    assert.equal(await lensCommand(Object.values(ClientCommands)), ClientCommands.showRollout);
    assert.equal(await lensCommand([]), 'meshKustomize.server.showStage');
  });

  test('the change since HEAD (meshKustomize/trafficDiff) follows unsaved edits; null outside git', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mk-rollout-git-'));
    fs.cpSync(path.join(REPO, 'examples', 'dj'), root, { recursive: true });
    const git = (...args: string[]): void =>
      void execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd: root, stdio: 'ignore' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'canary 5 %');
    const client = await LspClient.start(root, { capabilities: FULL_CAPABILITIES });
    clients.push(client);
    const kustomization = path.join(root, 'kustomization.yaml');
    const ask = (): Promise<TrafficDiffInfo | null> =>
      client.connection.sendRequest(TrafficDiffRequest.method, { uri: client.uri(kustomization) }) as Promise<TrafficDiffInfo | null>;
    const committed = await ask();
    assert.equal(committed?.diff.change, 'unchanged');
    const text = fs.readFileSync(kustomization, 'utf8');
    const canary95 = text
      .replace('\n- dj-mesh-router-v1-95-v2-5.yaml\n', '\n#- dj-mesh-router-v1-95-v2-5.yaml\n')
      .replace('\n#- dj-mesh-router-v1-5-v2-95.yaml\n', '\n- dj-mesh-router-v1-5-v2-95.yaml\n');
    await client.openDocument(kustomization, text, 1);
    await client.changeDocument(kustomization, canary95, 2);
    await client.settle();
    const edited = await ask();
    assert.equal(edited?.summary, 'canary 5 % → canary 95 %');
    assert.deepEqual(
      edited?.diff.services.map((s) => `${s.name} ${s.before} → ${s.after}`),
      ['jazz 95/5 → 5/95', 'metal 95/5 → 5/95'],
    );
    await client.changeDocument(kustomization, canary95.replace('\n- dj-app-mesh-metal-v1.yaml\n', '\n#- dj-app-mesh-metal-v1.yaml\n'), 3);
    await client.settle();
    const broken = await ask();
    assert.ok(
      broken?.introduced.some((e) => e.code === 'router-target-not-running'),
      JSON.stringify(broken),
    );
    assert.equal(fs.readFileSync(kustomization, 'utf8'), text, 'nothing written');

    const { client: outside, kustomization: notInGit } = await start('stage-canary-2-v2-5');
    assert.equal(await outside.connection.sendRequest(TrafficDiffRequest.method, { uri: outside.uri(notInGit) }), null);
  });
});
