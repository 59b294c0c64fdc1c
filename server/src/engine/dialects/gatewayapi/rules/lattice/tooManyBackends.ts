import { FileRule } from '../../../../rules/rule';
import { LatticeData } from '../../lattice';
import { itemsAt, latticeFinding, latticeProfile, latticeRoutesIn, routeRules } from './routes';

/** Target groups a Lattice forward action takes (API_ForwardAction: 1–10). */
const LATTICE_MAX_BACKENDS = 10;

export const latticeTooManyBackends: FileRule<LatticeData> = {
  code: 'lattice-too-many-backends',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'On VPC Lattice a route rule may have at most 10 backendRefs: the Lattice API rejects more.',
  ...latticeProfile,
  check(file, workspace, read) {
    return latticeRoutesIn(file, workspace, read, ['HTTPRoute', 'GRPCRoute', 'TLSRoute']).flatMap((route) =>
      routeRules(route.object).flatMap((rule) => {
        const count = itemsAt(rule.node, rule.path, 'backendRefs').length;
        if (count <= LATTICE_MAX_BACKENDS) return [];
        return [
          latticeFinding(
            this.code,
            route,
            [...rule.path, 'backendRefs'],
            'key',
            `This rule has ${count} backendRefs; a VPC Lattice rule forwards to at most ${LATTICE_MAX_BACKENDS} target groups, so the Lattice API rejects it and route ${route.object.name} is not deployed. Split the backends over several rules (with distinct matches) or drop those of weight 0.`,
          ),
        ];
      }),
    );
  },
};
