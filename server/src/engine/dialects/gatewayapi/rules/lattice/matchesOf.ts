import { isSeq, nodeAt, scalarText } from '../../../../yaml';
import { itemsAt, LatticeRoute, RouteRuleNode, routeRules } from './routes';

/** Every match of every rule of a route, with its path. */
export function matchesOf(route: LatticeRoute): RouteRuleNode[] {
  return routeRules(route.object).flatMap((rule) => itemsAt(rule.node, rule.path, 'matches'));
}

/** A match's `type` field under a key (`path`), when written as text. */
export function typeAt(match: RouteRuleNode, key: string): string | undefined {
  return scalarText(nodeAt(match.node, [key, 'type']));
}

/** Whether a key of a match holds a list with items. */
export function hasItems(match: RouteRuleNode, key: string): boolean {
  const list = nodeAt(match.node, [key]);
  return isSeq(list) && list.items.length > 0;
}
