import { BuiltObject, divergingEntries } from '../../../build';
import { toggleEntries } from '../../../edits';
import { CodeFix, entryOnLine, FixContext, kustomizationAt } from '../../../fixes';

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
