import { BuildAnalysis } from '../../../../analysis';
import { toggleEntries } from '../../../../edits';
import { isRecord } from '../../../../manifest';
import { targetShare } from '../../../../rules/routes';
import { BuildRule, Finding } from '../../../../rules/rule';
import { formatPercent } from '../../../../traffic';
import { formatLabels, Labels, podLabelsOf, selects, serviceSelectorOf } from '../../../../workloads';
import { nodeAt, rangeOfNode } from '../../../../yaml';
import { isGatewayRoute } from '../../traffic';
import { chainPaths, disabledEntryDefining, isCoreService, routeTitle, runningObjects } from './objects';

interface EndpointsData {
  selector: [string, string][];
  /** The kustomizations on the way to the Service's file, nearest first: where a workload's entry may be commented out. */
  kustomizations: string[];
}

/** The pod labels of the running workloads by final namespace ('' for those without one), once per analysis. */
const workloadsByAnalysis = new WeakMap<BuildAnalysis, Map<string, Labels[]>>();

/** Whether a running workload of the namespace (or without one; any, for '') runs pods the selector matches. */
function anyWorkloadSelected(analysis: BuildAnalysis, namespace: string, selector: Labels): boolean {
  let byNamespace = workloadsByAnalysis.get(analysis);
  if (!byNamespace) {
    byNamespace = new Map();
    for (const built of analysis.objects) {
      const labels = podLabelsOf(built.source);
      if (!labels) continue;
      const list = byNamespace.get(built.namespace);
      if (list) list.push(labels);
      else byNamespace.set(built.namespace, [labels]);
    }
    workloadsByAnalysis.set(analysis, byNamespace);
  }
  const lists = namespace === '' ? [...byNamespace.values()] : [byNamespace.get(namespace) ?? [], byNamespace.get('') ?? []];
  return lists.some((list) => list.some((labels) => selects(selector, labels)));
}

/**
 * Whether a kustomization on the way to the objects checked rewrites labels on pod templates or
 * selectors (`commonLabels`, or `labels` with includeSelectors/includeTemplates): the engine's build
 * does not apply label transformers, so what matches is unknown there. Those kustomizations are in
 * the objects' chains, so an edit of one is an edit of the objects' build and checks them again.
 */
function rewritesLabels(analysis: BuildAnalysis): boolean {
  return analysis.kustomizations.some((kustomization) => {
    const value = kustomization.parsed.values[0];
    if (!isRecord(value)) return false;
    if (isRecord(value.commonLabels) && Object.keys(value.commonLabels).length > 0) return true;
    return Array.isArray(value.labels) && value.labels.some((l) => isRecord(l) && (l.includeSelectors === true || l.includeTemplates === true));
  });
}

/**
 * A running Service that a route sends a share of traffic to, whose selector matches the pods of no
 * running workload: it has no endpoints, and that share gets 503. Services without a selector have
 * endpoints managed by hand and are left alone.
 */
export const serviceWithoutEndpoints: BuildRule<EndpointsData> = {
  code: 'service-without-endpoints',
  scope: 'build',
  defaultSeverity: 'warning',
  summary: 'A route sends traffic to a running Service whose selector matches no running workload, so its share gets 503.',
  check(analysis) {
    const findings: Finding<EndpointsData>[] = [];
    const splits = analysis.runningSplits.filter(({ split }) => isGatewayRoute(split.object));
    if (splits.length === 0 || analysis.hasUnreadEntries || rewritesLabels(analysis)) return findings;
    for (const { split, built } of splits) {
      for (const route of split.routes) {
        for (const target of route.targets) {
          const share = targetShare(route, target);
          if (share === undefined || share <= 0) continue;
          const [service] = runningObjects(analysis, 'Service', target.name, target.namespace ?? built.namespace, isCoreService);
          const selector = service && serviceSelectorOf(service.source);
          if (!selector) continue;
          if (anyWorkloadSelected(analysis, service.namespace, selector)) continue;
          const selectorRange = rangeOfNode(service.source.lines, nodeAt(service.source.doc.contents, ['spec', 'selector']));
          findings.push({
            code: this.code,
            path: split.object.path,
            range: target.nameRange,
            message: `Service ${target.name} selects pods with ${formatLabels(selector)}, and no running workload has them: it has no endpoints, and its share, ${formatPercent(share)} % of the traffic of ${routeTitle(built)}${route.name ? ` (rule ${route.name})` : ''}, gets HTTP 503.`,
            related: selectorRange ? [{ path: service.source.path, range: selectorRange, message: `the selector of Service ${target.name}` }] : [],
            data: { selector: [...selector], kustomizations: chainPaths(service) },
          });
        }
      }
    }
    return findings;
  },
  fixes(finding, { workspace }) {
    const data = finding.data;
    if (!data) return [];
    const selector: Labels = new Map(data.selector);
    const found = disabledEntryDefining(workspace, data.kustomizations, (object) => {
      const labels = podLabelsOf(object);
      return labels !== undefined && selects(selector, labels);
    });
    if (!found) return [];
    const { kustomization, entry } = found;
    return [
      {
        title: `Enable ${entry.value} (it runs pods with ${formatLabels(selector)})`,
        changes: [{ path: kustomization.path, edits: toggleEntries(kustomization, [{ entry, enable: true }]) }],
      },
    ];
  },
};
