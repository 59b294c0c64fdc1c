import { Connection, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic, Validator, Workspace } from '../engine';

/** What the client announced it can do; features fall back to plain forms where it cannot. */
export interface ClientSupport {
  relatedInformation: boolean;
  codeDescription: boolean;
  pullDiagnostics: boolean;
  pullRefresh: boolean;
  codeLensRefresh: boolean;
  watchedFiles: boolean;
  configuration: boolean;
  /** `documentChanges` in workspace edits, which carry document versions. */
  documentChanges: boolean;
  showMessage: boolean;
}

/** The state every feature handler reads; handlers only translate between it and LSP. */
export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  support: ClientSupport;
  workspace(): Workspace;
  validator(): Validator;
  /** Resolves once pending changes are validated, so answers match the latest text. */
  settled(): Promise<void>;
  /** The latest diagnostics of a file, as published. */
  diagnosticsOf(filePath: string): Diagnostic[];
  /** The version of a file's open document, or null when it is not open. */
  versionOf(filePath: string): number | null;
  /** A file's URI as the client spells it when the file is open, else the canonical one. */
  uriOf(filePath: string): string;
}
