import { BuiltObject, EntryRef } from '../build';
import { toggleEntries } from '../edits';
import { entryOnLine, FileEdit, kustomizationAt } from '../fixes';
import { BuildRule, Finding } from './rule';

export const duplicateObject: BuildRule = {
  code: 'duplicate-object',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'Two enabled entries define the same object (kind, namespace, name), so kustomize fails to build.',
  check(analysis) {
    const byId = new Map<string, BuiltObject[]>();
    for (const object of analysis.build.objects) {
      const id = `${object.kind}/${object.namespace}/${object.name}`;
      byId.set(id, [...(byId.get(id) ?? []), object]);
    }
    // Per entry line: the objects it clashes on and the entries it clashes with.
    const clashes = new Map<EntryRef, { ids: Set<string>; others: Set<EntryRef> }>();
    for (const [id, objects] of byId) {
      for (let i = 0; i < objects.length; i++) {
        for (let j = i + 1; j < objects.length; j++) {
          const [a, b] = divergingEntries(objects[i], objects[j]);
          if (!a || !b) continue;
          for (const [entry, other] of [
            [a, b],
            [b, a],
          ]) {
            const clash = clashes.get(entry) ?? { ids: new Set(), others: new Set() };
            clash.ids.add(id.replace('//', '/'));
            clash.others.add(other);
            clashes.set(entry, clash);
          }
        }
      }
    }
    const findings: Finding[] = [];
    for (const [entry, clash] of clashes) {
      const others = [...clash.others];
      findings.push({
        code: this.code,
        path: entry.kustomization.path,
        range: entry.entry.range,
        message: `${entry.entry.value} defines ${[...clash.ids].join(', ')}, also defined by ${others.map((o) => o.entry.value).join(', ')}: kustomize fails with "may not add resource with an already registered id".`,
        related: others.map((other) => ({ path: other.kustomization.path, range: other.entry.range, message: `${other.entry.value} defines the same object` })),
        data: { entries: [entry, ...others].map((e) => ({ path: e.kustomization.path, line: e.entry.line, value: e.entry.value })) },
      });
    }
    return findings;
  },
  fixes(finding, { workspace }) {
    const entries = (finding.data?.entries ?? []) as { path: string; line: number; value: string }[];
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

/** The first entries at which two objects' inclusion chains part: the lines a user would change. */
function divergingEntries(a: BuiltObject, b: BuiltObject): [EntryRef | undefined, EntryRef | undefined] {
  for (let i = 0; i < Math.min(a.chain.length, b.chain.length); i++) {
    if (a.chain[i] !== b.chain[i]) return [a.chain[i], b.chain[i]];
  }
  return [undefined, undefined];
}
