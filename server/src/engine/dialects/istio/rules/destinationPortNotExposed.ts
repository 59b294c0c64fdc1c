import { BuildRule, Finding } from '../../../rules/rule';
import { rangeOfNode } from '../../../yaml';
import { describePorts, lossOf, portsLocation, serviceDestinations } from './services';

interface PortData {
  ports: number[];
  /** The port whose targetPort the destination names: what was most likely meant. */
  meant: number | undefined;
}

/**
 * `destination.port.number` is a port of the Service (`spec.ports[].port`): pilot names the cluster
 * `outbound|PORT|SUBSET|HOST` from it (route.go GetDestinationCluster), and for a port the Service does
 * not expose there is no such cluster, so Envoy answers 503 (response flag NC). istioctl: IST0101
 * "Referenced host:port not found".
 */
export const destinationPortNotExposed: BuildRule<PortData> = {
  code: 'destination-port-not-exposed',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'A destination names a port that its running Service does not expose.',
  check(analysis) {
    const findings: Finding<PortData>[] = [];
    for (const { built, route, destination, service, ports } of serviceDestinations(analysis)) {
      const port = destination.port;
      if (port === undefined || ports.some((p) => p.port === port)) continue;
      const range = rangeOfNode(built.source.lines, destination.portNode);
      if (!range) continue;
      const byTarget = ports.filter((p) => p.targetPort === port);
      const targetNote =
        byTarget.length > 0
          ? ` (${port} is the pods' targetPort of port ${byTarget.map((p) => p.port).join(', ')}; a destination names the Service's port)`
          : '';
      const related = portsLocation(service, service.name);
      findings.push({
        code: this.code,
        path: built.source.path,
        range,
        message: `${lossOf(route)}: Service ${service.name} does not expose port ${port}; it exposes ${describePorts(ports)}${targetNote}.`,
        related: related && [related],
        data: { ports: ports.map((p) => p.port), meant: ports.length === 1 ? ports[0].port : byTarget.length === 1 ? byTarget[0].port : undefined },
      });
    }
    return findings;
  },
  fixes(finding) {
    const data = finding.data;
    if (!data) return [];
    return data.ports.map((port) => ({
      title: `Change to port ${port}`,
      isPreferred: port === data.meant,
      changes: [{ path: finding.path, edits: [{ range: finding.range, newText: String(port) }] }],
    }));
  },
};
