import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  Connection,
  DidChangeWatchedFilesNotification,
  Diagnostic as LspDiagnostic,
  DocumentDiagnosticReportKind,
  InitializeParams,
  InitializeResult,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic, DiskFileSource, Validator, Workspace } from '../engine';
import { InitializationOptions, MoveStageArguments, RedHatYamlNotification, ServerCommands, SetCanaryWeightArguments, StagesRequest } from '../protocol';
import { codeActions } from './codeActions';
import { ClientSupport, ServerContext } from './context';
import { pathToUri, toLspDiagnostic, uriToPath } from './convert';
import { navigationCapabilities, navigationSupport, registerNavigation } from './navigation';
import { OverlayFileSource } from './overlay';
import { SettingsStore } from './settings';
import { codeLenses, moveStage, setCanaryWeight, showStage, stages } from './stages';

const WATCHED_GLOBS = ['**/*.yaml', '**/*.yml', '**/Kustomization'];
/** Files read and parsed per slice of the cold start, between which open documents get provisional diagnostics. */
const WARM_UP_SLICE = 128;

/**
 * Wires the engine to LSP: open documents overlay the disk, every change invalidates what it
 * touches, and diagnostics are pushed for every file involved, open or not (or pulled, when the
 * client asks for pull diagnostics). Features live in their own modules and read a ServerContext.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const files = new OverlayFileSource(new DiskFileSource());
  let workspace = new Workspace(files, []);
  let validator = new Validator(workspace, { log: (m) => connection.console.error(m) });
  let settings: SettingsStore;
  const watchers: fs.FSWatcher[] = [];
  /** What was last pushed per URI, to send only what changed and to clear what is gone. */
  const published = new Map<string, string>();
  let latest = new Map<string, Diagnostic[]>();

  let navigation = navigationSupport({});
  const support: ClientSupport = {
    relatedInformation: false,
    codeDescription: false,
    pullDiagnostics: false,
    pullRefresh: false,
    codeLensRefresh: false,
    watchedFiles: false,
    configuration: false,
    documentChanges: false,
    showMessage: false,
  };

  /** The open document of a path, whatever spelling of its URI the client used. */
  const openDocumentFor = (filePath: string): TextDocument | undefined =>
    documents.get(pathToUri(filePath)) ?? documents.all().find((d) => uriToPath(d.uri) === filePath);

  const context: ServerContext = {
    connection,
    documents,
    support,
    workspace: () => workspace,
    validator: () => validator,
    settled,
    diagnosticsOf: (filePath) => latest.get(filePath) ?? [],
    versionOf: (filePath) => openDocumentFor(filePath)?.version ?? null,
    uriOf: (filePath) => openDocumentFor(filePath)?.uri ?? pathToUri(filePath),
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params.capabilities;
    const publish = capabilities.textDocument?.publishDiagnostics;
    Object.assign(support, {
      relatedInformation: publish?.relatedInformation === true,
      codeDescription: publish?.codeDescriptionSupport === true,
      pullDiagnostics: capabilities.textDocument?.diagnostic !== undefined,
      pullRefresh: capabilities.workspace?.diagnostics?.refreshSupport === true,
      codeLensRefresh: capabilities.workspace?.codeLens?.refreshSupport === true,
      watchedFiles: capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
      configuration: capabilities.workspace?.configuration === true,
      documentChanges: capabilities.workspace?.workspaceEdit?.documentChanges === true,
      showMessage: capabilities.window?.showMessage !== undefined,
    } satisfies ClientSupport);
    const initialization = (params.initializationOptions ?? {}) as InitializationOptions;
    settings = new SettingsStore(connection, support.configuration, initialization.settings);
    navigation = navigationSupport(capabilities);
    settings.redHatYaml = { active: initialization.redHatYamlActive === true, isOpen: (p) => files.isOpen(p) };

    const roots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
    if (roots.length === 0 && params.rootUri) {
      const root = uriToPath(params.rootUri);
      if (root) roots.push(root);
    }
    workspace = new Workspace(files, roots);
    validator = new Validator(workspace, { log: (m) => connection.console.error(m) });

    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        ...(support.pullDiagnostics ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } } : {}),
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll] },
        executeCommandProvider: { commands: Object.values(ServerCommands) },
        ...navigationCapabilities(navigation),
        workspace: { workspaceFolders: { supported: false } },
      },
      serverInfo: { name: 'mesh-kustomize-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (support.watchedFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })),
      });
    } else {
      watchDisk();
    }
    schedule();
  });

  /** Without the client's file events, the server watches the workspace folders itself. */
  function watchDisk(): void {
    for (const root of workspace.roots) {
      try {
        const watcher = fs.watch(root, { recursive: true }, (_event, name) => {
          if (!name) return;
          const changed = path.join(root, name.toString());
          if (files.isOpen(changed)) return;
          workspace.invalidate(changed);
          schedule();
        });
        watcher.on('error', (error) => connection.console.warn(`Watching ${root} stopped: ${error.message}`));
        watchers.push(watcher);
      } catch (error) {
        connection.console.warn(`Cannot watch ${root}: ${(error as Error).message}`);
      }
    }
  }

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
    // In pull mode an open document's diagnostics come from pulls: clear what was pushed for it.
    if (support.pullDiagnostics && published.has(event.document.uri)) {
      published.delete(event.document.uri);
      void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
    }
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

  connection.onDidChangeConfiguration((params) => {
    settings.changed(params.settings);
    navigationFeatures.configurationChanged();
    schedule();
  });

  connection.languages.diagnostics.on(async (params) => {
    const filePath = uriToPath(params.textDocument.uri);
    // During the cold start an open document is answered with its provisional diagnostics as soon as
    // they exist; a refresh follows once the whole workspace is validated.
    const version = documents.get(params.textDocument.uri)?.version;
    if (filePath && version !== undefined && !warm) {
      await Promise.race([provisionalOf(filePath, version), settled()]);
      const early = provisional.get(filePath);
      if (!warm && early?.version === version) return { kind: DocumentDiagnosticReportKind.Full, items: early.diagnostics.map((d) => toLspDiagnostic(d, support)) };
    }
    await settled();
    const diagnostics = filePath ? (latest.get(filePath) ?? []) : [];
    return { kind: DocumentDiagnosticReportKind.Full, items: diagnostics.map((d) => toLspDiagnostic(d, support)) };
  });

  connection.onCodeLens((params) => codeLenses(context, params));
  const navigationFeatures = registerNavigation(context, () => navigation, {
    settingsOf: (filePath) => settings.of(filePath),
    schemaLeftToRedHatYaml: (filePath) => settings.redHatYamlValidates(filePath),
  });
  connection.onNotification(RedHatYamlNotification, ({ active }) => {
    settings.redHatYaml.active = active === true;
    schedule();
  });
  connection.onCodeAction((params) => codeActions(context, params));
  connection.onRequest(StagesRequest, (params) => stages(context, params.activeUri));
  connection.onExecuteCommand(async (params) => {
    const [args] = params.arguments ?? [];
    switch (params.command) {
      case ServerCommands.moveStage:
        return moveStage(context, args as MoveStageArguments);
      case ServerCommands.setCanaryWeight:
        return setCanaryWeight(context, args as SetCanaryWeightArguments);
      case ServerCommands.showStage:
        return showStage(context, args as { uri: string });
      default:
        return undefined;
    }
  });

  connection.onShutdown(() => {
    for (const watcher of watchers) watcher.close();
  });

  // Validation runs once per burst of changes, one run at a time.
  let scheduled = false;
  let running: Promise<void> | undefined;
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      running = (running ?? Promise.resolve()).then(validate, validate);
    });
  }

  async function settled(): Promise<void> {
    while (scheduled || running) {
      const current = running;
      if (scheduled) await new Promise((resolve) => setImmediate(resolve));
      else if (current) {
        await current;
        if (running === current) running = undefined;
      }
    }
  }

  /** Whether the workspace's files have been read and parsed once (the cold start of a session). */
  let warm = false;
  /** Provisional diagnostics of open documents, by path, for the document version they were computed for. */
  let provisional = new Map<string, { version: number; diagnostics: Diagnostic[] }>();
  /** Pulls waiting for a document's provisional diagnostics. */
  const provisionalWaiters = new Map<string, (() => void)[]>();

  /** Resolves when the document has provisional diagnostics for this version (or never, once the cold start is over). */
  function provisionalOf(filePath: string, version: number): Promise<void> {
    if (provisional.get(filePath)?.version === version) return Promise.resolve();
    return new Promise((resolve) => provisionalWaiters.set(filePath, [...(provisionalWaiters.get(filePath) ?? []), resolve]));
  }

  async function validate(): Promise<void> {
    try {
      workspace.setMaxFileBytes(await settings.maxFileBytes());
    } catch (error) {
      connection.console.warn(`Settings not read: ${(error as Error).message}`);
    }
    if (!warm) await warmUp();
    let findings: ReturnType<Validator['findings']>;
    try {
      findings = validator.findings();
    } catch (error) {
      // The engine guards each rule and file; this is the last line, so that the server keeps serving.
      connection.console.error(`Validation failed: ${(error as Error).stack ?? String(error)}`);
      return;
    }
    try {
      await settings.ensure([...findings.keys()]);
    } catch (error) {
      connection.console.warn(`Settings not read: ${(error as Error).message}`);
    }
    latest = validator.diagnostics((p) => settings.get(p), findings);
    provisional = new Map();
    publish();
    if (support.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type);
  }

  /**
   * The cold start: reads and parses every file in slices, and between slices gives open documents
   * provisional diagnostics, so that in a large repository the files a user looks at get theirs in
   * a fraction of a second instead of after the whole workspace.
   */
  async function warmUp(): Promise<void> {
    const paths = workspace.yamlFiles();
    for (let index = 0; index < paths.length; index += WARM_UP_SLICE) {
      for (const filePath of paths.slice(index, index + WARM_UP_SLICE)) {
        const file = workspace.file(filePath);
        if (file?.isKustomization) void file.kustomization;
        else if (file?.mentionsAppMesh) void file.objects;
      }
      await publishProvisional();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await publishProvisional();
    warm = true;
    // Pulls still waiting are answered by the whole validation now.
    for (const waiters of provisionalWaiters.values()) for (const resolve of waiters) resolve();
    provisionalWaiters.clear();
  }

  /** Provisional diagnostics for open documents that have none for their current version yet. */
  async function publishProvisional(): Promise<void> {
    const waiting = documents.all().filter((d) => {
      const filePath = uriToPath(d.uri);
      return filePath !== undefined && workspace.contains(filePath) && provisional.get(filePath)?.version !== d.version;
    });
    if (waiting.length === 0) return;
    const paths = waiting.map((d) => uriToPath(d.uri)!);
    let byFile: Map<string, Diagnostic[]>;
    try {
      await settings.ensure(paths);
      byFile = validator.diagnostics((p) => settings.get(p), validator.provisionalFindings(paths));
    } catch (error) {
      connection.console.error(`Validation failed: ${(error as Error).stack ?? String(error)}`);
      return;
    }
    for (const document of waiting) {
      const filePath = uriToPath(document.uri)!;
      const diagnostics = byFile.get(filePath) ?? [];
      provisional.set(filePath, { version: document.version, diagnostics });
      for (const resolve of provisionalWaiters.get(filePath) ?? []) resolve();
      provisionalWaiters.delete(filePath);
      if (!support.pullDiagnostics) push(document.uri, document.version, diagnostics.map((d) => toLspDiagnostic(d, support)));
    }
    if (support.pullDiagnostics && support.pullRefresh) void connection.languages.diagnostics.refresh();
  }

  /** Pushes a file's diagnostics unless the same were pushed already (for an open document: for its current version). */
  function push(uri: string, version: number | undefined, lsp: LspDiagnostic[], content = JSON.stringify(lsp)): void {
    // An open document's diagnostics are pushed again for each new version, even unchanged, so they never trail its text.
    const key = version === undefined ? content : `${version}@${content}`;
    if (published.get(uri) === key) return;
    published.set(uri, key);
    void connection.sendDiagnostics({ uri, version, diagnostics: lsp });
  }

  function publish(): void {
    const seen = new Set<string>();
    let pullsChanged = false;
    for (const [filePath, diagnostics] of latest) {
      const document = openDocumentFor(filePath);
      const uri = document?.uri ?? pathToUri(filePath);
      seen.add(uri);
      const lsp = diagnostics.map((d) => toLspDiagnostic(d, support));
      const content = JSON.stringify(lsp);
      if (support.pullDiagnostics && document) {
        if (published.get(uri) !== content) pullsChanged = true;
        published.set(uri, content);
        continue;
      }
      push(uri, document?.version, lsp, content);
    }
    for (const uri of [...published.keys()]) {
      if (seen.has(uri)) continue;
      published.delete(uri);
      const document = documents.get(uri);
      if (support.pullDiagnostics && document) pullsChanged = true;
      else void connection.sendDiagnostics({ uri, version: document?.version, diagnostics: [] });
    }
    if (pullsChanged && support.pullRefresh) void connection.languages.diagnostics.refresh();
  }

  documents.listen(connection);
  connection.listen();
}
