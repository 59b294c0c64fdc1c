import * as path from 'node:path';
import { BuildAnalysis, listingEntry, MissingTarget } from '../analysis';
import { LostTrafficContext } from '../dialect';
import { EntryRef } from '../build';
import { entriesDefiningVersions, kustomizationAt, listNames, routerFileFixes } from '../fixes';
import { toggleEntries } from '../edits';
import { formatPercent } from '../traffic';
import { routeLabel, targetShare } from './routes';
import { BuildRule, Finding } from './rule';

/** The versions to enable (names, and the kinds the routers name them as) and where. */
interface NotRunningData {
  missing: string[];
  kinds: string[];
  kustomization: string;
}

export const routerTargetNotRunning: BuildRule<NotRunningData> = {
  code: 'router-target-not-running',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'An enabled router sends traffic to a version whose file is not enabled, which fails reconciliation.',
  check(analysis) {
    const findings: Finding<NotRunningData>[] = [];
    const byEntry = new Map<EntryRef, MissingTarget[]>();
    for (const missing of analysis.missingWeightedTargets) {
      const entry = listingEntry(missing.running.built);
      byEntry.set(entry, [...(byEntry.get(entry) ?? []), missing]);
      if (!missing.definedElsewhere) continue;
      const { split } = missing.running;
      findings.push({
        code: this.code,
        path: split.object.path,
        range: missing.target.nameRange,
        message: `${split.object.kind} ${split.object.name} sends traffic to ${split.versionKind} ${missing.target.name}, which is not running in ${relative(entry.kustomization.path)}${weightNote(missing)}${renameNote(missing.renamedTo)}${lostNote(missing, analysis)}.`,
        related: [{ path: entry.kustomization.path, range: entry.entry.range, message: `${entry.entry.value} is enabled here` }],
        data: { missing: [missing.target.name], kinds: [split.versionKind], kustomization: entry.kustomization.path },
      });
    }
    for (const [entry, missing] of byEntry) {
      const names = [...new Set(missing.map((m) => m.target.name))];
      findings.push({
        code: this.code,
        path: entry.kustomization.path,
        range: entry.entry.range,
        message: `${entry.entry.value} routes traffic to ${plural(names.length, 'a version that is', 'versions that are')} not running: ${names.join(', ')}${lostSummary(missing, analysis)}.`,
        related: missing.map((m) => ({
          path: m.running.split.object.path,
          range: m.target.nameRange,
          message: `${m.running.split.object.name} targets ${m.target.name}`,
        })),
        data: { missing: names, kinds: [...new Set(missing.map((m) => m.running.split.versionKind))], kustomization: entry.kustomization.path },
      });
    }
    return findings;
  },
  fixes(finding, { workspace }) {
    const kustomization = kustomizationAt(workspace, finding.data?.kustomization);
    if (!kustomization) return [];
    const missing = finding.data?.missing ?? [];
    const entries = entriesDefiningVersions(workspace, kustomization, new Set(finding.data?.kinds), missing);
    const enable = entries
      ? [
          {
            title: `Enable ${listNames(entries.map((e) => e.value))}`,
            changes: [
              {
                path: kustomization.path,
                edits: toggleEntries(
                  kustomization,
                  entries.map((entry) => ({ entry, enable: true })),
                ),
              },
            ],
          },
        ]
      : [];
    return [...enable, ...routerFileFixes(workspace, kustomization)];
  },
};

/** Why a node that is listed still does not resolve: kustomize renamed it but not the references to it. */
export function renameNote(renamedTo: string | undefined): string {
  return renamedTo
    ? `: it runs as ${renamedTo}, since namePrefix/nameSuffix rename objects but kustomize does not rewrite references inside custom resources (add a nameReference configuration)`
    : '';
}

/** What the dialect is asked about a missing target: the workspace, and the route's other missing targets. */
function lostContext(missing: MissingTarget, analysis: BuildAnalysis): LostTrafficContext {
  const others = analysis.missingTargets.filter((m) => m.running === missing.running && m.route === missing.route).map((m) => m.target);
  return { workspace: analysis.workspace, missing: others, read: (filePath) => analysis.read(filePath) };
}

/** "; its share, 5 % of route metal's traffic, gets HTTP 500": what the API does with the traffic, when it says. */
export function lostNote(missing: MissingTarget, analysis: BuildAnalysis): string {
  const { split } = missing.running;
  const effect = split.dialect.lostTraffic(split, missing.route, lostContext(missing, analysis));
  if (!effect) return '';
  const share = targetShare(missing.route, missing.target);
  return share === undefined
    ? `; its share of the traffic ${effect}`
    : `; its share, ${formatPercent(share)} % of ${routeLabel(missing.route)}'s traffic, ${effect}`;
}

/** " (5 % of metal's traffic gets HTTP 500)": the largest share lost per router, for the entry's message. */
function lostSummary(missing: MissingTarget[], analysis: BuildAnalysis): string {
  const parts: string[] = [];
  for (const m of missing) {
    const { split } = m.running;
    const effect = split.dialect.lostTraffic(split, m.route, lostContext(m, analysis));
    const share = targetShare(m.route, m.target);
    if (effect && share !== undefined) parts.push(`${formatPercent(share)} % of ${split.object.name}'s traffic ${effect}`);
  }
  return parts.length > 0 ? ` (${[...new Set(parts)].join('; ')})` : '';
}

function weightNote(missing: MissingTarget): string {
  return missing.target.weight === undefined ? '' : ` (weight ${missing.target.weight})`;
}

function relative(kustomizationPath: string): string {
  return path.join(path.basename(path.dirname(kustomizationPath)), path.basename(kustomizationPath));
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}
