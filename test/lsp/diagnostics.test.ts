import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { materialize } from '../support/cases';
import { BARE_CAPABILITIES, FULL_CAPABILITIES, LspClient } from '../support/lspClient';

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
});

async function start(root: string, options: Parameters<typeof LspClient.start>[1] = {}): Promise<LspClient> {
  const client = await LspClient.start(root, options);
  clients.push(client);
  return client;
}

/** The DJ tree with the canary router enabled while the v2 files are commented out. */
function brokenStage(): { root: string; kustomization: string; router: string } {
  const { root } = materialize('router-to-disabled-v2');
  return { root, kustomization: path.join(root, 'kustomization.yaml'), router: path.join(root, 'dj-mesh-router-v1-95-v2-5.yaml') };
}

const lineOf = (file: string, needle: string): number =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));

describe('language server over stdio', () => {
  test('publishes errors in the kustomization and in the router file, neither of them open', async () => {
    const { root, kustomization, router } = brokenStage();
    const client = await start(root);
    await client.waitFor(() => client.diagnosticsOf(kustomization).length > 0 && client.diagnosticsOf(router).length > 0, 'diagnostics');

    const [entry] = client.diagnosticsOf(kustomization);
    assert.equal(entry.code, 'router-target-not-running');
    assert.equal(entry.severity, DiagnosticSeverity.Error);
    assert.equal(entry.source, 'mesh-kustomize');
    assert.equal(entry.range.start.line, lineOf(kustomization, '- dj-mesh-router-v1-95-v2-5.yaml'));
    assert.match(String(entry.message), /metal-v2, jazz-v2/);
    assert.deepEqual(
      entry.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line]),
      [
        [client.uri(router), lineOf(router, 'name: metal-v2')],
        [client.uri(router), lineOf(router, 'name: jazz-v2')],
      ],
    );
    const href = entry.codeDescription?.href ?? '';
    assert.match(href, /docs\/rules\/router-target-not-running\.md$/);
    assert.ok(fs.existsSync(fileURLToPath(href)), `documentation page ${href} exists`);

    const targets = client.diagnosticsOf(router);
    assert.deepEqual(
      targets.map((d) => [d.range.start.line, d.code, d.severity]),
      [
        [lineOf(router, 'name: metal-v2'), 'router-target-not-running', DiagnosticSeverity.Error],
        [lineOf(router, 'name: jazz-v2'), 'router-target-not-running', DiagnosticSeverity.Error],
      ],
    );
    assert.equal(targets[0].relatedInformation?.[0].location.uri, client.uri(kustomization));
  });

  test('an edit in the open kustomization clears the errors in both files', async () => {
    const { root, kustomization, router } = brokenStage();
    const client = await start(root);
    await client.waitFor(() => client.diagnosticsOf(router).length === 2, 'router diagnostics');
    const text = fs.readFileSync(kustomization, 'utf8');
    await client.openDocument(kustomization, text, 1);
    const fixed = text
      .replace('#- dj-app-mesh-metal-v2.yaml', '- dj-app-mesh-metal-v2.yaml')
      .replace('#- dj-app-mesh-jazz-v2.yaml', '- dj-app-mesh-jazz-v2.yaml');
    await client.changeDocument(kustomization, fixed, 2);
    await client.waitFor(() => client.diagnosticsOf(router).length === 0 && client.diagnosticsOf(kustomization).length === 0, 'cleared diagnostics');
    assert.equal(client.published.get(client.uri(kustomization))?.version, 2);
    // The file on disk was never touched: the server validated what the editor shows.
    assert.equal(fs.readFileSync(kustomization, 'utf8'), text);
  });

  test('a change on disk reported through watched files revalidates', async () => {
    const { root, kustomization, router } = brokenStage();
    const client = await start(root);
    await client.waitFor(() => client.diagnosticsOf(router).length === 2, 'router diagnostics');
    assert.ok(client.registrations.length > 0, 'the server registered file watchers with the client');
    const text = fs.readFileSync(kustomization, 'utf8');
    fs.writeFileSync(
      kustomization,
      text.replace('- dj-mesh-router-v1-95-v2-5.yaml', '#- dj-mesh-router-v1-95-v2-5.yaml').replace('#- dj-mesh-router-v1.yaml', '- dj-mesh-router-v1.yaml'),
    );
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri(kustomization), type: 2 }] });
    await client.waitFor(() => client.diagnosticsOf(router).length === 0 && client.diagnosticsOf(kustomization).length === 0, 'cleared diagnostics');
  });

  test('a client that announces nothing gets plain diagnostics, and the server watches the disk itself', async () => {
    const { root, kustomization, router } = brokenStage();
    const client = await start(root, { capabilities: BARE_CAPABILITIES });
    await client.waitFor(() => client.diagnosticsOf(router).length === 2 && client.diagnosticsOf(kustomization).length === 1, 'diagnostics');
    const [entry] = client.diagnosticsOf(kustomization);
    assert.equal(entry.relatedInformation, undefined);
    assert.equal(entry.codeDescription, undefined);
    assert.equal(client.registrations.length, 0);
    const text = fs.readFileSync(kustomization, 'utf8');
    fs.writeFileSync(kustomization, text.replace('#- dj-app-mesh-metal-v2.yaml', '- dj-app-mesh-metal-v2.yaml'));
    await client.waitFor(() => client.diagnosticsOf(router).length === 1, 'only jazz-v2 left missing');
    assert.match(String(client.diagnosticsOf(router)[0].message), /jazz-v2/);
  });

  test('severity follows the per-file setting asked with workspace/configuration', async () => {
    const { root, kustomization, router } = brokenStage();
    const asked: string[] = [];
    const client = await start(root, {
      configuration: (item) => {
        asked.push(item.scopeUri ?? '');
        return item.section === 'meshKustomize' ? { rules: { 'router-target-not-running': 'warning', bogus: 42 } } : null;
      },
    });
    await client.waitFor(() => client.diagnosticsOf(router).length === 2 && client.diagnosticsOf(kustomization).length === 1, 'diagnostics');
    assert.deepEqual(
      [...client.diagnosticsOf(kustomization), ...client.diagnosticsOf(router)].map((d) => d.severity),
      [DiagnosticSeverity.Warning, DiagnosticSeverity.Warning, DiagnosticSeverity.Warning],
    );
    assert.ok(asked.includes(client.uri(router)), 'settings were asked per file');
  });

  test('without configuration requests, initializationOptions and didChangeConfiguration settings apply', async () => {
    const { root, kustomization, router } = brokenStage();
    const client = await start(root, {
      capabilities: BARE_CAPABILITIES,
      initializationOptions: { settings: { rules: { 'router-target-not-running': 'hint' } } },
    });
    await client.waitFor(() => client.diagnosticsOf(router).length === 2 && client.diagnosticsOf(kustomization).length === 1, 'diagnostics');
    assert.deepEqual(
      [...client.diagnosticsOf(kustomization), ...client.diagnosticsOf(router)].map((d) => d.severity),
      [DiagnosticSeverity.Hint, DiagnosticSeverity.Hint, DiagnosticSeverity.Hint],
    );
    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { meshKustomize: { rules: { 'router-target-not-running': 'off' } } },
    });
    await client.waitFor(() => client.diagnosticsOf(router).length === 0 && client.diagnosticsOf(kustomization).length === 0, '"off" silencing the rule');
  });

  test('a client that registers configuration changes dynamically is asked to report our section, then asked again for the values', async () => {
    const { root, kustomization, router } = brokenStage();
    let severity = 'warning';
    const client = await start(root, {
      capabilities: { ...FULL_CAPABILITIES, workspace: { ...FULL_CAPABILITIES.workspace, didChangeConfiguration: { dynamicRegistration: true } } },
      configuration: (item) => (item.section === 'meshKustomize' ? { rules: { 'router-target-not-running': severity } } : null),
    });
    await client.waitFor(() => client.diagnosticsOf(router).length === 2 && client.diagnosticsOf(kustomization).length === 1, 'diagnostics');
    assert.ok(
      client.registrations.some(
        (r) => JSON.stringify(r).includes('"method":"workspace/didChangeConfiguration"') && JSON.stringify(r).includes('"section":"meshKustomize"'),
      ),
      `registered for changes of the meshKustomize section: ${JSON.stringify(client.registrations)}`,
    );
    assert.ok(client.diagnosticsOf(router).every((d) => d.severity === DiagnosticSeverity.Warning));
    // As vscode-languageclient does without synchronize.configurationSection: a change, without values.
    severity = 'off';
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor(
      () => client.diagnosticsOf(router).length === 0 && client.diagnosticsOf(kustomization).length === 0,
      'the pulled "off" silencing the rule',
    );
  });

  test('a client without dynamic registration of configuration changes is not asked to register them', async () => {
    const { root, router } = brokenStage();
    const client = await start(root);
    await client.waitFor(() => client.diagnosticsOf(router).length === 2, 'router diagnostics');
    assert.ok(!client.registrations.some((r) => JSON.stringify(r).includes('workspace/didChangeConfiguration')), JSON.stringify(client.registrations));
  });

  test('pull diagnostics answer for open documents when the client offers them', async () => {
    const { root, kustomization, router } = brokenStage();
    const client = await start(root, {
      capabilities: { ...FULL_CAPABILITIES, textDocument: { ...FULL_CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false } } },
    });
    await client.waitFor(() => client.diagnosticsOf(kustomization).length === 1, 'pushed diagnostics for the closed file');
    await client.openDocument(kustomization, fs.readFileSync(kustomization, 'utf8'));
    const report = (await client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: client.uri(kustomization) } })) as {
      kind: string;
      items: { code: string }[];
    };
    assert.equal(report.kind, 'full');
    assert.deepEqual(
      report.items.map((d) => d.code),
      ['router-target-not-running'],
    );
    // Pushed diagnostics of the now open file were cleared so they do not show twice; closed files still get pushes.
    await client.waitFor(() => client.diagnosticsOf(kustomization).length === 0, 'push cleared for the open file');
    assert.equal(client.diagnosticsOf(router).length, 2);
  });
});
