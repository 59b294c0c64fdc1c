import { Connection, Diagnostic as LspDiagnostic, DocumentDiagnosticReport, DocumentDiagnosticReportKind, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic } from '../engine';
import { ClientSupport } from './capabilities';
import { pathToUri, toLspDiagnostic, uriToPath } from './convert';

/**
 * Hands diagnostics to the client: pushed with publishDiagnostics, or, for open documents of clients
 * that pull (textDocument/diagnostic), answered to pulls and announced with a refresh. Sends only what
 * changed and clears what is gone. During the cold start, open documents get provisional diagnostics,
 * and pulls wait for them rather than for the whole workspace.
 */
export class DiagnosticsPublisher {
  /** What was last pushed per URI (for pulled documents: last answered), to send only what changed. */
  private readonly published = new Map<string, string>();
  private latest = new Map<string, Diagnostic[]>();
  /** Whether the cold start is over: from then on pulls are answered with the whole validation. */
  private warm = false;
  /** Provisional diagnostics of open documents, by path, for the document version they were computed for. */
  private provisional = new Map<string, { version: number; diagnostics: Diagnostic[] }>();
  /** Pulls waiting for a document's provisional diagnostics. */
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly support: ClientSupport,
    /** The open document of a path, whatever spelling of its URI the client used. */
    private readonly openDocumentFor: (filePath: string) => TextDocument | undefined,
  ) {}

  /** The latest diagnostics of a file, as published. */
  diagnosticsOf(filePath: string): Diagnostic[] {
    return this.latest.get(filePath) ?? [];
  }

  /** In pull mode an open document's diagnostics come from pulls: clears what was pushed for it. */
  documentOpened(uri: string): void {
    if (this.support.pullDiagnostics && this.published.has(uri)) {
      this.published.delete(uri);
      void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }

  /** Whether the document has provisional diagnostics for this version. */
  hasProvisional(filePath: string, version: number): boolean {
    return this.provisional.get(filePath)?.version === version;
  }

  /** Provisional diagnostics of open documents: pushed, or handed to the pulls waiting for them. */
  publishProvisional(results: { document: TextDocument; filePath: string; diagnostics: Diagnostic[] }[]): void {
    for (const { document, filePath, diagnostics } of results) {
      this.provisional.set(filePath, { version: document.version, diagnostics });
      for (const resolve of this.waiters.get(filePath) ?? []) resolve();
      this.waiters.delete(filePath);
      if (!this.support.pullDiagnostics) this.push(document.uri, document.version, this.toLsp(diagnostics));
    }
    if (this.support.pullDiagnostics && this.support.pullRefresh) void this.connection.languages.diagnostics.refresh();
  }

  /** The cold start is over: pulls still waiting are answered by the whole validation now. */
  coldStartDone(): void {
    this.warm = true;
    for (const waiters of this.waiters.values()) for (const resolve of waiters) resolve();
    this.waiters.clear();
  }

  /** The diagnostics of the whole workspace: they replace every provisional result. */
  publish(latest: Map<string, Diagnostic[]>): void {
    this.latest = latest;
    this.provisional = new Map();
    const seen = new Set<string>();
    let pullsChanged = false;
    for (const [filePath, diagnostics] of latest) {
      const document = this.openDocumentFor(filePath);
      const uri = document?.uri ?? pathToUri(filePath);
      seen.add(uri);
      const lsp = this.toLsp(diagnostics);
      const content = JSON.stringify(lsp);
      if (this.support.pullDiagnostics && document) {
        if (this.published.get(uri) !== content) pullsChanged = true;
        this.published.set(uri, content);
        continue;
      }
      this.push(uri, document?.version, lsp, content);
    }
    for (const uri of [...this.published.keys()]) {
      if (seen.has(uri)) continue;
      this.published.delete(uri);
      const document = this.documents.get(uri);
      if (this.support.pullDiagnostics && document) pullsChanged = true;
      else void this.connection.sendDiagnostics({ uri, version: document?.version, diagnostics: [] });
    }
    if (pullsChanged && this.support.pullRefresh) void this.connection.languages.diagnostics.refresh();
  }

  /**
   * Answers a pull. During the cold start an open document is answered with its provisional
   * diagnostics as soon as they exist; a refresh follows once the whole workspace is validated.
   */
  async pull(uri: string, settled: () => Promise<void>): Promise<DocumentDiagnosticReport> {
    const filePath = uriToPath(uri);
    const version = this.documents.get(uri)?.version;
    if (filePath && version !== undefined && !this.warm) {
      await Promise.race([this.provisionalOf(filePath, version), settled()]);
      const early = this.provisional.get(filePath);
      if (!this.warm && early?.version === version) return { kind: DocumentDiagnosticReportKind.Full, items: this.toLsp(early.diagnostics) };
    }
    await settled();
    return { kind: DocumentDiagnosticReportKind.Full, items: this.toLsp(filePath ? this.diagnosticsOf(filePath) : []) };
  }

  /** Resolves when the document has provisional diagnostics for this version (or never, once the cold start is over). */
  private provisionalOf(filePath: string, version: number): Promise<void> {
    if (this.hasProvisional(filePath, version)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(filePath, [...(this.waiters.get(filePath) ?? []), resolve]));
  }

  private toLsp(diagnostics: Diagnostic[]): LspDiagnostic[] {
    return diagnostics.map((d) => toLspDiagnostic(d, this.support));
  }

  /** Pushes a file's diagnostics unless the same were pushed already (for an open document: for its current version). */
  private push(uri: string, version: number | undefined, lsp: LspDiagnostic[], content = JSON.stringify(lsp)): void {
    // An open document's diagnostics are pushed again for each new version, even unchanged, so they never trail its text.
    const key = version === undefined ? content : `${version}@${content}`;
    if (this.published.get(uri) === key) return;
    this.published.set(uri, key);
    void this.connection.sendDiagnostics({ uri, version, diagnostics: lsp });
  }
}
