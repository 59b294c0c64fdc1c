import { FileRule } from './rule';
import { inRange, routesOf } from './routes';

export const weightOutOfRange: FileRule = {
  code: 'weight-out-of-range',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'A weight is below 0 or above 100.',
  check(file) {
    return routesOf(file).flatMap(({ route }) =>
      route.targets.flatMap((target) =>
        target.weight === undefined || inRange(target.weight)
          ? []
          : [
              {
                code: this.code,
                path: file.path,
                range: target.weightRange ?? target.nameRange,
                message: `Weight ${target.weight} for ${target.name} is outside 0..100.`,
                data: { weight: target.weight },
              },
            ],
      ),
    );
  },
  fixes(finding) {
    const weight = finding.data?.weight as number | undefined;
    if (weight === undefined) return [];
    const clamped = weight < 0 ? 0 : 100;
    return [{ title: `Set the weight to ${clamped}`, isPreferred: true, changes: [{ path: finding.path, edits: [{ range: finding.range, newText: String(clamped) }] }] }];
  },
};
