import * as path from 'node:path';
import { BuildAnalysis, listingEntry, RunningService } from '../analysis';
import { enableEntriesFix, enableRouterFixes, entriesDefining, kustomizationAt, listNames } from '../fixes';
import { Kustomization } from '../kustomization';
import { BuildRule, Finding } from './rule';
import { renameNote } from './routerTargetNotRunning';

/** The provider (or the routers a commented-out entry defines) to enable, and where. */
interface ProviderData {
  kind: string;
  role: 'split' | 'version';
  names: string[];
  kustomization: string;
}

export const virtualServiceProviderNotRunning: BuildRule<ProviderData> = {
  code: 'virtual-service-provider-not-running',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'A service is provided by a router or version that is not running (for example, no router file is enabled).',
  check(analysis) {
    const unresolved = analysis.unresolvedProviders(true);
    const findings: Finding<ProviderData>[] = unresolved.map(({ binding, built }) => {
      const provider = binding.provider!;
      const entry = listingEntry(built);
      return {
        code: this.code,
        path: binding.object.path,
        range: provider.range,
        message: `${binding.object.kind} ${binding.object.name} is provided by ${provider.kind} ${provider.name}, which is not running${
          renameNote(analysis.renamedTo(provider.kind, provider.name)) || ': no enabled file defines it'
        }.`,
        related: [{ path: entry.kustomization.path, range: entry.entry.range, message: `${entry.entry.value} is enabled here` }],
        data: { kind: provider.kind, role: provider.role, names: [provider.name], kustomization: entry.kustomization.path },
      };
    });
    return [...findings, ...commentedRouterEntries(analysis, unresolved, this.code)];
  },
  fixes(finding, { workspace }) {
    const kustomization = kustomizationAt(workspace, finding.data?.kustomization);
    if (!kustomization || !finding.data) return [];
    const { role, kind, names } = finding.data;
    if (role === 'split') return enableRouterFixes(workspace, kustomization, names);
    // A version provides the service: enable the file that defines it.
    const entries = entriesDefining(workspace, kustomization, kind, names);
    if (!entries) return [];
    return [enableEntriesFix(kustomization, entries)];
  },
};

/**
 * When no router file is enabled, the same problem where it is fixed: each commented-out entry of
 * the kustomization whose file defines a router the running services need.
 */
function commentedRouterEntries(analysis: BuildAnalysis, unresolved: RunningService[], code: string): Finding<ProviderData>[] {
  const byKustomization = new Map<Kustomization, RunningService[]>();
  for (const service of unresolved) {
    if (renameNote(analysis.renamedTo(service.binding.provider!.kind, service.binding.provider!.name))) continue;
    const { kustomization } = listingEntry(service.built);
    byKustomization.set(kustomization, [...(byKustomization.get(kustomization) ?? []), service]);
  }
  if (byKustomization.size === 0) return [];
  // Router definitions in the files a user chooses between, by file.
  const routersByFile = new Map<string, { kind: string; name: string }[]>();
  for (const split of analysis.localSplits) {
    const list = routersByFile.get(split.object.path) ?? [];
    list.push({ kind: split.object.kind, name: split.object.name });
    routersByFile.set(split.object.path, list);
  }
  const findings: Finding<ProviderData>[] = [];
  for (const [kustomization, services] of byKustomization) {
    const dir = path.dirname(kustomization.path);
    const enabled = kustomization.entries.filter((e) => e.enabled && (e.field === 'resources' || e.field === 'bases')).map((e) => path.resolve(dir, e.value));
    // Only when no router file is enabled at all, and every enabled entry was read: an entry that is
    // missing (a typo), broken or never read may be the router file, and its own finding says why.
    if (analysis.hasUnreadEntries || enabled.some((p) => routersByFile.has(p) || !isReadable(analysis, p))) continue;
    const needs = (kind: string, name: string): RunningService[] =>
      services.filter(({ binding }) => binding.provider!.kind === kind && binding.provider!.name === name);
    for (const entry of kustomization.entries) {
      if (entry.enabled || (entry.field !== 'resources' && entry.field !== 'bases')) continue;
      const defined = (routersByFile.get(path.resolve(dir, entry.value)) ?? []).filter((r) => needs(r.kind, r.name).length > 0);
      if (defined.length === 0) continue;
      const routers = [...new Set(defined.map((r) => r.name))];
      const served = defined.flatMap((r) => needs(r.kind, r.name));
      const serviceNames = [...new Set(served.map(({ binding }) => binding.object.name))];
      const kind = served[0].binding.object.kind;
      const servicesLabel = serviceNames.length === 1 ? `${kind} ${serviceNames[0]}` : `${kind}s ${listNames(serviceNames)}`;
      findings.push({
        code,
        path: kustomization.path,
        range: entry.range,
        message: `No router file is enabled, so nothing routes the traffic of ${servicesLabel}: ${entry.value}, commented out, defines ${listNames(routers)}, which ${serviceNames.length === 1 ? 'it needs' : 'they need'}.`,
        related: served.map(({ binding }) => ({
          path: binding.object.path,
          range: binding.provider!.range,
          message: `${binding.object.kind} ${binding.object.name} needs ${binding.provider!.kind} ${binding.provider!.name}`,
        })),
        data: { kind: defined[0].kind, role: 'split', names: routers, kustomization: kustomization.path },
      });
    }
  }
  return findings;
}

/** Whether an enabled entry's path is a file read without syntax errors, or a directory. */
function isReadable(analysis: BuildAnalysis, entryPath: string): boolean {
  const kind = analysis.workspace.kindOf(entryPath);
  if (kind === 'directory') return true;
  const file = kind === 'file' ? analysis.workspace.file(entryPath) : undefined;
  return file !== undefined && file.parsed.syntaxErrors.length === 0;
}
