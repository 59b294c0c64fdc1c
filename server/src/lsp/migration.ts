import * as fs from 'node:fs';
import * as path from 'node:path';
import { CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { markdownReport, MIGRATION_TARGETS, MigrationPlan, TARGET_LABELS } from '../engine';
import { CommandResult, MigrateArguments } from '../protocol';
import { ServerContext } from './context';
import { uriToPath } from './convert';

const ANNOTATION = 'meshKustomize.migration';

/**
 * Migrates the App Mesh rollout of a kustomization to a successor API: a workspace edit that only
 * creates files (the migrated tree in a new folder), which the user previews where the client can
 * annotate edits; clients that cannot create files get the files written on an explicit second call.
 */
export async function migrate(context: ServerContext, args: MigrateArguments): Promise<CommandResult> {
  const filePath = typeof args?.uri === 'string' ? uriToPath(args.uri) : undefined;
  if (!filePath) return refuse(`Not a file: ${String(args?.uri)}`);
  if (!MIGRATION_TARGETS.includes(args.target)) return refuse(`Not a migration target: ${String(args.target)} (${MIGRATION_TARGETS.join(', ')}).`);
  await context.settled();
  const plan = context.service.planMigration(filePath, args.target, outDirFor(context, filePath, args.target));
  if (!plan) return refuse(`${path.basename(filePath)} belongs to no kustomization.`);
  if (plan.refusal) return refuse(`Not migrated: ${plan.refusal}`);
  const existing = plan.files.find((f) => context.service.workspace.kindOf(f.path) !== undefined);
  if (existing)
    return refuse(`Not migrated: ${existing.path} exists, and a migration never overwrites a file. Move it away, or migrate with the CLI into another folder.`);
  const root = path.dirname(path.dirname(plan.outDir));
  const relative = (p: string): string => path.relative(root, p).split(path.sep).join('/');
  const label = `Migrate to ${TARGET_LABELS[plan.target]}`;
  if (args.dryRun) {
    return {
      status: 'preview',
      message: `Create ${plan.files.length} files in ${relative(plan.outDir)}? No existing file is changed.`,
      report: markdownReport(plan, relative, false),
    };
  }
  const report = markdownReport(plan, relative, true);
  if (context.support.createFiles) {
    const result = await context.connection.workspace.applyEdit({ label, edit: creationEdit(context, plan, label) });
    if (!result.applied) return refuse(`The editor did not apply the migration${result.failureReason ? `: ${result.failureReason}` : ''}.`);
  } else if (args.write) {
    fs.mkdirSync(plan.outDir, { recursive: true });
    for (const file of plan.files) fs.writeFileSync(file.path, file.text, { flag: 'wx' });
    for (const file of plan.files) context.service.workspace.invalidate(file.path);
  } else {
    return {
      status: 'missing',
      message: `This editor cannot create files through an edit: run the command again with write to have ${plan.files.length} files written to ${plan.outDir}.`,
      report,
    };
  }
  return { status: 'applied', message: `${label}: ${plan.files.length} files in ${path.basename(plan.outDir)}.`, report };
}

/**
 * Where the migrated tree goes: beside the kustomization's folder (apps/dj → apps/dj-gamma) when that
 * is inside a workspace folder, else inside it (dj/dj-gamma), so that the editor shows what it creates.
 */
function outDirFor(context: ServerContext, filePath: string, target: string): string {
  const workspace = context.service.workspace;
  const dir = path.dirname(filePath);
  const sibling = `${dir}-${target}`;
  const inside = workspace.roots.some((root) => sibling.startsWith(root + path.sep));
  return inside ? sibling : path.join(dir, `${path.basename(dir)}-${target}`);
}

/** Only creations; annotated with a label where the client groups edits by annotation (no confirmation: the user looked at the dry run). */
function creationEdit(context: ServerContext, plan: MigrationPlan, label: string): WorkspaceEdit {
  const annotated = context.support.changeAnnotations;
  const annotation = annotated ? ANNOTATION : undefined;
  const documentChanges: WorkspaceEdit['documentChanges'] = [];
  for (const file of plan.files) {
    const uri = context.uriOf(file.path);
    documentChanges.push(CreateFile.create(uri, { overwrite: false, ignoreIfExists: false }, annotation));
    const insert = TextEdit.insert({ line: 0, character: 0 }, file.text);
    documentChanges.push(TextDocumentEdit.create({ uri, version: null }, [annotation ? { ...insert, annotationId: annotation } : insert]));
  }
  return {
    documentChanges,
    ...(annotated
      ? {
          changeAnnotations: {
            [ANNOTATION]: {
              label,
              needsConfirmation: false,
              description: `${plan.files.length} new files in ${path.basename(plan.outDir)}; no file is changed.`,
            },
          },
        }
      : {}),
  };
}

function refuse(message: string): CommandResult {
  return { status: 'refused', message };
}
