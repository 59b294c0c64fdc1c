import { FileRule } from './rule';
import { Range } from '../text';
import { literalWeights, routeLabel, routesOf } from './routes';

interface AllZeroData {
  targets: { name: string; weightRange?: Range }[];
  /** The weight that sends all of a route's traffic to one target. */
  all: number;
}

export const weightsAllZero: FileRule<AllZeroData> = {
  code: 'weights-all-zero',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'Every weight of a route is 0, so the route sends traffic nowhere.',
  check(file) {
    return routesOf(file).flatMap(({ split, route }) => {
      const weights = literalWeights(route);
      if (!weights || weights.length === 0 || weights.some((w) => w !== 0)) return [];
      // One target of weight 0 is undefined rather than nothing in some APIs: sole-target-weight-zero says so.
      if (weights.length === 1 && (split.dialect.weights.soleZeroWeightUndefined || split.dialect.weights.soleTargetTakesAll)) return [];
      return [
        {
          code: this.code,
          path: file.path,
          range: route.targetsRange,
          message: `Every weight of ${routeLabel(route)} is 0: it sends traffic to no version.`,
          data: { targets: route.targets.map((t) => ({ name: t.name, weightRange: t.weightRange })), all: Math.min(100, split.dialect.weights.max) },
        },
      ];
    });
  },
  fixes(finding) {
    if (!finding.data) return [];
    const { targets, all } = finding.data;
    if (targets.some((t) => !t.weightRange)) return [];
    return targets.map((chosen) => ({
      title: `Send all traffic to ${chosen.name}`,
      changes: [{ path: finding.path, edits: targets.filter((t) => t === chosen).map((t) => ({ range: t.weightRange!, newText: String(all) })) }],
    }));
  },
};
