import { splitsOf } from '../dialects';
import { Position } from '../text';
import { inRange, TrafficRoute, TrafficSplit, VersionRef } from '../traffic';
import { WorkspaceFile } from '../workspace';
import { contains } from './position';

/** One weighted target of a route, with the share of the route's traffic it gets. */
export interface WeightShare {
  split: TrafficSplit;
  route: TrafficRoute;
  target: VersionRef;
  /** Percent of the route's traffic; undefined when it cannot be known (see `unknown`). */
  percent: number | undefined;
  /** Why the share is unknown. */
  unknown: string | undefined;
}

/** Shares of each target of a route: its weight over the route's total, as the data plane applies them. */
export function routeShares(split: TrafficSplit, route: TrafficRoute): WeightShare[] {
  const weights = route.targets.map((t) => t.weight);
  let unknown: string | undefined;
  if (route.targets.length === 1 && split.dialect.weights.soleTargetTakesAll) return [{ split, route, target: route.targets[0], percent: 100, unknown }];
  if (weights.some((w) => w === undefined)) unknown = 'a weight of this route is not a number (a placeholder, say)';
  else if (weights.some((w) => !inRange(split, w!))) {
    unknown = `${split.dialect.label} takes weights from ${split.dialect.weights.min} to ${split.dialect.weights.max} only`;
  } else if (weights.every((w) => w === 0)) unknown = 'every weight of this route is 0, so it sends no traffic';
  const total = weights.reduce<number>((sum, w) => sum + (w ?? 0), 0);
  return route.targets.map((target) => ({
    split,
    route,
    target,
    percent: unknown === undefined ? (target.weight! / total) * 100 : undefined,
    unknown,
  }));
}

/** Every weight of a file's routers, with its share. */
export function fileShares(file: WorkspaceFile): WeightShare[] {
  return splitsOf(file).flatMap((split) => split.routes.flatMap((route) => routeShares(split, route)));
}

export function shareAt(file: WorkspaceFile, position: Position): WeightShare | undefined {
  return fileShares(file).find((s) => s.target.weightRange && contains(s.target.weightRange, position));
}

export { formatPercent } from '../traffic';

/** "metal-route" or "this route". */
export function routeName(route: TrafficRoute): string {
  return route.name ?? 'this route';
}
