import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { Diagnostic, MIGRATION_TARGETS, Range, TARGET_LABELS } from '../engine';
import { ClientCommands, ServerCommands } from '../protocol';
import { ServerContext } from './context';
import { toLspDiagnostic, uriToPath } from './convert';
import { toWorkspaceEdit } from './workspaceEdit';

const sameRange = (a: Range, b: Range): boolean =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

const intersects = (a: Range, b: Range): boolean =>
  !(
    a.end.line < b.start.line ||
    (a.end.line === b.start.line && a.end.character < b.start.character) ||
    b.end.line < a.start.line ||
    (b.end.line === a.start.line && b.end.character < a.start.character)
  );

/**
 * Quick fixes for the diagnostics in the requested range, and `source.fixAll` for the file's safe
 * fixes. Findings are looked up in the server's own latest results, so clients that do not send
 * diagnostics' `data` back get the same fixes.
 */
export async function codeActions(context: ServerContext, params: CodeActionParams): Promise<CodeAction[]> {
  await context.settled();
  const filePath = uriToPath(params.textDocument.uri);
  if (!filePath) return [];
  const diagnostics = context.diagnosticsOf(filePath);
  const only = params.context.only;
  const wants = (kind: string): boolean => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
  const actions: CodeAction[] = [];

  if (wants(CodeActionKind.QuickFix)) {
    const requested = params.context.diagnostics.filter((d) => d.source === 'mesh-kustomize');
    const relevant = diagnostics.filter((d) =>
      requested.length > 0 ? requested.some((r) => r.code === d.code && sameRange(r.range, d.range)) : intersects(d.range, params.range),
    );
    for (const diagnostic of relevant) {
      for (const fix of context.service.fixes(diagnostic)) {
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [lspDiagnostic(context, diagnostic, params.context.diagnostics)],
          isPreferred: fix.isPreferred,
          edit: toWorkspaceEdit(context, fix.changes),
        });
      }
    }
  }
  // Only when refactorings are asked for (VS Code's Refactor… menu): a light bulb on every line of every App Mesh kustomization would be noise.
  if (only && wants(CodeActionKind.RefactorRewrite) && context.service.workspace.file(filePath)?.isKustomization) {
    actions.push(...migrationActions(context, params.textDocument.uri, filePath));
  }
  if (wants(CodeActionKind.SourceFixAll)) {
    const all = context.service.fixAll(filePath, diagnostics);
    if (all) {
      actions.push({
        title: 'Mesh Kustomize: fix all safe problems',
        kind: `${CodeActionKind.SourceFixAll}.meshKustomize`,
        edit: toWorkspaceEdit(context, all.changes),
      });
    }
  }
  return actions;
}

/** The client's own copy of the diagnostic when it sent one, so it recognizes what the action fixes. */
function lspDiagnostic(context: ServerContext, diagnostic: Diagnostic, sent: LspDiagnostic[]): LspDiagnostic {
  return sent.find((d) => d.code === diagnostic.code && sameRange(d.range, diagnostic.range)) ?? toLspDiagnostic(diagnostic, context.support);
}

/** "Migrate this rollout to …" on an App Mesh kustomization, one per target: the client's command (which shows the report) where it has one. */
function migrationActions(context: ServerContext, uri: string, filePath: string): CodeAction[] {
  const probe = context.service.planMigration(filePath, 'gamma');
  if (!probe || probe.refusal) return [];
  const command = context.support.clientCommands.includes(ClientCommands.migrate) ? ClientCommands.migrate : ServerCommands.migrate;
  return MIGRATION_TARGETS.map((target) => ({
    title: `Migrate this rollout to ${TARGET_LABELS[target]}…`,
    kind: `${CodeActionKind.RefactorRewrite}.meshKustomize.migrate`,
    command: { title: `Migrate to ${TARGET_LABELS[target]}`, command, arguments: [{ uri, target }] },
  }));
}
