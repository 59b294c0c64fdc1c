import { locate } from '../yaml';
import { BuildRule } from './rule';

export const versionWithoutTraffic: BuildRule = {
  code: 'version-without-traffic',
  scope: 'build',
  defaultSeverity: 'information',
  summary: 'A running version gets no traffic from any enabled router: staged for testing, or kept for rollback.',
  check(analysis) {
    const versionKinds = new Set(analysis.localSplits.map((split) => split.versionKind));
    const versions = new Set(analysis.localSplits.flatMap((split) => split.routes.flatMap((route) => route.targets.map((t) => t.name))));
    const served = new Set(
      analysis.runningSplits.flatMap(({ split }) => split.routes.flatMap((route) => route.targets.filter((t) => (t.weight ?? 1) > 0).map((t) => t.name))),
    );
    return analysis.build.objects.flatMap((object) => {
      if (!versionKinds.has(object.kind) || !versions.has(object.name) || served.has(object.name)) return [];
      return [
        {
          code: this.code,
          path: object.source.path,
          range: locate(object.source.doc, object.source.lines, ['metadata', 'name']),
          message: `${object.kind} ${object.name} is running but no enabled router sends it traffic: staged for testing, or kept for rollback.`,
        },
      ];
    });
  },
};
