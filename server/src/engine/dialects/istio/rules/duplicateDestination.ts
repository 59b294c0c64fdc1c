import { FileRule, Finding } from '../../../rules/rule';
import { rangeOfNode } from '../../../yaml';
import { serviceHost } from '../hosts';
import { isVirtualService, routesOfVirtualService } from '../traffic';
import { destinationLabel, ruleLabel } from './labels';

/**
 * A rule that names the same destination (host, subset and port) twice: the two entries are one
 * Envoy cluster, so the route's shares are not what the list reads as, and a later edit of one
 * weight leaves the other behind. Kiali reports the same (KIA1105). The host is compared as the
 * Service it names (`reviews` and `reviews.bookinfo.svc.cluster.local` in namespace bookinfo are one).
 */
export const duplicateDestination: FileRule = {
  code: 'duplicate-destination',
  scope: 'file',
  defaultSeverity: 'warning',
  summary: 'An Istio route names the same destination (host and subset) twice.',
  check(file) {
    const lines = file.parsed.lines;
    const findings: Finding[] = [];
    for (const object of file.objects.filter(isVirtualService)) {
      for (const route of routesOfVirtualService(object)) {
        const first = new Map<string, (typeof route.destinations)[number]>();
        for (const destination of route.destinations) {
          if (destination.host === undefined) continue;
          const service = serviceHost(destination.host);
          const host = service ? `${service.name}.${service.namespace ?? object.namespace ?? ''}` : destination.host;
          const key = JSON.stringify([host, destination.subset ?? '', destination.port ?? '']);
          const earlier = first.get(key);
          if (!earlier) {
            first.set(key, destination);
            continue;
          }
          const range = rangeOfNode(lines, destination.subsetNode ?? destination.hostNode);
          const earlierRange = rangeOfNode(lines, earlier.subsetNode ?? earlier.hostNode);
          if (!range || !earlierRange) continue;
          findings.push({
            code: this.code,
            path: file.path,
            range,
            message: `${destinationLabel(destination)} is already a destination of ${ruleLabel(route)}: both entries send to the same pods, so its share is the sum of their weights. Merge them into one destination.`,
            related: [{ path: file.path, range: earlierRange, message: `${destinationLabel(earlier)} first named here` }],
          });
        }
      }
    }
    return findings;
  },
};
