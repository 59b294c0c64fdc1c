import { BuildRule, Finding } from '../../../rules/rule';
import { rangeOfNode } from '../../../yaml';
import { hostCovers, serviceHost } from '../hosts';
import { destinationRuleOf, hostsOf, isDestinationRule, isIstio } from '../traffic';

/**
 * A DestinationRule applies to the traffic of its host: a host that names a Service no file of the
 * workspace defines (and no running ServiceEntry declares) gets none, so its subsets and policies
 * apply to nothing, most often because the host is misspelt or the Service was renamed. istioctl's
 * IST0174 (UnknownDestinationRuleHost, destinationrule/subset.go) and Kiali's KIA0202 check the same
 * against the cluster's registry.
 */
export const destinationRuleHostUnknown: BuildRule = {
  code: 'destination-rule-host-unknown',
  scope: 'build',
  defaultSeverity: 'warning',
  summary: 'A running DestinationRule is for a Service host that no file of the workspace defines: its subsets and policies apply to nothing.',
  check(analysis) {
    // What a remote or unread entry defines is unknown: a Service may come from there.
    if (analysis.hasUnreadEntries) return [];
    const findings: Finding[] = [];
    const entries = analysis.objects.filter((o) => o.kind === 'ServiceEntry' && isIstio(o.source));
    for (const built of analysis.objects) {
      if (!isDestinationRule(built.source)) continue;
      const rule = destinationRuleOf(built.source);
      const service = rule?.host === undefined ? undefined : serviceHost(rule.host);
      if (!rule?.host || !service || analysis.isDefinedAnywhere('Service', service.name)) continue;
      const host = rule.host;
      if (entries.some((entry) => hostsOf(entry.source).some((h) => hostCovers(h.host, host)))) continue;
      const range = rangeOfNode(built.source.lines, rule.hostNode);
      if (!range) continue;
      findings.push({
        code: this.code,
        path: built.source.path,
        range,
        message: `DestinationRule ${built.name} applies to no traffic: its host ${host} names Service ${service.name}, which no file of the workspace defines. Correct the host, or add the Service.`,
      });
    }
    return findings;
  },
};
