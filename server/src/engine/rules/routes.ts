import { splitsOf } from '../dialects';
import { TrafficRoute, TrafficSplit } from '../traffic';
import { WorkspaceFile } from '../workspace';

export interface FileRoute {
  split: TrafficSplit;
  route: TrafficRoute;
}

export function routesOf(file: WorkspaceFile): FileRoute[] {
  return splitsOf(file).flatMap((split) => split.routes.map((route) => ({ split, route })));
}

/** Literal weights of a route, or undefined when any is not a literal number (a placeholder, say). */
export function literalWeights(route: TrafficRoute): number[] | undefined {
  const weights = route.targets.map((t) => t.weight);
  return weights.every((w): w is number => w !== undefined) ? weights : undefined;
}

export function inRange(weight: number): boolean {
  return weight >= 0 && weight <= 100;
}

export function routeLabel(route: TrafficRoute): string {
  return route.name ? `route ${route.name}` : 'this route';
}

/** "94.7 % / 5.3 %": each weight's share of the total, as the data plane applies it. */
export function effectiveSplit(weights: number[]): string {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => `${formatPercent((w / total) * 100)} %`).join(' / ');
}

function formatPercent(value: number): string {
  return value.toFixed(1).replace(/\.0$/, '');
}
