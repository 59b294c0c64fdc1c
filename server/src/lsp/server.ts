import * as path from 'node:path';
import {
  Connection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  InitializeParams,
  InitializeResult,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createMeshService, DiskFileSource, Workspace } from '../engine';
import { RedHatYamlNotification, RolloutRequest, StagesRequest, StageView, StageViewRequest, TrafficDiffRequest } from '../protocol';
import { SETTINGS_SECTION } from '../settings';
import { clientSupport, initializationOptions, serverCapabilities, workspaceRoots } from './capabilities';
import { codeActions } from './codeActions';
import { COMMANDS, executeCommand } from './commands';
import { ServerContext } from './context';
import { pathToUri, uriToPath } from './convert';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { watchDisk } from './diskWatcher';
import { registerNavigation } from './navigation';
import { OverlayFileSource } from './overlay';
import { registerProbe } from './probe';
import { Scheduler } from './scheduler';
import { SettingsStore } from './settings';
import { codeLenses, stages } from './stages';
import { rollout } from './rollout';
import { trafficDiffOf } from './trafficDiff';
import { validation } from './validation';

const WATCHED_GLOBS = ['**/*.yaml', '**/*.yml', '**/Kustomization'];

/**
 * Wires the engine to LSP: open documents overlay the disk, every change invalidates what it
 * touches, and diagnostics are pushed for every file involved, open or not (or pulled, when the
 * client asks for pull diagnostics). The session (workspace, engine service, settings, features)
 * is made once, in onInitialize, from what the client announced; features live in their own modules.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  connection.onInitialize((params) => initialize(connection, documents, params));
  documents.listen(connection);
  connection.listen();
}

function initialize(connection: Connection, documents: TextDocuments<TextDocument>, params: InitializeParams): InitializeResult {
  const options = initializationOptions(params);
  const support = {
    ...clientSupport(params.capabilities),
    clientCommands: Array.isArray(options.clientCommands) ? options.clientCommands.filter((c) => typeof c === 'string') : [],
  };
  const files = new OverlayFileSource(new DiskFileSource());
  const workspace = new Workspace(files, workspaceRoots(params));
  const service = createMeshService(workspace, { log: (m) => connection.console.error(m) });
  const settings = new SettingsStore(connection, support.configuration, options.settings);
  settings.redHatYaml = { active: options.redHatYamlActive === true, isOpen: (p) => files.isOpen(p) };

  /** The open document of a path, whatever spelling of its URI the client used. */
  const openDocumentFor = (filePath: string): TextDocument | undefined =>
    documents.get(pathToUri(filePath)) ?? documents.all().find((d) => uriToPath(d.uri) === filePath);
  const publisher = new DiagnosticsPublisher(connection, documents, support, openDocumentFor);
  const scheduler = new Scheduler(validation({ connection, documents, support, service, settings, publisher }));
  const schedule = (): void => scheduler.schedule();

  const context: ServerContext = {
    connection,
    documents,
    support,
    service,
    settled: () => scheduler.settled(),
    diagnosticsOf: (filePath) => publisher.diagnosticsOf(filePath),
    versionOf: (filePath) => openDocumentFor(filePath)?.version ?? null,
    uriOf: (filePath) => openDocumentFor(filePath)?.uri ?? pathToUri(filePath),
  };

  let diskWatcher: { close(): void } | undefined;
  connection.onInitialized(() => {
    if (support.watchedFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) });
    } else {
      diskWatcher = watchDisk(workspace.roots, {
        isOpen: (filePath) => files.isOpen(filePath),
        changed: (filePath) => {
          workspace.invalidate(filePath);
          schedule();
        },
        warn: (message) => connection.console.warn(message),
      });
    }
    // Asks the client to say when our section changes (it then need not push the values: they are pulled).
    if (support.configurationChangeRegistration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    schedule();
  });
  connection.onShutdown(() => diskWatcher?.close());

  const track = (document: TextDocument): void => {
    const filePath = uriToPath(document.uri);
    if (!filePath) return;
    if (!workspace.contains(filePath)) workspace.addRoot(path.dirname(filePath));
    files.setOpen(filePath, document.getText());
    workspace.invalidate(filePath);
    schedule();
  };
  documents.onDidOpen((event) => {
    track(event.document);
    publisher.documentOpened(event.document.uri);
  });
  documents.onDidChangeContent((event) => track(event.document));
  documents.onDidClose((event) => {
    const filePath = uriToPath(event.document.uri);
    if (!filePath) return;
    files.close(filePath);
    workspace.invalidate(filePath);
    schedule();
  });

  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) {
      const filePath = uriToPath(change.uri);
      if (filePath && !files.isOpen(filePath)) workspace.invalidate(filePath);
    }
    schedule();
  });

  const navigation = registerNavigation(context, {
    settingsOf: (filePath) => settings.of(filePath),
    schemaLeftToRedHatYaml: (filePath) => settings.redHatYamlValidates(filePath),
  });
  // Clients that pull settings are only told that something changed; the others push the values.
  connection.onDidChangeConfiguration((params) => {
    settings.changed(params.settings);
    navigation.configurationChanged();
    schedule();
  });
  connection.onNotification(RedHatYamlNotification, ({ active }) => {
    settings.redHatYaml.active = active === true;
    schedule();
  });

  connection.languages.diagnostics.on((params) => publisher.pull(params.textDocument.uri, () => scheduler.settled()));
  connection.onCodeLens((params) => codeLenses(context, params));
  connection.onCodeAction((params) => codeActions(context, params));
  connection.onRequest(StagesRequest, (params) => stages(context, params.activeUri));
  connection.onRequest(StageViewRequest, async (params): Promise<StageView | null> => {
    await context.settled();
    const filePath = typeof params?.uri === 'string' ? uriToPath(params.uri) : undefined;
    return (filePath ? context.service.stageView(filePath) : undefined) ?? null;
  });
  connection.onRequest(RolloutRequest, (params) => rollout(context, params?.uri));
  connection.onRequest(TrafficDiffRequest, (params) => trafficDiffOf(context, params?.uri));
  connection.onExecuteCommand((params) => executeCommand(context, params));
  registerProbe(context);

  return {
    capabilities: serverCapabilities(support, Object.keys(COMMANDS)),
    serverInfo: { name: 'mesh-kustomize-language-server', version: '0.1.0' },
  };
}
