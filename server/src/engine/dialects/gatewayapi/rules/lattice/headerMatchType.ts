import { FileRule } from '../../../../rules/rule';
import { nodeAt, scalarText } from '../../../../yaml';
import { LatticeData } from '../../lattice';
import { matchesOf } from './matchesOf';
import { itemsAt, latticeFinding, latticeProfile, latticeRoutesIn, MATCHING_ROUTE_KINDS } from './routes';

export const latticeHeaderMatchType: FileRule<LatticeData> = {
  code: 'lattice-header-match-type',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'On VPC Lattice a header match must be Exact: the controller fails the whole route otherwise.',
  ...latticeProfile,
  check(file, workspace, read) {
    return latticeRoutesIn(file, workspace, read, MATCHING_ROUTE_KINDS).flatMap((route) =>
      matchesOf(route).flatMap((match) =>
        itemsAt(match.node, match.path, 'headers').flatMap((header) => {
          // Without a type the CRD defaults to Exact.
          const type = scalarText(nodeAt(header.node, ['type']));
          if (type === undefined || type === 'Exact') return [];
          return [
            latticeFinding(
              this.code,
              route,
              [...header.path, 'type'],
              'value',
              `Header match type ${type} is not supported on VPC Lattice, which matches headers exactly only: the controller fails the whole route ${route.object.name} (LATTICE_UNSUPPORTED_HEADER_MATCH_TYPE).`,
            ),
          ];
        }),
      ),
    );
  },
};
