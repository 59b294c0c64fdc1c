import { listingEntry } from '../analysis';
import { toggleEntries } from '../edits';
import { entryOnLine, kustomizationAt } from '../fixes';
import { locate } from '../yaml';
import { BuildRule } from './rule';

export const versionWithoutTraffic: BuildRule = {
  code: 'version-without-traffic',
  scope: 'build',
  defaultSeverity: 'information',
  summary: 'A running version gets no traffic from any enabled router: staged for testing, or kept for rollback.',
  check(analysis) {
    const versionKinds = new Set(analysis.localSplits.map((split) => split.versionKind));
    const versions = new Set(analysis.localSplits.flatMap((split) => split.routes.flatMap((route) => route.targets.map((t) => t.name))));
    const referenced = new Set(analysis.runningSplits.flatMap(({ split }) => split.routes.flatMap((route) => route.targets.map((t) => t.name))));
    // Namespaces each version gets traffic in: in a parent build, two apps may use the same version names.
    const served = new Map<string, Set<string>>();
    for (const { split, built } of analysis.runningSplits) {
      for (const target of split.routes.flatMap((route) => route.targets)) {
        if ((target.weight ?? 1) <= 0) continue;
        const namespaces = served.get(target.name) ?? new Set<string>();
        namespaces.add(target.namespace ?? built.namespace);
        served.set(target.name, namespaces);
      }
    }
    const isServed = (name: string, namespace: string): boolean => {
      const namespaces = served.get(name);
      return namespaces !== undefined && (namespaces.has(namespace) || namespaces.has('') || namespace === '');
    };
    // A file can be turned off when no enabled router names any of its nodes and it defines no service or router.
    const stoppable = (filePath: string): boolean =>
      (analysis.workspace.file(filePath)?.objects ?? []).every((o) =>
        o.kind === 'VirtualNode' ? !referenced.has(o.name) : o.kind !== 'VirtualService' && o.kind !== 'VirtualRouter',
      );
    return analysis.objects.flatMap((object) => {
      if (!versionKinds.has(object.kind) || !versions.has(object.name) || isServed(object.name, object.namespace)) return [];
      return [
        {
          code: this.code,
          path: object.source.path,
          range: locate(object.source.doc, object.source.lines, ['metadata', 'name']),
          message: `${object.kind} ${object.name} is running but no enabled router sends it traffic: staged for testing, or kept for rollback.`,
          data: stoppable(object.source.path)
            ? { kustomization: listingEntry(object).kustomization.path, line: listingEntry(object).entry.line, version: object.name }
            : undefined,
        },
      ];
    });
  },
  fixes(finding, { workspace }) {
    const kustomization = kustomizationAt(workspace, finding.data?.kustomization);
    const entry = kustomization && entryOnLine(kustomization, finding.data?.line as number);
    if (!kustomization || !entry) return [];
    return [
      {
        title: `Stop ${String(finding.data?.version)}: disable ${entry.value}`,
        changes: [{ path: kustomization.path, edits: toggleEntries(kustomization, [{ entry, enable: false }]) }],
      },
    ];
  },
};
