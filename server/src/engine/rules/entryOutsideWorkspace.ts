import * as path from 'node:path';
import { BuildRule } from './rule';

export const entryOutsideWorkspace: BuildRule = {
  code: 'entry-outside-workspace',
  scope: 'build',
  defaultSeverity: 'warning',
  summary: 'An entry names a path outside the workspace folders (absolute, climbing out with ../, or a symbolic link leading out): it is not read.',
  check(analysis) {
    return analysis.entries.flatMap((resolved) => {
      if (!resolved.entry.enabled || resolved.target.type !== 'outside') return [];
      const { entry, kustomization } = resolved;
      const written = path.resolve(path.dirname(kustomization.path), entry.value);
      const how = path.isAbsolute(entry.value)
        ? 'is an absolute path outside the workspace'
        : analysis.workspace.contains(written)
          ? 'leads outside the workspace through a symbolic link'
          : 'climbs out of the workspace';
      return [
        {
          code: this.code,
          path: kustomization.path,
          range: entry.range,
          message: `${entry.value} ${how}: it is not read, so the objects it defines are not checked and references to them are not reported. Open (or check) the folder that contains it to have it validated.`,
        },
      ];
    });
  },
};
