import { FileRule } from '../../../../rules/rule';
import { LatticeData } from '../../lattice';
import { itemsAt, latticeFinding, latticeProfile, latticeRoutesIn, MATCHING_ROUTE_KINDS, routeRules } from './routes';

export const latticeMultipleMatches: FileRule<LatticeData> = {
  code: 'lattice-multiple-matches',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'On VPC Lattice a route rule may have one match only (and so one method): the controller fails the whole route otherwise.',
  ...latticeProfile,
  check(file, workspace, read) {
    return latticeRoutesIn(file, workspace, read, MATCHING_ROUTE_KINDS).flatMap((route) =>
      routeRules(route.object).flatMap((rule) => {
        const count = itemsAt(rule.node, rule.path, 'matches').length;
        if (count <= 1) return [];
        return [
          latticeFinding(
            this.code,
            route,
            [...rule.path, 'matches'],
            'key',
            `This rule has ${count} matches; the VPC Lattice controller supports one match per rule and fails the whole route ${route.object.name} (LATTICE_NO_SUPPORT_FOR_MULTIPLE_MATCHES). Give each match a rule of its own, with the same backendRefs.`,
          ),
        ];
      }),
    );
  },
};
