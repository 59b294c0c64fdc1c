import { FileRule } from './rule';
import { routeLabel, routesOf } from './routes';

/** App Mesh's quota: weighted targets per route. */
const MAX_TARGETS = 10;

export const tooManyTargets: FileRule = {
  code: 'too-many-targets',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'A route has more weighted targets than App Mesh allows (10).',
  check(file) {
    return routesOf(file).flatMap(({ route }) =>
      route.targets.length <= MAX_TARGETS
        ? []
        : [
            {
              code: this.code,
              path: file.path,
              range: route.targetsRange,
              message: `${capitalize(routeLabel(route))} has ${route.targets.length} weighted targets; App Mesh allows at most ${MAX_TARGETS}.`,
            },
          ],
    );
  },
};

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
