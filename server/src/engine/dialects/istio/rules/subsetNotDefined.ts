import { BuildAnalysis, listingEntry, RunningSplit } from '../../../analysis';
import { BuiltObject, EntryRef } from '../../../build';
import { kustomizationAt, routerFileFixes } from '../../../fixes';
import { targetShare } from '../../../rules/routes';
import { BuildRule, Finding, RelatedLocation } from '../../../rules/rule';
import { formatPercent, TrafficRoute, VersionRef } from '../../../traffic';
import { ManifestObject } from '../../../manifest';
import { rangeOfNode } from '../../../yaml';
import { serviceHost } from '../hosts';
import { destinationRuleOf, isDestinationRule, isVirtualService, ruleAppliesTo } from '../traffic';
import { enableFileFixes } from './entries';

interface SubsetData {
  service: string;
  namespace: string;
  subset: string;
  /** The kustomization whose entries a fix toggles: the one that lists the router. */
  kustomization: string;
}

/** One destination of a running VirtualService whose subset no running DestinationRule defines. */
interface MissingSubset {
  running: RunningSplit;
  route: TrafficRoute;
  target: VersionRef & { subset: { name: string } };
  namespace: string;
  share: number | undefined;
}

/**
 * A destination of a running VirtualService that names a subset no running DestinationRule for its
 * host defines (istioctl's IST0101 "host+subset in destinationrule", Kiali's KIA1107): Envoy has no
 * cluster for it, and its share of the traffic gets 503. Destinations of weight 0 get no traffic and
 * are left out (the router-file stages keep such idle subsets around).
 */
export const subsetNotDefined: BuildRule<SubsetData> = {
  code: 'subset-not-defined',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'An enabled VirtualService sends traffic to a subset that no enabled DestinationRule for its host defines, so that share gets HTTP 503.',
  check(analysis) {
    const findings: Finding<SubsetData>[] = [];
    const missingByEntry = new Map<EntryRef, MissingSubset[]>();
    for (const found of missingSubsets(analysis)) {
      const { running, target } = found;
      const entry = listingEntry(running.built);
      missingByEntry.set(entry, [...(missingByEntry.get(entry) ?? []), found]);
      const data = { service: target.name, namespace: found.namespace, subset: target.subset.name, kustomization: entry.kustomization.path };
      findings.push({
        code: this.code,
        path: running.split.object.path,
        range: target.subset.range,
        message: `${lead(found, analysis)}VirtualService ${running.split.object.name} routes to subset ${target.subset.name} of ${target.name}, which no enabled DestinationRule for ${target.name} defines. Enable the DestinationRule that defines it, or route to subsets that exist.`,
        related: [...rulesFor(analysis, found), { path: entry.kustomization.path, range: entry.entry.range, message: `${entry.entry.value} is enabled here` }],
        data,
      });
    }
    for (const [entry, found] of missingByEntry) {
      const names = [...new Set(found.map((f) => `${f.target.subset.name} of ${f.target.name}`))];
      const [first] = found;
      findings.push({
        code: this.code,
        path: entry.kustomization.path,
        range: entry.entry.range,
        message: `${lead(first, analysis)}${entry.entry.value} routes to ${names.length === 1 ? 'a subset' : 'subsets'} that no enabled DestinationRule defines: ${names.join(', ')}.`,
        related: found.map((f) => ({
          path: f.running.split.object.path,
          range: f.target.subset.range,
          message: `${f.running.split.object.name} routes to subset ${f.target.subset.name}`,
        })),
        data: { service: first.target.name, namespace: first.namespace, subset: first.target.subset.name, kustomization: entry.kustomization.path },
      });
    }
    return findings;
  },
  fixes(finding, { workspace }) {
    const data = finding.data;
    if (!data) return [];
    const forHost = (o: ManifestObject): boolean => isDestinationRule(o) && ruleAppliesTo(o, data.service, data.namespace, o.namespace ?? data.namespace);
    const enable = enableFileFixes(
      workspace,
      data.kustomization,
      `it defines subset ${data.subset} of ${data.service}`,
      (o) => forHost(o) && (destinationRuleOf(o)?.subsets ?? []).some((s) => s.name === data.subset),
      forHost,
    );
    const kustomization = kustomizationAt(workspace, data.kustomization);
    return [...enable, ...(kustomization ? routerFileFixes(workspace, kustomization) : [])];
  },
};

/**
 * The subset destinations of running VirtualServices, with a share of traffic, that no running
 * DestinationRule defines; those whose host Service does not run are router-target-not-running's.
 */
function missingSubsets(analysis: BuildAnalysis): MissingSubset[] {
  const found: MissingSubset[] = [];
  const splits = analysis.runningSplits.filter(({ split }) => isVirtualService(split.object));
  if (splits.length === 0) return found;
  const rules = rulesByServiceName(analysis);
  const hostMissing = new Set(analysis.missingTargets.map((m) => m.target));
  for (const running of splits) {
    for (const route of running.split.routes) {
      for (const target of route.targets) {
        if (!target.subset || hostMissing.has(target)) continue;
        const share = targetShare(route, target, running.split);
        if (share === 0) continue;
        const namespace = target.namespace ?? running.built.namespace;
        const subset = target.subset.name;
        const defines = (rules.get(target.name) ?? []).some(
          (rule) =>
            ruleAppliesTo(rule.source, target.name, namespace, rule.namespace) &&
            (destinationRuleOf(rule.source)?.subsets ?? []).some((s) => s.name === subset),
        );
        if (!defines) found.push({ running, route, target: target as MissingSubset['target'], namespace, share });
      }
    }
  }
  return found;
}

/** The running DestinationRules by the name of the Service their host names (the host as written when it names none), once per analysis. */
const rulesByAnalysis = new WeakMap<BuildAnalysis, Map<string, BuiltObject[]>>();

function rulesByServiceName(analysis: BuildAnalysis): Map<string, BuiltObject[]> {
  let rules = rulesByAnalysis.get(analysis);
  if (rules) return rules;
  rules = new Map();
  for (const object of analysis.objects) {
    const host = isDestinationRule(object.source) ? destinationRuleOf(object.source)?.host : undefined;
    if (host === undefined) continue;
    const name = serviceHost(host)?.name ?? host;
    rules.set(name, [...(rules.get(name) ?? []), object]);
  }
  rulesByAnalysis.set(analysis, rules);
  return rules;
}

/** "20 % of reviews's traffic gets HTTP 503. ": the loss first, as lossLead says it for missing hosts. */
function lead(found: MissingSubset, analysis: BuildAnalysis): string {
  const { split } = found.running;
  const share = found.share === undefined ? 'Part' : `${formatPercent(found.share)} %`;
  const effect = split.dialect.lostTraffic(split, found.route, { workspace: analysis.workspace, missing: [found.target], read: (p) => analysis.read(p) });
  return effect ? `${share} of ${split.object.name}'s traffic ${effect}. ` : '';
}

/** The running DestinationRules for the host, where the subset would have to be. */
function rulesFor(analysis: BuildAnalysis, found: MissingSubset): RelatedLocation[] {
  return (rulesByServiceName(analysis).get(found.target.name) ?? []).flatMap((rule) => {
    if (!ruleAppliesTo(rule.source, found.target.name, found.namespace, rule.namespace)) return [];
    const read = destinationRuleOf(rule.source);
    const range = rangeOfNode(rule.source.lines, read?.hostNode);
    const names = (read?.subsets ?? []).map((s) => s.name);
    return range
      ? [{ path: rule.source.path, range, message: `DestinationRule ${rule.name} defines ${names.length > 0 ? `subsets ${names.join(', ')}` : 'no subsets'}` }]
      : [];
  });
}
