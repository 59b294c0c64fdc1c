import { TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver';
import { FileEdit } from '../engine';
import { ServerContext } from './context';

/**
 * A workspace edit in the richest form the client takes: with document versions when it supports
 * `documentChanges` (so an edit for an older version is refused rather than misapplied), else plain `changes`.
 */
export function toWorkspaceEdit(context: ServerContext, changes: FileEdit[]): WorkspaceEdit {
  const uriOf = context.uriOf;
  if (context.support.documentChanges) {
    return {
      documentChanges: changes.map((change) => TextDocumentEdit.create({ uri: uriOf(change.path), version: context.versionOf(change.path) }, change.edits)),
    };
  }
  const byUri: WorkspaceEdit['changes'] = {};
  for (const change of changes) byUri[uriOf(change.path)] = [...(byUri[uriOf(change.path)] ?? []), ...change.edits];
  return { changes: byUri };
}
