import { listingEntry } from '../analysis';
import { toggleEntries } from '../edits';
import { enableRouterFixes, entryOnLine, kustomizationAt, listNames } from '../fixes';
import { locate } from '../yaml';
import { BuildRule, Finding } from './rule';

export const versionWithoutTraffic: BuildRule = {
  code: 'version-without-traffic',
  scope: 'build',
  defaultSeverity: 'information',
  summary: 'A running version gets no traffic: no enabled router sends it any (staged for testing, or kept for rollback), or no router that could is enabled.',
  check(analysis) {
    const versionKinds = new Set(analysis.localSplits.map((split) => split.versionKind));
    // The routers of the directory's router files (listed or not) that name each version.
    const routersOf = new Map<string, Map<string, string>>();
    for (const split of analysis.localSplits) {
      for (const target of split.routes.flatMap((route) => route.targets)) {
        const routers = routersOf.get(target.name) ?? new Map<string, string>();
        routers.set(split.object.name, split.object.kind);
        routersOf.set(target.name, routers);
      }
    }
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
    return analysis.objects.flatMap((object): Finding[] => {
      const routers = routersOf.get(object.name);
      if (!versionKinds.has(object.kind) || !routers || isServed(object.name, object.namespace)) return [];
      const entry = listingEntry(object);
      const range = locate(object.source.doc, object.source.lines, ['metadata', 'name']);
      const kustomization = entry.kustomization.path;
      // No router that names it runs: nothing can send it traffic, whatever the weights.
      const offRouters = [...routers].filter(([name, kind]) => !analysis.isRunning(kind, name, object.namespace)).map(([name]) => name);
      if (offRouters.length === routers.size) {
        const why = `no enabled file defines ${listNames(offRouters)}, the ${offRouters.length === 1 ? 'router' : 'routers'} that would send it traffic`;
        return [
          {
            code: this.code,
            path: object.source.path,
            range,
            message: `${object.kind} ${object.name} is running but gets no traffic: ${why}.`,
            data: { kustomization, routers: offRouters, version: object.name },
          },
        ];
      }
      return [
        {
          code: this.code,
          path: object.source.path,
          range,
          message: `${object.kind} ${object.name} is running but no enabled router sends it traffic: staged for testing, or kept for rollback.`,
          data: stoppable(object.source.path) ? { kustomization, line: entry.entry.line, version: object.name } : undefined,
        },
      ];
    });
  },
  fixes(finding, { workspace }) {
    const kustomization = kustomizationAt(workspace, finding.data?.kustomization);
    if (!kustomization) return [];
    const routers = finding.data?.routers as string[] | undefined;
    if (routers) return enableRouterFixes(workspace, kustomization, routers, String(finding.data?.version));
    const entry = entryOnLine(kustomization, finding.data?.line as number);
    if (!entry) return [];
    return [
      {
        title: `Stop ${String(finding.data?.version)}: disable ${entry.value}`,
        changes: [{ path: kustomization.path, edits: toggleEntries(kustomization, [{ entry, enable: false }]) }],
      },
    ];
  },
};
