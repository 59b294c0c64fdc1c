import { FileRule } from '../../../../rules/rule';
import { LatticeData } from '../../lattice';
import { matchesOf } from './matchesOf';
import { itemsAt, latticeFinding, latticeProfile, latticeRoutesIn, MATCHING_ROUTE_KINDS } from './routes';

/** Header matches the Lattice controller takes in one match (LATTICE_MAX_HEADER_MATCHES). */
export const LATTICE_MAX_HEADER_MATCHES = 5;

export const latticeTooManyHeaderMatches: FileRule<LatticeData> = {
  code: 'lattice-too-many-header-matches',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'On VPC Lattice a match may have at most 5 header matches: the controller fails the whole route otherwise.',
  ...latticeProfile,
  check(file, workspace, read) {
    return latticeRoutesIn(file, workspace, read, MATCHING_ROUTE_KINDS).flatMap((route) =>
      matchesOf(route).flatMap((match) => {
        const count = itemsAt(match.node, match.path, 'headers').length;
        if (count <= LATTICE_MAX_HEADER_MATCHES) return [];
        return [
          latticeFinding(
            this.code,
            route,
            [...match.path, 'headers'],
            'key',
            `This match has ${count} header matches; VPC Lattice takes at most ${LATTICE_MAX_HEADER_MATCHES}, so the controller fails the whole route ${route.object.name} (LATTICE_EXCEED_MAX_HEADER_MATCHES).`,
          ),
        ];
      }),
    );
  },
};
