import { BuildRule, Finding } from '../../../rules/rule';
import { rangeOfNode, scalarText, YamlNode } from '../../../yaml';
import { partialServiceHost } from '../hosts';
import { destinationRuleOf, isVirtualService, routesOfVirtualService } from '../traffic';

interface HostData {
  /** The host as Istio's registry knows the Service. */
  fqdn: string;
}

/**
 * A destination or DestinationRule host written `reviews.prod` or `reviews.prod.svc`, where a Service
 * reviews exists: Istio expands only names without a dot, so it looks for a host of exactly that
 * name, finds none, and the traffic (or the rule) goes nowhere.
 */
export const hostNotFullyQualified: BuildRule<HostData> = {
  code: 'host-not-fully-qualified',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'An Istio host is written `name.namespace`: Istio does not expand it, so it names no Service.',
  check(analysis) {
    const findings: Finding<HostData>[] = [];
    for (const built of analysis.objects) {
      const object = built.source;
      const hosts: { node: YamlNode | undefined; role: string }[] = [];
      if (isVirtualService(object)) {
        for (const rule of routesOfVirtualService(object)) for (const d of rule.destinations) hosts.push({ node: d.hostNode, role: 'destination' });
      }
      const rule = destinationRuleOf(object);
      if (rule) hosts.push({ node: rule.hostNode, role: 'DestinationRule' });
      for (const { node, role } of hosts) {
        const written = scalarText(node);
        const partial = written === undefined ? undefined : partialServiceHost(written);
        if (!partial || !analysis.isDefinedAnywhere('Service', partial.name)) continue;
        const range = rangeOfNode(object.lines, node);
        if (!range) continue;
        const fqdn = `${partial.name}.${partial.namespace}.svc.cluster.local`;
        const effect =
          role === 'destination'
            ? `Requests routed to ${written} get HTTP 503`
            : `The subsets and traffic policy of DestinationRule ${object.name} apply to no Service`;
        findings.push({
          code: this.code,
          path: object.path,
          range,
          message: `${effect}: Istio takes a host with a dot as written, and no Service has the host ${written}. Write ${fqdn} (or ${partial.name}, from namespace ${partial.namespace}).`,
          data: { fqdn },
        });
      }
    }
    return findings;
  },
  fixes(finding) {
    if (!finding.data) return [];
    return [
      {
        title: `Write ${finding.data.fqdn}`,
        isPreferred: true,
        changes: [{ path: finding.path, edits: [{ range: finding.range, newText: finding.data.fqdn }] }],
      },
    ];
  },
};
