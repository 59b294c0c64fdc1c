import { FileRule } from '../../../../rules/rule';
import { LatticeData } from '../../lattice';
import { hasItems, matchesOf } from './matchesOf';
import { latticeFinding, latticeProfile, latticeRoutesIn } from './routes';

export const latticeQueryParamMatch: FileRule<LatticeData> = {
  code: 'lattice-query-param-match',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'VPC Lattice cannot match query parameters: the controller fails the whole route.',
  ...latticeProfile,
  check(file, workspace, read) {
    return latticeRoutesIn(file, workspace, read, ['HTTPRoute']).flatMap((route) =>
      matchesOf(route).flatMap((match) =>
        hasItems(match, 'queryParams')
          ? [
              latticeFinding(
                this.code,
                route,
                [...match.path, 'queryParams'],
                'key',
                `VPC Lattice cannot match query parameters: the controller fails the whole route ${route.object.name} (LATTICE_UNSUPPORTED_MATCH_TYPE). Match on the path or on headers instead.`,
              ),
            ]
          : [],
      ),
    );
  },
};
