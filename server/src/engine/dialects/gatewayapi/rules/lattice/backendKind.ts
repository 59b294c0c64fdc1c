import { FileRule } from '../../../../rules/rule';
import { nodeAt, scalarText } from '../../../../yaml';
import { LatticeData } from '../../lattice';
import { itemsAt, latticeFinding, latticeProfile, latticeRoutesIn, routeRules } from './routes';

/** The backend kinds the Lattice controller turns into target groups (it compares the kind only). */
const LATTICE_BACKEND_KINDS = ['Service', 'ServiceImport'];

export const latticeBackendKind: FileRule<LatticeData> = {
  code: 'lattice-backend-kind',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'On VPC Lattice a backendRef must name a Service or a ServiceImport: other kinds get no traffic.',
  ...latticeProfile,
  check(file, workspace, read) {
    return latticeRoutesIn(file, workspace, read, ['HTTPRoute', 'GRPCRoute', 'TLSRoute']).flatMap((route) =>
      routeRules(route.object).flatMap((rule) =>
        itemsAt(rule.node, rule.path, 'backendRefs').flatMap((ref) => {
          const kind = scalarText(nodeAt(ref.node, ['kind']));
          if (kind === undefined || LATTICE_BACKEND_KINDS.includes(kind)) return [];
          return [
            latticeFinding(
              this.code,
              route,
              [...ref.path, 'kind'],
              'value',
              `VPC Lattice forwards only to Services and ServiceImports: the controller marks this ${kind} backend invalid (InvalidKind) and leaves it out of the rule, so its share goes to the rule's other backends, or, when it has none, requests get HTTP 500.`,
            ),
          ];
        }),
      ),
    );
  },
};
