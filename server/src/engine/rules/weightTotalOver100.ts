import { FileRule } from './rule';
import { inRange, literalWeights, routeLabel, routesOf, scaleFix, weightData } from './routes';

export const weightTotalOver100: FileRule = {
  code: 'weight-total-over-100',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'The weights of a route add up to more than 100, which App Mesh rejects.',
  check(file) {
    return routesOf(file).flatMap(({ route }) => {
      const weights = literalWeights(route);
      if (!weights || !weights.every(inRange)) return [];
      const total = weights.reduce((a, b) => a + b, 0);
      if (total <= 100) return [];
      return [
        {
          code: this.code,
          path: file.path,
          range: route.targetsRange,
          message: `The weights of ${routeLabel(route)} add up to ${total}; App Mesh accepts at most 100.`,
          data: weightData(route, weights),
        },
      ];
    });
  },
  fixes(finding) {
    return scaleFix(finding, false);
  },
};
