import { BuiltObject, divergingEntries, EntryRef } from '../build';
import { toggleEntries } from '../edits';
import { entryOnLine, FileEdit, kustomizationAt } from '../fixes';
import { BuildRule, Finding } from './rule';

/** The clashing entries, when few enough to offer "keep only" fixes. */
interface ClashData {
  entries: { path: string; line: number; value: string }[];
}

export const duplicateObject: BuildRule<ClashData> = {
  code: 'duplicate-object',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'Two enabled entries define the same object (kind, namespace, name), so kustomize fails to build.',
  check(analysis) {
    const byId = new Map<string, BuiltObject[]>();
    for (const object of analysis.objects) {
      const id = `${object.kind}/${object.namespace}/${object.name}`;
      const list = byId.get(id);
      if (list) list.push(object);
      else byId.set(id, [object]);
    }
    // Per entry line: the objects it clashes on and the entries it clashes with. Each object is
    // compared with a bounded number of others, so a file listed thousands of times stays linear.
    const clashes = new Map<EntryRef, { ids: Set<string>; others: Set<EntryRef>; partial: boolean }>();
    for (const [id, objects] of byId) {
      if (objects.length < 2) continue;
      const partial = objects.length - 1 > MAX_COMPARED;
      for (let i = 0; i < objects.length; i++) {
        let compared = 0;
        for (let j = 0; j < objects.length && compared < MAX_COMPARED; j++) {
          if (i === j) continue;
          compared++;
          const [entry, other] = divergingEntries(objects[i], objects[j]);
          if (!entry || !other) continue;
          const clash = clashes.get(entry) ?? { ids: new Set(), others: new Set(), partial: false };
          clash.ids.add(id.replace('//', '/'));
          clash.others.add(other);
          clash.partial ||= partial;
          clashes.set(entry, clash);
        }
      }
    }
    const findings: Finding<ClashData>[] = [];
    for (const [entry, clash] of clashes) {
      const others = [...clash.others];
      const named = others.slice(0, MAX_NAMED);
      const ids = [...clash.ids];
      findings.push({
        code: this.code,
        path: entry.kustomization.path,
        range: entry.entry.range,
        message: `${entry.entry.value} defines ${listed(ids, ids.length)}, also defined by ${listed(
          named.map((o) => o.entry.value),
          clash.partial ? Infinity : others.length,
        )}: kustomize fails with "may not add resource with an already registered id".`,
        related: named.map((other) => ({ path: other.kustomization.path, range: other.entry.range, message: `${other.entry.value} defines the same object` })),
        // "Keep only" fixes need every clashing entry; with too many to compare, none is offered.
        data: clash.partial
          ? undefined
          : { entries: [entry, ...others].map((e) => ({ path: e.kustomization.path, line: e.entry.line, value: e.entry.value })) },
      });
    }
    return findings;
  },
  fixes(finding, { workspace }) {
    const entries = finding.data?.entries ?? [];
    return entries.map((keep) => {
      const changes: FileEdit[] = [];
      for (const filePath of new Set(entries.map((e) => e.path))) {
        const kustomization = kustomizationAt(workspace, filePath);
        if (!kustomization) continue;
        const off = entries
          .filter((e) => e.path === filePath && e !== keep)
          .map((e) => entryOnLine(kustomization, e.line))
          .filter((e) => e !== undefined)
          .map((entry) => ({ entry, enable: false }));
        changes.push({ path: filePath, edits: toggleEntries(kustomization, off) });
      }
      return { title: `Keep only ${keep.value}`, changes };
    });
  },
};

/** How many other objects with the same id each object is compared with. */
const MAX_COMPARED = 20;
/** How many names a message lists before "and N more". */
const MAX_NAMED = 5;

/** "a, b, c and 4 more" (total Infinity: "and more"). */
function listed(names: string[], total: number): string {
  const shown = names.slice(0, MAX_NAMED);
  const rest = total - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${Number.isFinite(rest) ? `${rest} more` : 'more'}` : shown.join(', ');
}
