import { FileRule } from '../../../../rules/rule';
import { LatticeData } from '../../lattice';
import { latticeFinding, latticeProfile, latticeRoutesIn } from './routes';

export const latticeUnsupportedRouteKind: FileRule<LatticeData> = {
  code: 'lattice-unsupported-route-kind',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'VPC Lattice serves HTTPRoute, GRPCRoute and TLSRoute only: a TCPRoute or UDPRoute on a Lattice Gateway carries no traffic.',
  ...latticeProfile,
  check(file, workspace, read) {
    return latticeRoutesIn(file, workspace, read, ['TCPRoute', 'UDPRoute']).map((route) =>
      latticeFinding(
        this.code,
        route,
        ['kind'],
        'value',
        `The AWS Gateway API Controller does not reconcile ${route.object.kind}s: ${route.object.name} on a VPC Lattice Gateway carries no traffic. Use a TLSRoute (TLS passthrough) or an HTTPRoute.`,
      ),
    );
  },
};
