import { FileRule } from '../../../../rules/rule';
import { isMap, isSeq, nodeAt, YamlNode } from '../../../../yaml';
import { LatticeData } from '../../lattice';
import { itemsAt, latticeFinding, latticeProfile, latticeRoutesIn, MATCHING_ROUTE_KINDS, routeRules } from './routes';

/** What each field does elsewhere, for the message. */
const IGNORED: Readonly<Record<string, string>> = {
  filters: 'header changes, redirects, rewrites and mirrors',
  timeouts: 'request timeouts',
  retry: 'retries',
};

export const latticeIgnoredField: FileRule<LatticeData> = {
  code: 'lattice-ignored-field',
  scope: 'file',
  defaultSeverity: 'warning',
  summary: 'VPC Lattice ignores filters, timeouts and retry on route rules and backendRefs: the traffic goes without them.',
  ...latticeProfile,
  check(file, workspace, read) {
    return latticeRoutesIn(file, workspace, read, MATCHING_ROUTE_KINDS).flatMap((route) =>
      routeRules(route.object).flatMap((rule) => {
        const places = [rule, ...itemsAt(rule.node, rule.path, 'backendRefs')];
        return places.flatMap((place) =>
          Object.keys(IGNORED)
            .filter((key) => hasContent(nodeAt(place.node, [key])))
            .map((key) =>
              latticeFinding(
                this.code,
                route,
                [...place.path, key],
                'key',
                `VPC Lattice ignores ${key}: the AWS Gateway API Controller does not carry ${IGNORED[key]} to Lattice, so route ${route.object.name}'s traffic goes without them.`,
              ),
            ),
        );
      }),
    );
  },
};

/** An empty key (`filters: []`, `timeouts: {}`) asks for nothing that Lattice would drop. */
function hasContent(node: YamlNode | undefined): boolean {
  return (isSeq(node) || isMap(node)) && node.items.length > 0;
}
