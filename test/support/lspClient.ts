import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  ClientCapabilities,
  createProtocolConnection,
  Diagnostic,
  InitializeParams,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import * as fs from 'node:fs';
import { URI } from 'vscode-uri';
import { LineIndex } from '../../server/src/engine';
import { applyEdits } from '../../server/src/engine/edits';
import { REPO } from './cases';

export const SERVER = path.join(REPO, 'dist', 'server.js');

/** What VS Code announces, roughly: push diagnostics with related information, configuration, watched files. */
export const FULL_CAPABILITIES: ClientCapabilities = {
  textDocument: {
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
    synchronization: { dynamicRegistration: false },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } }, isPreferredSupport: true },
  },
  workspace: {
    configuration: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    applyEdit: true,
    workspaceEdit: { documentChanges: true },
    codeLens: { refreshSupport: true },
  },
  window: { showMessage: {} },
};

interface TextEditLike {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

/** What a workspace edit does to files on disk: `documentChanges` or plain `changes`. */
export function applyWorkspaceEdit(edit: {
  changes?: Record<string, TextEditLike[]>;
  documentChanges?: ({ textDocument: { uri: string }; edits: TextEditLike[] } | { kind: 'create'; uri: string; options?: { overwrite?: boolean } })[];
}): string[] {
  const byUri = new Map<string, TextEditLike[]>();
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) byUri.set(uri, edits);
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      // A file creation, as an editor does it: refused when the file exists and may not be overwritten.
      const file = URI.parse(change.uri).fsPath;
      if (fs.existsSync(file) && !change.options?.overwrite) throw new Error(`${file} exists`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '');
      continue;
    }
    byUri.set(change.textDocument.uri, [...(byUri.get(change.textDocument.uri) ?? []), ...change.edits]);
  }
  for (const [uri, edits] of byUri) {
    const file = URI.parse(uri).fsPath;
    const text = fs.readFileSync(file, 'utf8');
    const lines = new LineIndex(text);
    fs.writeFileSync(
      file,
      applyEdits(text, edits, (p) => lines.offsetAt(p)),
    );
  }
  return [...byUri.keys()];
}

/** What a minimal client announces (nothing at all): the server must fall back to plain forms. */
export const BARE_CAPABILITIES: ClientCapabilities = {};

export interface StartOptions {
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  /** Answers to `workspace/configuration`, per item. */
  configuration?: (item: { scopeUri?: string; section?: string }) => unknown;
  /** Options for node before the server's script, such as `--require` preloads. */
  nodeArgs?: string[];
  /** Extra environment variables for the server process. */
  env?: Record<string, string>;
}

/** The real language server, started over stdio as Neovim or Helix would start it. */
export class LspClient {
  readonly published = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics, in the order received. */
  readonly publishLog: PublishDiagnosticsParams[] = [];
  readonly registrations: unknown[] = [];
  readonly logs: string[] = [];
  readonly messages: string[] = [];
  readonly appliedEdits: { label?: string; edit: unknown }[] = [];
  /** What the server wrote to stderr (crashes, warnings). */
  readonly stderr: string[] = [];
  /** Whether `workspace/applyEdit` requests are applied to disk (as an editor would to its buffers). */
  applyEditsToDisk = true;
  private listeners: (() => void)[] = [];

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
  ) {}

  static async start(root: string, options: StartOptions = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER, '--stdio'], {
      stdio: 'pipe',
      env: options.env ? { ...process.env, ...options.env } : process.env,
    });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection);
    child.stderr.on('data', (chunk: Buffer) => client.stderr.push(chunk.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      client.published.set(params.uri, params);
      client.publishLog.push(params);
      for (const listener of client.listeners) listener();
    });
    connection.onNotification('window/logMessage', (params: { message: string }) => {
      client.logs.push(params.message);
    });
    connection.onRequest('client/registerCapability', (params: { registrations: unknown[] }) => {
      client.registrations.push(...params.registrations);
      return null;
    });
    connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string; section?: string }[] }) =>
      params.items.map((item) => options.configuration?.(item) ?? null),
    );
    connection.onRequest('workspace/diagnostic/refresh', () => null);
    connection.onRequest('workspace/codeLens/refresh', () => null);
    connection.onNotification('window/showMessage', (params: { message: string }) => {
      client.messages.push(params.message);
    });
    connection.onRequest(
      'workspace/applyEdit',
      (params: { label?: string; edit: Parameters<typeof applyWorkspaceEdit>[0] }): { applied: boolean; failureReason?: string } => {
        client.appliedEdits.push(params);
        if (!client.applyEditsToDisk) return { applied: false, failureReason: 'declined by the test' };
        const uris = applyWorkspaceEdit(params.edit);
        void connection.sendNotification('workspace/didChangeWatchedFiles', { changes: uris.map((uri) => ({ uri, type: 2 })) });
        return { applied: true };
      },
    );
    connection.listen();
    const params: InitializeParams = {
      processId: process.pid,
      rootUri: URI.file(root).toString(),
      workspaceFolders: [{ uri: URI.file(root).toString(), name: path.basename(root) }],
      capabilities: options.capabilities ?? FULL_CAPABILITIES,
      initializationOptions: options.initializationOptions,
    };
    // A server that dies at start (a broken preload, say) fails the test instead of hanging it.
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => reject(new Error(`the server exited (${code ?? signal}) before initializing: ${client.stderr.join('')}`))),
    );
    await Promise.race([connection.sendRequest('initialize', params), exited]);
    exited.catch(() => undefined);
    await connection.sendNotification('initialized', {});
    return client;
  }

  uri(filePath: string): string {
    return URI.file(filePath).toString();
  }

  diagnosticsOf(filePath: string): Diagnostic[] {
    return this.published.get(this.uri(filePath))?.diagnostics ?? [];
  }

  /** Waits until the condition holds after some publishDiagnostics, or fails after the timeout. */
  waitFor(condition: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(new Error(`timed out waiting for ${what}; published: ${JSON.stringify([...this.published.keys()])}; logs: ${this.logs.join('\n')}`));
      }, timeoutMs);
      const check = (): void => {
        if (!condition()) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve();
      };
      this.listeners.push(check);
    });
  }

  /** Waits until no publishDiagnostics has arrived for `quietMs`. */
  async settle(quietMs = 300): Promise<void> {
    let last = Date.now();
    const listener = (): void => {
      last = Date.now();
    };
    this.listeners.push(listener);
    while (Date.now() - last < quietMs) await new Promise((r) => setTimeout(r, 50));
    this.listeners = this.listeners.filter((l) => l !== listener);
  }

  openDocument(filePath: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: this.uri(filePath), languageId: 'yaml', version, text },
    });
  }

  /**
   * Resolves once the server has validated every change sent so far: its answer to a code lens request
   * comes after it settles, and after the diagnostics it published for that state.
   */
  async barrier(filePath: string): Promise<void> {
    await this.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: this.uri(filePath) } });
  }

  changeDocument(filePath: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: this.uri(filePath), version },
      contentChanges: [{ text }],
    });
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // The server may already be gone; it is killed below either way.
    }
    this.connection.dispose();
    this.process.kill();
  }
}
