import { CodeLensRefreshRequest, Connection, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CheckResult, MeshService } from '../engine';
import { ClientSupport } from './capabilities';
import { uriToPath } from './convert';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { SettingsStore } from './settings';

/** Files read and parsed per slice of the cold start, between which open documents get provisional diagnostics. */
const WARM_UP_SLICE = 128;

export interface ValidationParts {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  support: ClientSupport;
  service: MeshService;
  settings: SettingsStore;
  publisher: DiagnosticsPublisher;
}

/**
 * One validation of the workspace, as the scheduler runs it: the size limit from the settings, the
 * cold start the first time, then every file and build checked and the diagnostics published.
 */
export function validation({ connection, documents, support, service, settings, publisher }: ValidationParts): () => Promise<void> {
  const { workspace } = service;
  /** Whether the workspace's files have been read and parsed once (the cold start of a session). */
  let warm = false;

  /**
   * The cold start: reads and parses every file in slices, and between slices gives open documents
   * provisional diagnostics, so that in a large repository the files a user looks at get theirs in
   * a fraction of a second instead of after the whole workspace.
   */
  async function warmUp(): Promise<void> {
    const paths = workspace.yamlFiles();
    for (let index = 0; index < paths.length; index += WARM_UP_SLICE) {
      service.prepare(paths.slice(index, index + WARM_UP_SLICE));
      await publishProvisional();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await publishProvisional();
    warm = true;
    publisher.coldStartDone();
  }

  /** Provisional diagnostics for open documents that have none for their current version yet. */
  async function publishProvisional(): Promise<void> {
    const waiting = documents.all().flatMap((document) => {
      const filePath = uriToPath(document.uri);
      return filePath !== undefined && workspace.contains(filePath) && !publisher.hasProvisional(filePath, document.version) ? [{ document, filePath }] : [];
    });
    if (waiting.length === 0) return;
    const paths = waiting.map((w) => w.filePath);
    let byFile: ReturnType<CheckResult['diagnostics']>;
    try {
      await settings.ensure(paths);
      byFile = service.checkProvisionally(paths).diagnostics((p) => settings.get(p));
    } catch (error) {
      connection.console.error(`Validation failed: ${(error as Error).stack ?? String(error)}`);
      return;
    }
    publisher.publishProvisional(waiting.map((w) => ({ ...w, diagnostics: byFile.get(w.filePath) ?? [] })));
  }

  return async function validate(): Promise<void> {
    try {
      workspace.setMaxFileBytes(await settings.maxFileBytes());
    } catch (error) {
      connection.console.warn(`Settings not read: ${(error as Error).message}`);
    }
    if (!warm) await warmUp();
    let checked: CheckResult;
    try {
      checked = service.check();
    } catch (error) {
      // The engine guards each rule and file; this is the last line, so that the server keeps serving.
      connection.console.error(`Validation failed: ${(error as Error).stack ?? String(error)}`);
      return;
    }
    try {
      await settings.ensure(checked.files);
    } catch (error) {
      connection.console.warn(`Settings not read: ${(error as Error).message}`);
    }
    publisher.publish(checked.diagnostics((p) => settings.get(p)));
    if (support.codeLensRefresh) void connection.sendRequest(CodeLensRefreshRequest.type);
  };
}
