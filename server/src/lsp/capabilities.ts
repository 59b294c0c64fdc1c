import { ClientCapabilities, CodeActionKind, InitializeParams, ServerCapabilities, TextDocumentSyncKind } from 'vscode-languageserver';
import { InitializationOptions } from '../protocol';
import { uriToPath } from './convert';
import { navigationCapabilities, navigationSupport, NavigationSupport } from './navigation';

/** What the client announced it can do; features fall back to plain forms where it cannot. */
export interface ClientSupport {
  relatedInformation: boolean;
  codeDescription: boolean;
  pullDiagnostics: boolean;
  pullRefresh: boolean;
  codeLensRefresh: boolean;
  /** The client watches files for us when we register watchers; else the server watches the disk itself. */
  watchedFiles: boolean;
  /** `workspace/configuration`: settings are asked per file; else they come with initializationOptions and didChangeConfiguration. */
  configuration: boolean;
  /** `workspace/didChangeConfiguration` can be registered for, so that the client says when our section changes. */
  configurationChangeRegistration: boolean;
  /** `documentChanges` in workspace edits, which carry document versions. */
  documentChanges: boolean;
  /** Workspace edits may create files (resource operation `create`, within documentChanges). */
  createFiles: boolean;
  /** Workspace edits may carry change annotations that ask the user to confirm (a preview). */
  changeAnnotations: boolean;
  /** Client-side commands the client offers (initializationOptions.clientCommands). */
  clientCommands: readonly string[];
  showMessage: boolean;
  /** `$/progress` on a request's workDoneToken (window.workDoneProgress). */
  workDoneProgress: boolean;
  navigation: NavigationSupport;
}

export function clientSupport(capabilities: ClientCapabilities): ClientSupport {
  const publish = capabilities.textDocument?.publishDiagnostics;
  return {
    relatedInformation: publish?.relatedInformation === true,
    codeDescription: publish?.codeDescriptionSupport === true,
    pullDiagnostics: capabilities.textDocument?.diagnostic !== undefined,
    pullRefresh: capabilities.workspace?.diagnostics?.refreshSupport === true,
    codeLensRefresh: capabilities.workspace?.codeLens?.refreshSupport === true,
    watchedFiles: capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    configuration: capabilities.workspace?.configuration === true,
    configurationChangeRegistration: capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    documentChanges: capabilities.workspace?.workspaceEdit?.documentChanges === true,
    createFiles:
      capabilities.workspace?.workspaceEdit?.documentChanges === true && (capabilities.workspace.workspaceEdit.resourceOperations ?? []).includes('create'),
    changeAnnotations: capabilities.workspace?.workspaceEdit?.changeAnnotationSupport !== undefined,
    clientCommands: [],
    showMessage: capabilities.window?.showMessage !== undefined,
    workDoneProgress: capabilities.window?.workDoneProgress === true,
    navigation: navigationSupport(capabilities),
  };
}

/** What the server offers this client: pull diagnostics only to clients that pull. */
export function serverCapabilities(support: ClientSupport, commands: string[]): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    ...(support.pullDiagnostics ? { diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false } } : {}),
    codeLensProvider: { resolveProvider: false },
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.SourceFixAll, CodeActionKind.RefactorRewrite] },
    executeCommandProvider: { commands },
    ...navigationCapabilities(support.navigation),
    workspace: { workspaceFolders: { supported: false } },
  };
}

/** The folders to validate: the workspace folders, else the root URI of clients that predate folders. */
export function workspaceRoots(params: InitializeParams): string[] {
  const roots = (params.workspaceFolders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
  if (roots.length === 0 && params.rootUri) {
    const root = uriToPath(params.rootUri);
    if (root) roots.push(root);
  }
  return roots;
}

export function initializationOptions(params: InitializeParams): InitializationOptions {
  return (params.initializationOptions ?? {}) as InitializationOptions;
}
