import * as path from 'node:path';
import { TextEdit, toggleEntries } from './edits';
import { Kustomization, KustomizationEntry } from './kustomization';
import { Range } from './text';
import { stageModel } from './stages';
import { Workspace } from './workspace';

/** Edits to one file. */
export interface FileEdit {
  path: string;
  edits: TextEdit[];
}

/** A quick fix for one diagnostic. */
export interface CodeFix {
  title: string;
  /** The fix a user almost always wants; editors apply it with one key. */
  isPreferred?: boolean;
  /** Applied by "fix all": it cannot change where traffic goes. */
  safe?: boolean;
  changes: FileEdit[];
}

/** What a rule's fixes may ask: the workspace, as validated. */
export interface FixContext {
  workspace: Workspace;
}

export function kustomizationAt(workspace: Workspace, filePath: unknown): Kustomization | undefined {
  return typeof filePath === 'string' ? workspace.file(filePath)?.kustomization : undefined;
}

export function entryOnLine(kustomization: Kustomization, line: number): KustomizationEntry | undefined {
  return kustomization.entries.find((e) => e.line === line);
}

export function replace(range: Range, newText: string): TextEdit {
  return { range, newText };
}

/** Names of files for titles: "a.yaml and b.yaml", "a.yaml, b.yaml and c.yaml". */
export function listNames(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Disabled entries of a kustomization whose files define every one of the named objects, or undefined. */
export function entriesDefining(workspace: Workspace, kustomization: Kustomization, kind: string, names: string[]): KustomizationEntry[] | undefined {
  const dir = path.dirname(kustomization.path);
  const chosen: KustomizationEntry[] = [];
  for (const name of names) {
    const entry = kustomization.entries.find(
      (e) => !e.enabled && workspace.file(path.resolve(dir, e.value))?.objects.some((o) => o.kind === kind && o.name === name),
    );
    if (!entry) return undefined;
    if (!chosen.includes(entry)) chosen.push(entry);
  }
  return chosen;
}

/**
 * "Switch router to X" / "Enable X": router files of the kustomization's directory whose targets all
 * run now; enabling one turns the other router entries off, so exactly one stays enabled.
 */
export function routerFileFixes(workspace: Workspace, kustomization: Kustomization, verb: 'Switch router to' | 'Enable'): CodeFix[] {
  const model = stageModel(workspace, kustomization);
  if (!model) return [];
  const running = new Set(model.versionFiles.filter((f) => f.entry.enabled).flatMap((f) => f.versions));
  return model.routerFiles
    .filter((file) => file.entry && !file.entry.enabled)
    .filter((file) => [...file.splits.values()].every((targets) => targets.length > 0 && targets.every((t) => running.has(t.name))))
    .map((file) => ({
      title: `${verb} ${path.basename(file.path)}`,
      changes: [
        {
          path: kustomization.path,
          edits: toggleEntries(
            kustomization,
            model.routerFiles.filter((f) => f.entry).map((f) => ({ entry: f.entry!, enable: f === file })),
          ),
        },
      ],
    }));
}
