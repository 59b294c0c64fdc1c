import { FileRule } from '../../../../rules/rule';
import { LatticeData } from '../../lattice';
import { matchesOf, typeAt } from './matchesOf';
import { latticeFinding, latticeProfile, latticeRoutesIn } from './routes';

/** Path match types the Lattice controller turns into Lattice path matches; a missing type is defaulted to PathPrefix by the CRD. */
const LATTICE_PATH_TYPES = ['Exact', 'PathPrefix'];

export const latticePathMatchType: FileRule<LatticeData> = {
  code: 'lattice-path-match-type',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'On VPC Lattice a path match must be Exact or PathPrefix: the controller fails the whole route otherwise.',
  ...latticeProfile,
  check(file, workspace, read) {
    return latticeRoutesIn(file, workspace, read, ['HTTPRoute']).flatMap((route) =>
      matchesOf(route).flatMap((match) => {
        const type = typeAt(match, 'path');
        if (type === undefined || LATTICE_PATH_TYPES.includes(type)) return [];
        return [
          latticeFinding(
            this.code,
            route,
            [...match.path, 'path', 'type'],
            'value',
            `Path match type ${type} is not supported on VPC Lattice, which matches paths as Exact or PathPrefix only: the controller fails the whole route ${route.object.name} (LATTICE_UNSUPPORTED_PATH_MATCH_TYPE).`,
          ),
        ];
      }),
    );
  },
};
