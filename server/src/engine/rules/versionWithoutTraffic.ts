import { listingEntry } from '../analysis';
import { roleOf } from '../dialects';
import { toggleEntries } from '../edits';
import { enableRouterFixes, entryOnLine, kustomizationAt, listNames } from '../fixes';
import { locate } from '../yaml';
import { BuildRule, Finding } from './rule';

/** Either the routers to enable (none that could send it traffic runs), or the entry that would stop it. */
type NoTrafficData = { kustomization: string; version: string } & ({ routers: string[] } | { line: number });

export const versionWithoutTraffic: BuildRule<NoTrafficData> = {
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
    // A file can be turned off when no enabled router names any of its versions and it defines no service or router.
    const stoppable = (filePath: string): boolean =>
      (analysis.workspace.file(filePath)?.objects ?? []).every((o) => {
        if (versionKinds.has(o.kind)) return !referenced.has(o.name);
        const role = roleOf(o);
        return role === undefined || role === 'version';
      });
    return analysis.objects.flatMap((object): Finding<NoTrafficData>[] => {
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
    const data = finding.data;
    const kustomization = kustomizationAt(workspace, data?.kustomization);
    if (!kustomization || !data) return [];
    if ('routers' in data) return enableRouterFixes(workspace, kustomization, data.routers, data.version);
    const entry = entryOnLine(kustomization, data.line);
    if (!entry) return [];
    return [
      {
        title: `Stop ${data.version}: disable ${entry.value}`,
        changes: [{ path: kustomization.path, edits: toggleEntries(kustomization, [{ entry, enable: false }]) }],
      },
    ];
  },
};
