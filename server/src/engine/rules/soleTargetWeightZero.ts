import { FileRule } from './rule';
import { Range } from '../text';
import { literalWeights, routeLabel, routesOf } from './routes';

/**
 * A route with one target of weight 0, where the API leaves what happens to implementations
 * (Gateway API: the API types say no traffic, the traffic-splitting guide says all of it, and
 * implementations have done both).
 */
export const soleTargetWeightZero: FileRule<{ weightRange: Range | undefined }> = {
  code: 'sole-target-weight-zero',
  scope: 'file',
  defaultSeverity: 'warning',
  summary: 'The only target of a route has weight 0: some implementations send it all traffic, others none.',
  check(file) {
    return routesOf(file).flatMap(({ split, route }) => {
      if (!split.dialect.weights.soleZeroWeightUndefined || route.targets.length !== 1) return [];
      const weights = literalWeights(route);
      if (!weights || weights[0] !== 0) return [];
      const [target] = route.targets;
      return [
        {
          code: this.code,
          path: file.path,
          range: target.weightRange ?? target.nameRange,
          message: `${target.name} is the only target of ${routeLabel(route)} and has weight 0: ${split.dialect.label} implementations differ on whether it then gets all of the traffic or none. Write the weight you mean, or remove the rule.`,
          data: { weightRange: target.weightRange },
        },
      ];
    });
  },
  fixes(finding) {
    const range = finding.data?.weightRange;
    if (!range) return [];
    return [{ title: 'Set the weight to 1 (all traffic)', changes: [{ path: finding.path, edits: [{ range, newText: '1' }] }] }];
  },
};
