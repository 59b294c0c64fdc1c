import * as path from 'node:path';
import { BuildAnalysis, listingEntry, MissingTarget } from '../analysis';
import { LostTrafficContext } from '../dialect';
import { EntryRef } from '../build';
import { enableEntriesFix, entriesDefiningVersions, kustomizationAt, listNames, routerFileFixes } from '../fixes';
import { formatPercent } from '../traffic';
import { targetShare } from './routes';
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
  summary: 'An enabled router sends traffic to a version whose file is not enabled: the controller refuses the router, or that share of the traffic fails.',
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
        message: `${lossLead(missing, analysis)}${split.object.kind} ${split.object.name} sends traffic to ${split.versionKind} ${missing.target.name}, which is not running in ${relative(entry.kustomization.path)}${weightNote(missing)}${renameNote(missing.renamedTo)}.`,
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
        message: `${lossSummary(missing, analysis)}${entry.entry.value} routes traffic to ${plural(names.length, 'a version that is', 'versions that are')} not running: ${names.join(', ')}.`,
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
    const enable = entries ? [enableEntriesFix(kustomization, entries)] : [];
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

/**
 * "5 % of metal-route's traffic gets HTTP 500. ": what the API does with the lost share, said first
 * (a Problems panel cuts long messages at their end); empty where the API refuses the router instead.
 */
export function lossLead(missing: MissingTarget, analysis: BuildAnalysis): string {
  const { split } = missing.running;
  const effect = split.dialect.lostTraffic(split, missing.route, lostContext(missing, analysis));
  if (!effect) return '';
  const share = targetShare(missing.route, missing.target, split);
  return `${capitalized(`${share === undefined ? 'part' : `${formatPercent(share)} %`} of ${split.object.name}'s traffic ${effect}`)}. `;
}

/** The losses of an entry's missing targets, one clause per effect and share: "5 % of the traffic of metal-route and jazz-route gets HTTP 500. ". */
function lossSummary(missing: MissingTarget[], analysis: BuildAnalysis): string {
  const routersByLoss = new Map<string, string[]>();
  for (const m of missing) {
    const { split } = m.running;
    const effect = split.dialect.lostTraffic(split, m.route, lostContext(m, analysis));
    if (!effect) continue;
    const share = targetShare(m.route, m.target, split);
    const key = `${share === undefined ? 'part' : `${formatPercent(share)} %`} of the traffic of\0${effect}`;
    const routers = routersByLoss.get(key) ?? [];
    if (!routers.includes(split.object.name)) routers.push(split.object.name);
    routersByLoss.set(key, routers);
  }
  const clauses = [...routersByLoss].map(([key, routers]) => {
    const [share, effect] = key.split('\0');
    return `${share} ${listNames(routers)} ${effect}`;
  });
  return clauses.length > 0 ? `${capitalized(clauses.join('; '))}. ` : '';
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
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
