import { BuildAnalysis } from '../../../analysis';
import { BuiltObject } from '../../../build';
import { lineEndOf } from '../../../edits';
import { CodeFix } from '../../../fixes';
import { Finding } from '../../../rules/rule';
import { Position } from '../../../text';
import { isMap, keyAt, nodeAt, rangeOfNode } from '../../../yaml';
import { isCoreService, runningObjects, Section, sectionsOf } from '../../gatewayapi/rules/references/objects';
import { serviceHost } from '../hosts';
import { Destination, isVirtualService, routesOfVirtualService, VirtualServiceRoute } from '../traffic';

/** A destination of a running VirtualService whose host is a running Service with readable ports. */
export interface ServiceDestination {
  built: BuiltObject;
  route: VirtualServiceRoute;
  destination: Destination;
  service: BuiltObject;
  /** The Service's ports, each with a number. */
  ports: (Section & { port: number })[];
}

/** Every destination of the running VirtualServices whose host names a running Service, with that Service's ports. */
export function serviceDestinations(analysis: BuildAnalysis): ServiceDestination[] {
  const found: ServiceDestination[] = [];
  for (const built of analysis.objects) {
    if (!isVirtualService(built.source)) continue;
    for (const route of routesOfVirtualService(built.source)) {
      for (const destination of route.destinations) {
        const host = destination.host === undefined ? undefined : serviceHost(destination.host);
        if (!host) continue;
        const [service] = runningObjects(analysis, 'Service', host.name, host.namespace ?? built.namespace, isCoreService);
        const sections = service && sectionsOf(service.source);
        if (!sections || sections.length === 0 || sections.some((s) => s.port === undefined)) continue;
        found.push({ built, route, destination, service, ports: sections as (Section & { port: number })[] });
      }
    }
  }
  return found;
}

/** "9080 (http), 9090 (grpc)" */
export function describePorts(ports: readonly (Section & { port: number })[]): string {
  return ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))).join(', ');
}

/** How a message leads with the loss of a destination's traffic: HTTP requests get 503, TCP and TLS connections are closed. */
export function lossOf(route: VirtualServiceRoute): string {
  return route.list === 'http' ? 'Requests sent here get HTTP 503' : 'Connections sent here are closed';
}

/** The related location of a finding about a Service's ports. */
export function portsLocation(service: BuiltObject, name: string): NonNullable<Finding['related']>[number] | undefined {
  const range = rangeOfNode(service.source.lines, nodeAt(service.source.doc.contents, ['spec', 'ports']));
  return range && { path: service.source.path, range, message: `the ports of Service ${name}` };
}

/** Where `port: {number: N}` goes in a destination: after its host, on lines of their own unless the map is written inline. */
export interface PortInsertion {
  at: Position;
  /** The column of `host:`, for a block map; undefined for an inline (flow) map. */
  column: number | undefined;
}

export function portInsertion(built: BuiltObject, destination: Destination): PortInsertion | undefined {
  const lines = built.source.lines;
  const map = nodeAt(destination.node, ['destination']);
  const key = rangeOfNode(lines, keyAt(destination.node, ['destination', 'host']));
  const value = rangeOfNode(lines, destination.hostNode);
  if (!isMap(map) || !key || !value) return undefined;
  if (map.flow) return { at: value.end, column: undefined };
  return { at: { line: value.end.line, character: lines.lineText(value.end.line).length }, column: key.start.character };
}

/** The quick fix that adds a port to a destination. */
export function addPortFix(path: string, text: string, insertion: PortInsertion, port: Section & { port: number }, preferred: boolean): CodeFix {
  const eol = lineEndOf(text);
  const newText =
    insertion.column === undefined
      ? `, port: {number: ${port.port}}`
      : `${eol}${' '.repeat(insertion.column)}port:${eol}${' '.repeat(insertion.column + 2)}number: ${port.port}`;
  return {
    title: `Send to port ${port.port}${port.name ? ` (${port.name})` : ''}`,
    isPreferred: preferred,
    changes: [{ path, edits: [{ range: { start: insertion.at, end: insertion.at }, newText }] }],
  };
}
