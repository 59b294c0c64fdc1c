import { FileRule } from './rule';
import { inRange } from '../traffic';
import { perDialect, routesOf } from './routes';

export const weightOutOfRange: FileRule<{ weight: number; min: number; max: number }> = {
  code: 'weight-out-of-range',
  scope: 'file',
  defaultSeverity: 'error',
  // A getter: the dialects are read when the summary is, not while the modules load.
  get summary() {
    return `A weight is outside the range its API accepts (${perDialect((d) => `${d.weights.min}..${d.weights.max}`)}).`;
  },
  check(file) {
    return routesOf(file).flatMap(({ split, route }) =>
      route.targets.flatMap((target) =>
        target.weight === undefined || inRange(split, target.weight)
          ? []
          : [
              {
                code: this.code,
                path: file.path,
                range: target.weightRange ?? target.nameRange,
                message: `Weight ${target.weight} for ${target.name} is outside ${split.dialect.weights.min}..${split.dialect.weights.max}.`,
                data: { weight: target.weight, min: split.dialect.weights.min, max: split.dialect.weights.max },
              },
            ],
      ),
    );
  },
  fixes(finding) {
    if (!finding.data) return [];
    const { weight, min, max } = finding.data;
    const clamped = weight < min ? min : max;
    return [
      {
        title: `Set the weight to ${clamped}`,
        isPreferred: true,
        changes: [{ path: finding.path, edits: [{ range: finding.range, newText: String(clamped) }] }],
      },
    ];
  },
};
