import { FileRule } from './rule';
import { inRange } from '../traffic';
import { literalWeights, perDialect, routeLabel, routesOf, scaleFix, WeightData, weightData } from './routes';

export const weightTotalOver100: FileRule<WeightData> = {
  code: 'weight-total-over-100',
  scope: 'file',
  defaultSeverity: 'error',
  // A getter: the dialects are read when the summary is, not while the modules load.
  get summary() {
    return `The weights of a route add up to more than its API accepts (${perDialect((d) => (d.weights.maxTotal === undefined ? undefined : `at most ${d.weights.maxTotal}`))}).`;
  },
  check(file) {
    return routesOf(file).flatMap(({ split, route }) => {
      const { maxTotal } = split.dialect.weights;
      const weights = literalWeights(route);
      if (maxTotal === undefined || !weights || !weights.every((w) => inRange(split, w))) return [];
      const total = weights.reduce((a, b) => a + b, 0);
      if (total <= maxTotal) return [];
      return [
        {
          code: this.code,
          path: file.path,
          range: route.targetsRange,
          message: `The weights of ${routeLabel(route)} add up to ${total}; ${split.dialect.label} accepts at most ${maxTotal}.`,
          data: weightData(route, weights),
        },
      ];
    });
  },
  fixes(finding) {
    return scaleFix(finding, false);
  },
};
