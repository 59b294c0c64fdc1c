import * as path from 'node:path';
import { Kustomization, KustomizationEntry } from '../kustomization';
import { Position, Range } from '../text';
import { NavigationModel } from './model';

/** A kustomization entry and where following it leads. */
export interface EntryLink {
  range: Range;
  /** The file to open: the entry's file, a directory's kustomization file, else the directory. */
  target: string;
  targetIsDirectory: boolean;
  tooltip: string;
}

/** The entry written at a position of a kustomization, enabled or commented out. */
export function entryAt(kustomization: Kustomization, position: Position): KustomizationEntry | undefined {
  return kustomization.entries.find(
    (e) => e.line === position.line && position.character >= e.range.start.character && position.character <= e.range.end.character,
  );
}

/** The entry's path without its quotes. */
export function entryValueRange(kustomization: Kustomization, entry: KustomizationEntry): Range {
  const text = kustomization.parsed.lines.lineText(entry.line);
  const { start, end } = entry.range;
  const quoted =
    end.character - start.character >= 2 && /["']/.test(text.charAt(start.character)) && text.charAt(end.character - 1) === text.charAt(start.character);
  return quoted ? { start: { line: start.line, character: start.character + 1 }, end: { line: end.line, character: end.character - 1 } } : entry.range;
}

/** Links for every entry of a kustomization file, commented out or not, that names something in the workspace. */
export function documentLinks(model: NavigationModel, filePath: string): EntryLink[] {
  const kustomization = model.workspace.file(filePath)?.kustomization;
  if (!kustomization) return [];
  const links: EntryLink[] = [];
  for (const entry of kustomization.entries) {
    const link = entryLink(model, kustomization, entry);
    if (link) links.push(link);
  }
  return links;
}

export function entryLink(model: NavigationModel, kustomization: Kustomization, entry: KustomizationEntry): EntryLink | undefined {
  const target = model.resolveEntry(kustomization, entry);
  if (target.type !== 'file' && target.type !== 'directory') return undefined;
  const opened = target.type === 'directory' ? (target.kustomization ?? target.path) : target.path;
  const isDirectory = target.type === 'directory' && !target.kustomization;
  const state = entry.enabled ? '' : ' (commented out)';
  const what = isDirectory ? `the directory ${path.basename(opened)}/` : model.display(opened);
  return { range: entryValueRange(kustomization, entry), target: opened, targetIsDirectory: isDirectory, tooltip: `Open ${what}${state}` };
}
