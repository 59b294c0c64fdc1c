import { FileRule } from './rule';
import { literalWeights, routeLabel, routesOf } from './routes';

export const weightsAllZero: FileRule = {
  code: 'weights-all-zero',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'Every weight of a route is 0, so the route sends traffic nowhere.',
  check(file) {
    return routesOf(file).flatMap(({ route }) => {
      const weights = literalWeights(route);
      if (!weights || weights.length === 0 || weights.some((w) => w !== 0)) return [];
      return [
        {
          code: this.code,
          path: file.path,
          range: route.targetsRange,
          message: `Every weight of ${routeLabel(route)} is 0: it sends traffic to no version.`,
        },
      ];
    });
  },
};
