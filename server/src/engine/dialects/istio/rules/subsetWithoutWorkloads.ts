import { BuildAnalysis, listingEntry } from '../../../analysis';
import { BuiltObject } from '../../../build';
import { targetShare } from '../../../rules/routes';
import { CodeFix, kustomizationAt, routerFileFixes } from '../../../fixes';
import { BuildRule, Finding } from '../../../rules/rule';
import { formatPercent, VersionRef } from '../../../traffic';
import { formatLabels, Labels, podLabelsOf, selects, serviceSelectorOf } from '../../../workloads';
import { Workspace } from '../../../workspace';
import { rangeOfNode } from '../../../yaml';
import { serviceHost } from '../hosts';
import { destinationRuleOf, isDestinationRule, isVirtualService, ruleAppliesTo, Subset } from '../traffic';
import { enableFileFixes } from './entries';

interface WorkloadsData {
  /** The pod labels a workload must carry: the Service's selector and the subset's labels. */
  selector: [string, string][];
  subset: string;
  /** The kustomization that lists the DestinationRule: where a workload's entry may be commented out. */
  kustomization: string;
  /** The kustomization that lists a VirtualService routing to the subset: where another router file may be enabled. */
  routerKustomization: string | undefined;
}

/** A subset of a running DestinationRule whose pods no running workload runs, with the destinations that route to it. */
interface EmptySubset {
  rule: BuiltObject;
  subset: Subset;
  service: string;
  selector: Labels;
  routed: { split: BuiltObject; target: VersionRef; share: number | undefined }[];
}

/**
 * A running DestinationRule subset whose labels, with its host Service's selector, select the pods
 * of no running workload (istioctl's IST0173): Envoy's cluster for it has no endpoints, and requests
 * routed to it fail with 503 UH. Error when a running VirtualService routes traffic to it.
 */
export const subsetWithoutWorkloads: BuildRule<WorkloadsData> = {
  code: 'subset-without-workloads',
  scope: 'build',
  defaultSeverity: 'error',
  summary:
    'An enabled VirtualService routes traffic to a DestinationRule subset whose labels select no enabled workload, so its requests fail with HTTP 503 (UH).',
  check(analysis) {
    return emptySubsets(analysis)
      .filter((empty) => empty.routed.length > 0)
      .flatMap((empty) => {
        const data = dataOf(empty);
        const routedBy = [...new Set(empty.routed.map((r) => r.split.name))].join(', ');
        const findings: Finding<WorkloadsData>[] = [];
        const at = rangeOfNode(empty.rule.source.lines, empty.subset.nameNode);
        if (at)
          findings.push({
            code: this.code,
            path: empty.rule.source.path,
            range: at,
            message: `Requests to subset ${empty.subset.name} of ${empty.service} fail with HTTP 503 (no healthy upstream): no enabled workload runs pods with ${formatLabels(empty.selector)}, and VirtualService ${routedBy} routes traffic to it. Enable the workload of ${empty.subset.name}, or stop routing to it.`,
            related: empty.routed.map((r) => ({
              path: r.split.source.path,
              range: r.target.subset!.range,
              message: `${r.split.name} routes to ${empty.subset.name}`,
            })),
            data,
          });
        for (const routed of empty.routed) {
          findings.push({
            code: this.code,
            path: routed.split.source.path,
            range: routed.target.subset!.range,
            message: `${routed.share === undefined ? 'Part' : `${formatPercent(routed.share)} %`} of ${routed.split.name}'s traffic fails with HTTP 503 (no healthy upstream): subset ${empty.subset.name} of ${empty.service} selects pods with ${formatLabels(empty.selector)}, and no enabled workload runs them.`,
            related: at ? [{ path: empty.rule.source.path, range: at, message: `subset ${empty.subset.name} of DestinationRule ${empty.rule.name}` }] : [],
            data,
          });
        }
        return findings;
      });
  },
  fixes(finding, { workspace }) {
    const kustomization = kustomizationAt(workspace, finding.data?.routerKustomization);
    return [...workloadFixes(finding, workspace), ...(kustomization ? routerFileFixes(workspace, kustomization) : [])];
  },
};

/**
 * The same, for a subset nothing routes traffic to yet: no request fails, and the subset is usually
 * staged for a version about to be deployed (Kiali reports it as information for that reason,
 * kiali/kiali#4218). A code of its own because a finding cannot carry its own severity.
 */
export const idleSubsetWithoutWorkloads: BuildRule<WorkloadsData> = {
  code: 'idle-subset-without-workloads',
  scope: 'build',
  defaultSeverity: 'information',
  summary: 'A DestinationRule subset selects no enabled workload; nothing routes traffic to it yet (a subset staged for a canary).',
  check(analysis) {
    return emptySubsets(analysis).flatMap((empty) => {
      if (empty.routed.length > 0) return [];
      const at = rangeOfNode(empty.rule.source.lines, empty.subset.nameNode);
      if (!at) return [];
      return [
        {
          code: this.code,
          path: empty.rule.source.path,
          range: at,
          message: `Subset ${empty.subset.name} of ${empty.service} has no pods yet: no enabled workload runs pods with ${formatLabels(empty.selector)}. Nothing routes traffic to it, so no request fails; a router that does before its workload runs gets HTTP 503.`,
          data: dataOf(empty),
        },
      ];
    });
  },
  fixes(finding, { workspace }) {
    return workloadFixes(finding, workspace);
  },
};

function dataOf(empty: EmptySubset): WorkloadsData {
  const [router] = empty.routed;
  return {
    selector: [...empty.selector],
    subset: empty.subset.name,
    kustomization: listingEntry(empty.rule).kustomization.path,
    routerKustomization: router && listingEntry(router.split).kustomization.path,
  };
}

function workloadFixes(finding: Finding<WorkloadsData>, workspace: Workspace): CodeFix[] {
  const data = finding.data;
  if (!data) return [];
  const selector: Labels = new Map(data.selector);
  return enableFileFixes(workspace, data.kustomization, `it runs pods with ${formatLabels(selector)}`, (object) => {
    const labels = podLabelsOf(object);
    return labels !== undefined && selects(selector, labels);
  });
}

/** Empty subsets of the analysis, found once and shared by both rules. */
const emptyByAnalysis = new WeakMap<BuildAnalysis, EmptySubset[]>();

function emptySubsets(analysis: BuildAnalysis): EmptySubset[] {
  let found = emptyByAnalysis.get(analysis);
  if (found) return found;
  found = [];
  emptyByAnalysis.set(analysis, found);
  // An entry never read might run the workloads.
  if (analysis.hasUnreadEntries) return found;
  const rules = analysis.objects.filter((o) => isDestinationRule(o.source));
  if (rules.length === 0) return found;
  const workloads = analysis.objects.flatMap((o) => {
    const labels = podLabelsOf(o.source);
    return labels ? [{ namespace: o.namespace, labels }] : [];
  });
  // The destinations with a share of traffic, by Service name and subset: each subset looks up its own.
  const routedBySubset = new Map<string, { built: BuiltObject; target: VersionRef; share: number | undefined }[]>();
  for (const { split, built } of analysis.runningSplits) {
    if (!isVirtualService(split.object)) continue;
    for (const route of split.routes) {
      for (const target of route.targets) {
        if (!target.subset) continue;
        const share = targetShare(route, target, split);
        if (share === 0) continue;
        const key = `${target.name}\0${target.subset.name}`;
        routedBySubset.set(key, [...(routedBySubset.get(key) ?? []), { built, target, share }]);
      }
    }
  }
  const services = new Map<string, BuiltObject[]>();
  for (const object of analysis.objects) {
    if (object.kind === 'Service' && object.source.apiVersion === 'v1') services.set(object.name, [...(services.get(object.name) ?? []), object]);
  }
  for (const rule of rules) {
    const read = destinationRuleOf(rule.source);
    const host = read?.host === undefined ? undefined : serviceHost(read.host);
    if (!read || !host) continue;
    const namespace = host.namespace ?? rule.namespace;
    const service = (services.get(host.name) ?? []).find((o) => o.namespace === namespace || o.namespace === '' || namespace === '');
    // Without a running Service (another rule's finding) or with endpoints kept by hand, no workload is expected.
    const serviceSelector = service && serviceSelectorOf(service.source);
    if (!serviceSelector) continue;
    for (const subset of read.subsets) {
      const selector = new Map([...serviceSelector, ...subset.labels]);
      const runs = workloads.some((w) => (w.namespace === service.namespace || w.namespace === '' || service.namespace === '') && selects(selector, w.labels));
      if (runs) continue;
      const routed = (routedBySubset.get(`${host.name}\0${subset.name}`) ?? [])
        .filter(({ built, target }) => ruleAppliesTo(rule.source, target.name, target.namespace ?? built.namespace, rule.namespace))
        .map(({ built, target, share }) => ({ split: built, target, share }));
      found.push({ rule, subset, service: host.name, selector, routed });
    }
  }
  return found;
}
