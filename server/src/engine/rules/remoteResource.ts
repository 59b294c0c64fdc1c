import { BuildRule } from './rule';

export const remoteResource: BuildRule = {
  code: 'remote-resource',
  scope: 'build',
  defaultSeverity: 'information',
  summary: 'A remote resource (URL) is never fetched, so its objects are not checked.',
  check(analysis) {
    return analysis.entries
      .filter((resolved) => resolved.entry.enabled && resolved.target.type === 'remote')
      .map((resolved) => ({
        code: this.code,
        path: resolved.kustomization.path,
        range: resolved.entry.range,
        message: `${resolved.entry.value} is remote: it is not fetched, so its objects are not checked, and references to objects only it might define are not reported.`,
      }));
  },
};
