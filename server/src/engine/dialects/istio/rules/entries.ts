import * as path from 'node:path';
import { BuiltObject, divergingEntries } from '../../../build';
import { insertEntry, TextEdit, toggleEntries } from '../../../edits';
import { CodeFix, entryOnLine, FixContext, kustomizationAt } from '../../../fixes';
import { Kustomization } from '../../../kustomization';
import { ManifestObject } from '../../../manifest';
import { Workspace } from '../../../workspace';

/** The enabled entries that bring in two clashing objects, for "disable one" fixes. */
export interface ClashingEntries {
  entries: { kustomization: string; line: number; value: string }[];
}

/** Where the inclusion of two objects parts: the other's entry first, so that the fix a user sees first keeps this file. */
export function clashingEntries(own: BuiltObject, other: BuiltObject): ClashingEntries | undefined {
  const [mine, theirs] = divergingEntries(own, other);
  if (!mine || !theirs) return undefined;
  return { entries: [theirs, mine].map((e) => ({ kustomization: e.kustomization.path, line: e.entry.line, value: e.entry.value })) };
}

/** "Disable X" for each entry still enabled. */
export function disableEntryFixes(data: ClashingEntries | undefined, { workspace }: FixContext): CodeFix[] {
  return (data?.entries ?? []).flatMap((disable) => {
    const kustomization = kustomizationAt(workspace, disable.kustomization);
    const entry = kustomization && entryOnLine(kustomization, disable.line);
    if (!kustomization || !entry || !entry.enabled) return [];
    return [{ title: `Disable ${disable.value}`, changes: [{ path: kustomization.path, edits: toggleEntries(kustomization, [{ entry, enable: false }]) }] }];
  });
}

/** Whether two built objects are the same object (kind, namespace, name): duplicate-object reports those, and kustomize fails. */
export function sameId(a: BuiltObject, b: BuiltObject): boolean {
  return a.kind === b.kind && a.name === b.name && a.namespace === b.namespace;
}

/**
 * "Enable X": for each YAML file of a kustomization's directory, commented out or not listed, that
 * defines an object `defines` takes, a fix that enables (or lists) it; with `replaces`, the enabled
 * entries whose files define an object it takes (the DestinationRule the file replaces) go off in the
 * same edit, so that one rule per host stays on.
 */
export function enableFileFixes(
  workspace: Workspace,
  kustomizationPath: string | undefined,
  what: string,
  defines: (object: ManifestObject) => boolean,
  replaces?: (object: ManifestObject) => boolean,
): CodeFix[] {
  const kustomization = kustomizationAt(workspace, kustomizationPath);
  if (!kustomization) return [];
  const dir = path.dirname(kustomization.path);
  const objectsOf = (file: string): readonly ManifestObject[] => {
    const found = workspace.file(file);
    return found && !found.isKustomization ? found.objects : [];
  };
  const listed = new Set(kustomization.entries.map((e) => path.resolve(dir, e.value)));
  const replaced = replaces ? kustomization.entries.filter((e) => e.enabled && objectsOf(path.resolve(dir, e.value)).some(replaces)) : [];
  const fixes: CodeFix[] = [];
  for (const entry of kustomization.entries) {
    if (entry.enabled || !objectsOf(path.resolve(dir, entry.value)).some(defines)) continue;
    const off = replaced.filter((e) => e !== entry);
    fixes.push(
      fix(
        kustomization,
        entry.value,
        off.map((e) => e.value),
        toggleEntries(kustomization, [{ entry, enable: true }, ...off.map((e) => ({ entry: e, enable: false }))]),
        what,
      ),
    );
  }
  for (const file of workspace.listDirectory(dir)) {
    const filePath = path.join(dir, file.name);
    if (file.kind !== 'file' || !/\.ya?ml$/i.test(file.name) || listed.has(filePath) || !objectsOf(filePath).some(defines)) continue;
    const added = insertEntry(kustomization, 'resources', file.name);
    if (!added) continue;
    fixes.push(
      fix(
        kustomization,
        file.name,
        replaced.map((e) => e.value),
        [
          added,
          ...toggleEntries(
            kustomization,
            replaced.map((e) => ({ entry: e, enable: false })),
          ),
        ],
        what,
      ),
    );
  }
  return fixes;
}

function fix(kustomization: Kustomization, value: string, off: string[], edits: TextEdit[], what: string): CodeFix {
  return {
    title: `Enable ${value}${off.length > 0 ? ` instead of ${off.join(', ')}` : ''} (${what})`,
    changes: [{ path: kustomization.path, edits }],
  };
}
