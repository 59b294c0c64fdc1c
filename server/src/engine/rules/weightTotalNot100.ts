import { FileRule } from './rule';
import { effectiveSplit, inRange, literalWeights, routeLabel, routesOf, scaleFix, weightData } from './routes';

export const weightTotalNot100: FileRule = {
  code: 'weight-total-not-100',
  scope: 'file',
  defaultSeverity: 'warning',
  summary: 'The weights of a route with several targets do not add up to 100, so each share differs from its number.',
  check(file) {
    return routesOf(file).flatMap(({ route }) => {
      const weights = literalWeights(route);
      if (!weights || weights.length < 2 || !weights.every(inRange)) return [];
      const total = weights.reduce((a, b) => a + b, 0);
      if (total === 100 || total === 0 || total > 100) return [];
      const names = route.targets.map((t) => t.name).join(' / ');
      return [
        {
          code: this.code,
          path: file.path,
          range: route.targetsRange,
          message: `The weights of ${routeLabel(route)} add up to ${total}, not 100: the effective split is ${effectiveSplit(weights)} (${names}).`,
          data: weightData(route, weights),
        },
      ];
    });
  },
  fixes(finding) {
    return scaleFix(finding, true);
  },
};
