import * as path from 'node:path';
import { closest } from '../closest';
import { BuildRule } from './rule';

export const missingResource: BuildRule = {
  code: 'missing-resource',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'An enabled entry names a file or directory that does not exist.',
  check(analysis) {
    return analysis.build.entries.flatMap((resolved) => {
      if (!resolved.entry.enabled || resolved.target.type !== 'missing') return [];
      const dir = path.dirname(resolved.target.path);
      const siblings = analysis.workspace.listDirectory(dir).map((e) => e.name);
      const typedName = path.basename(resolved.target.path);
      const prefix = resolved.entry.value.slice(0, resolved.entry.value.length - typedName.length);
      const suggestions = closest(typedName, siblings).map((name) => prefix + name);
      const hint = suggestions.length > 0 ? ` Did you mean ${suggestions[0]}?` : '';
      return [
        {
          code: this.code,
          path: resolved.kustomization.path,
          range: resolved.entry.range,
          message: `${resolved.entry.value} does not exist.${hint}`,
          data: { suggestions },
        },
      ];
    });
  },
};
