import { BuildRule, Finding } from '../../../../rules/rule';
import { rangeOfNode, nodeAt } from '../../../../yaml';
import { namesService } from '../../traffic';
import { allBackendRefs, isCoreService, routeTitle, runningObjects, runningRoutes, sectionsOf } from './objects';

interface PortData {
  /** The port to write instead, when one is clearly meant. */
  replacement: number | undefined;
}

/**
 * A backendRef's `port` is a port of the Service (`spec.ports[].port`), not the pods' targetPort:
 * a port the running Service does not expose resolves to nothing (ResolvedRefs False, reason
 * BackendNotFound in most implementations), and the share sent there fails.
 */
export const backendPortNotExposed: BuildRule<PortData> = {
  code: 'backend-port-not-exposed',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'A backendRef names a port that the running Service does not expose.',
  check(analysis) {
    const findings: Finding<PortData>[] = [];
    for (const route of runningRoutes(analysis)) {
      for (const ref of allBackendRefs(route.source)) {
        if (!namesService(ref) || ref.name === undefined || ref.port === undefined) continue;
        const [service] = runningObjects(analysis, 'Service', ref.name, ref.namespace ?? route.namespace, isCoreService);
        const sections = service && sectionsOf(service.source);
        if (!sections || sections.length === 0 || sections.some((s) => s.port === undefined)) continue;
        const ports = sections.map((s) => s.port!);
        if (ports.includes(ref.port)) continue;
        const range = rangeOfNode(route.source.lines, nodeAt(ref.node, ['port']));
        if (!range) continue;
        const byTarget = sections.filter((s) => s.targetPort === ref.port);
        const replacement = ports.length === 1 ? ports[0] : byTarget.length === 1 ? byTarget[0].port : undefined;
        const targetNote =
          byTarget.length > 0
            ? ` (${ref.port} is the pods' targetPort of Service port ${byTarget.map((s) => s.port).join(', ')}: a backendRef names the Service's port)`
            : '';
        findings.push({
          code: this.code,
          path: route.source.path,
          range,
          message: `Service ${ref.name} does not expose port ${ref.port}; it exposes ${ports.join(', ')}${targetNote}. ${routeTitle(route)} cannot resolve this backendRef${ref.mirror ? '' : ' and the traffic sent to it fails'}.`,
          related: [
            {
              path: service.source.path,
              range: rangeOfNode(service.source.lines, nodeAt(service.source.doc.contents, ['spec', 'ports'])) ?? range,
              message: `the ports of Service ${ref.name}`,
            },
          ],
          data: { replacement },
        });
      }
    }
    return findings;
  },
  fixes(finding) {
    const port = finding.data?.replacement;
    if (port === undefined) return [];
    return [
      { title: `Change to port ${port}`, isPreferred: true, changes: [{ path: finding.path, edits: [{ range: finding.range, newText: String(port) }] }] },
    ];
  },
};
