import { Connection, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic, MeshService } from '../engine';
import { ClientSupport } from './capabilities';

/** The state every feature handler reads; handlers only translate between it and LSP. */
export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  support: ClientSupport;
  service: MeshService;
  /** Resolves once pending changes are validated, so answers match the latest text. */
  settled(): Promise<void>;
  /** The latest diagnostics of a file, as published. */
  diagnosticsOf(filePath: string): Diagnostic[];
  /** The version of a file's open document, or null when it is not open. */
  versionOf(filePath: string): number | null;
  /** A file's URI as the client spells it when the file is open, else the canonical one. */
  uriOf(filePath: string): string;
}
