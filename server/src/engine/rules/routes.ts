import { Dialect } from '../dialect';
import { dialects, splitsOf } from '../dialects';
import { CodeFix } from '../fixes';
import { Range } from '../text';
import { Finding } from './rule';
import { formatPercent, TrafficRoute, TrafficSplit, VersionRef } from '../traffic';
import { WorkspaceFile } from '../workspace';

export interface FileRoute {
  split: TrafficSplit;
  route: TrafficRoute;
}

/** "App Mesh: 0..100": what each dialect allows, for summaries (dialects without a value are left out). */
export function perDialect(value: (dialect: Dialect) => string | undefined): string {
  return dialects
    .flatMap((dialect) => {
      const shown = value(dialect);
      return shown === undefined ? [] : [`${dialect.label}: ${shown}`];
    })
    .join('; ');
}

export function routesOf(file: WorkspaceFile): FileRoute[] {
  return splitsOf(file).flatMap((split) => split.routes.map((route) => ({ split, route })));
}

/** Literal weights of a route, or undefined when any is not a literal number (a placeholder, say). */
export function literalWeights(route: TrafficRoute): number[] | undefined {
  const weights = route.targets.map((t) => t.weight);
  return weights.every((w): w is number => w !== undefined) ? weights : undefined;
}

/** Percent of a route's traffic a target gets; undefined when a weight is not a literal number or all are 0. */
export function targetShare(route: TrafficRoute, target: VersionRef, split?: TrafficSplit): number | undefined {
  if (split?.dialect.weights.soleTargetTakesAll && route.targets.length === 1) return 100;
  const weights = literalWeights(route);
  const total = weights?.reduce((a, b) => a + b, 0) ?? 0;
  return weights && total > 0 && target.weight !== undefined ? (target.weight / total) * 100 : undefined;
}

export function routeLabel(route: TrafficRoute): string {
  return route.name ? `route ${route.name}` : 'this route';
}

/** "94.7 % / 5.3 %": each weight's share of the total, as the data plane applies it. */
export function effectiveSplit(weights: number[]): string {
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => `${formatPercent((w / total) * 100)} %`).join(' / ');
}

/** Integer weights adding up to exactly 100 in the same proportions (largest remainder first). */
export function scaleTo100(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / total) * 100);
  const scaled = exact.map(Math.floor);
  const order = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) })).sort((a, b) => b.remainder - a.remainder);
  for (let i = 0; i < 100 - scaled.reduce((a, b) => a + b, 0); i++) scaled[order[i % order.length].index]++;
  return scaled;
}

/** What weight findings carry for their fix. */
export interface WeightData {
  weights: number[];
  weightRanges: (Range | undefined)[];
}

export function weightData(route: TrafficRoute, weights: number[]): WeightData {
  return { weights, weightRanges: route.targets.map((t) => t.weightRange) };
}

/** "Scale weights to 100 (63/37)": the same split, written so that it adds up. */
export function scaleFix(finding: Finding<WeightData>, isPreferred: boolean): CodeFix[] {
  const weights = finding.data?.weights;
  const ranges = finding.data?.weightRanges;
  if (!weights || !ranges || ranges.some((r) => !r) || weights.reduce((a, b) => a + b, 0) === 0) return [];
  const scaled = scaleTo100(weights);
  return [
    {
      title: `Scale weights to 100 (${scaled.join('/')})`,
      isPreferred,
      changes: [{ path: finding.path, edits: ranges.map((range, i) => ({ range: range!, newText: String(scaled[i]) })) }],
    },
  ];
}
