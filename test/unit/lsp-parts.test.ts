import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { build } from 'esbuild';
import { InitializeParams } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { clientSupport, serverCapabilities, workspaceRoots } from '../../server/src/lsp/capabilities';
import { COMMANDS, executeCommand } from '../../server/src/lsp/commands';
import { ServerContext } from '../../server/src/lsp/context';
import { Scheduler } from '../../server/src/lsp/scheduler';
import { ServerCommands } from '../../server/src/protocol';
import { REPO } from '../support/cases';
import { BARE_CAPABILITIES, FULL_CAPABILITIES } from '../support/lspClient';

const commands = Object.keys(COMMANDS);

describe('client and server capabilities', () => {
  test('a client that announces nothing gets push diagnostics, its own disk watched, settings from initializationOptions', () => {
    const support = clientSupport(BARE_CAPABILITIES);
    assert.deepEqual(
      { ...support, navigation: undefined },
      {
        relatedInformation: false,
        codeDescription: false,
        pullDiagnostics: false,
        pullRefresh: false,
        codeLensRefresh: false,
        watchedFiles: false,
        configuration: false,
        configurationChangeRegistration: false,
        documentChanges: false,
        createFiles: false,
        changeAnnotations: false,
        clientCommands: [],
        showMessage: false,
        workDoneProgress: false,
        navigation: undefined,
      },
    );
    const capabilities = serverCapabilities(support, commands);
    assert.equal(capabilities.diagnosticProvider, undefined, 'no pull diagnostics offered to a client that does not pull');
    assert.equal(capabilities.renameProvider, true, 'no prepareRename for a client that does not ask for it');
  });

  test('what VS Code announces turns on the richer forms', () => {
    const support = clientSupport(FULL_CAPABILITIES);
    assert.equal(support.relatedInformation, true);
    assert.equal(support.watchedFiles, true);
    assert.equal(support.configuration, true);
    assert.equal(support.documentChanges, true);
    assert.equal(support.createFiles, false, 'FULL_CAPABILITIES announces no resource operations');
    assert.equal(clientSupport({ workspace: { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } } }).createFiles, true);
    assert.equal(
      clientSupport({ workspace: { workspaceEdit: { resourceOperations: ['create'] } } }).createFiles,
      false,
      'creations come within documentChanges',
    );
    assert.equal(support.pullDiagnostics, false);
    assert.equal(support.configurationChangeRegistration, false, 'FULL_CAPABILITIES does not register for configuration changes');
  });

  test('a client without workspace/configuration, without watched files, but pulling diagnostics', () => {
    const support = clientSupport({
      textDocument: { diagnostic: { dynamicRegistration: false }, rename: { prepareSupport: true } },
      workspace: { diagnostics: { refreshSupport: true }, didChangeConfiguration: { dynamicRegistration: true } },
    });
    assert.equal(support.pullDiagnostics, true);
    assert.equal(support.pullRefresh, true);
    assert.equal(support.configuration, false);
    assert.equal(support.watchedFiles, false);
    assert.equal(support.configurationChangeRegistration, true);
    const capabilities = serverCapabilities(support, commands);
    assert.deepEqual(capabilities.diagnosticProvider, { interFileDependencies: true, workspaceDiagnostics: false });
    assert.deepEqual(capabilities.renameProvider, { prepareProvider: true });
  });

  test('every server command is offered, and only those', () => {
    const capabilities = serverCapabilities(clientSupport({}), commands);
    assert.deepEqual(new Set(capabilities.executeCommandProvider?.commands), new Set(Object.values(ServerCommands)));
  });

  test('the workspace roots are the workspace folders, else the root URI; URIs other than files are left out', () => {
    const folder = (p: string) => ({ uri: URI.file(p).toString(), name: path.basename(p) });
    const base: InitializeParams = { processId: null, rootUri: null, capabilities: {} };
    assert.deepEqual(workspaceRoots({ ...base, workspaceFolders: [folder('/a'), { uri: 'untitled:x', name: 'x' }, folder('/b')] }), [
      URI.file('/a').fsPath,
      URI.file('/b').fsPath,
    ]);
    assert.deepEqual(workspaceRoots({ ...base, rootUri: URI.file('/c').toString() }), [URI.file('/c').fsPath]);
    assert.deepEqual(workspaceRoots({ ...base, workspaceFolders: [], rootUri: 'http://example.com/' }), []);
  });
});

describe('command table', () => {
  test('an unknown command, or one named like an object property, answers nothing', () => {
    const context = {} as ServerContext;
    assert.equal(executeCommand(context, { command: 'meshKustomize.server.nothing' }), undefined);
    assert.equal(executeCommand(context, { command: 'toString' }), undefined);
  });
});

describe('scheduler', () => {
  test('a burst of changes runs once; settled() waits for a run scheduled while another runs', async () => {
    const runs: number[] = [];
    let release: (() => void) | undefined;
    const scheduler = new Scheduler(async () => {
      runs.push(runs.length);
      if (runs.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    scheduler.schedule();
    scheduler.schedule();
    scheduler.schedule();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(runs, [0], 'one run for three changes');
    scheduler.schedule();
    let settled = false;
    const waiting = scheduler.settled().then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'not settled while the first run is under way');
    release?.();
    await waiting;
    assert.deepEqual(runs, [0, 1], 'the change made during the first run got its own run, after it');
  });
});

describe('client bundle', () => {
  test('the VS Code client bundles the shared protocol and settings modules, and no other server code', async () => {
    const result = await build({
      entryPoints: [path.join(REPO, 'client', 'src', 'extension.ts')],
      absWorkingDir: REPO,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['vscode'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const ours = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
    assert.deepEqual(ours.filter((input) => !input.startsWith('client/')).sort(), ['server/src/protocol.ts', 'server/src/settings.ts']);
  });
});
