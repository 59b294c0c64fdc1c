import { BuildRule, Finding } from '../../../rules/rule';
import { keyAt, rangeOfNode } from '../../../yaml';
import { Section } from '../../gatewayapi/rules/references/objects';
import { addPortFix, describePorts, PortInsertion, portInsertion, portsLocation, serviceDestinations } from './services';

interface PortRequiredData {
  insertion: PortInsertion | undefined;
  ports: (Section & { port: number })[];
}

/**
 * A destination without `port` goes to the Service's only port; with several, pilot builds the
 * cluster name from the port the request came in on (route.go GetDestinationCluster): right for a
 * sidecar whose caller used the Service's port, a cluster that does not exist for a gateway listening
 * on 80 or 443. istioctl reports it as IST0112 whatever the gateways.
 */
export const destinationPortRequired: BuildRule<PortRequiredData> = {
  code: 'destination-port-required',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'A destination names no port while its Service exposes several.',
  check(analysis) {
    const findings: Finding<PortRequiredData>[] = [];
    for (const { built, route, destination, service, ports } of serviceDestinations(analysis)) {
      if (ports.length < 2 || keyAt(destination.node, ['destination', 'port'])) continue;
      const range = rangeOfNode(built.source.lines, destination.hostNode);
      if (!range) continue;
      const related = portsLocation(service, service.name);
      findings.push({
        code: this.code,
        path: built.source.path,
        range,
        message:
          `${route.list === 'http' ? 'Requests' : 'Connections'} here go to whichever port of Service ${service.name} they arrived on: it exposes ${describePorts(ports)} and the destination names none, ` +
          `so at a gateway, listening on a port of its own, there is no such cluster (${route.list === 'http' ? 'HTTP 503' : 'connection closed'}). Name the port (port.number).`,
        related: related && [related],
        data: { insertion: portInsertion(built, destination), ports },
      });
    }
    return findings;
  },
  fixes(finding, { workspace }) {
    const data = finding.data;
    const text = workspace.file(finding.path)?.text;
    if (!data?.insertion || text === undefined) return [];
    return data.ports.map((port) => addPortFix(finding.path, text, data.insertion!, port, false));
  },
};
