import { FileRule } from './rule';
import { perDialect, routeLabel, routesOf } from './routes';

export const tooManyTargets: FileRule = {
  code: 'too-many-targets',
  scope: 'file',
  defaultSeverity: 'error',
  // A getter: the dialects are read when the summary is, not while the modules load.
  get summary() {
    return `A route has more weighted targets than its API allows (${perDialect((d) => (Number.isFinite(d.weights.maxTargets) ? `at most ${d.weights.maxTargets}` : undefined))}).`;
  },
  check(file) {
    return routesOf(file).flatMap(({ split, route }) =>
      route.targets.length <= split.dialect.weights.maxTargets
        ? []
        : [
            {
              code: this.code,
              path: file.path,
              range: route.targetsRange,
              message: `${capitalize(routeLabel(route))} has ${route.targets.length} weighted targets; ${split.dialect.label} allows at most ${split.dialect.weights.maxTargets}.`,
            },
          ],
    );
  },
};

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
