import { nodeAt, scalarText } from '../../../yaml';
import { Destination, VirtualServiceRoute } from '../traffic';

/** "reviews subset v1", "reviews": a destination as messages name it. */
export function destinationLabel(destination: Pick<Destination, 'host' | 'subset'>): string {
  return `${destination.host ?? 'a destination without host'}${destination.subset === undefined ? '' : ` subset ${destination.subset}`}`;
}

/** "http rule reviews", "tcp rule 2": a rule of a VirtualService by its name, else by its place (1-based). */
export function ruleLabel(route: VirtualServiceRoute): string {
  const name = scalarText(nodeAt(route.node, ['name']));
  return `${route.list} rule ${name ?? route.index + 1}`;
}
