import * as path from 'node:path';
import { BuildRule } from './rule';

export const loadRestrictor: BuildRule = {
  code: 'load-restrictor',
  scope: 'build',
  defaultSeverity: 'warning',
  summary: "A file entry lies outside the kustomization's directory, which kustomize's default load restrictor refuses.",
  check(analysis) {
    return analysis.entries.flatMap((resolved) => {
      if (!resolved.entry.enabled || resolved.target.type !== 'file') return [];
      const dir = path.dirname(resolved.kustomization.path);
      if (resolved.target.path.startsWith(dir + path.sep)) return [];
      return [
        {
          code: this.code,
          path: resolved.kustomization.path,
          range: resolved.entry.range,
          message: `${resolved.entry.value} is outside this kustomization's directory: \`kubectl kustomize\` refuses it ("security; file '${resolved.target.path}' is not in or below '${dir}'"); Flux's build allows it inside the repository.`,
        },
      ];
    });
  },
};
