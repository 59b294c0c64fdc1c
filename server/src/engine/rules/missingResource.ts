import * as path from 'node:path';
import { clearlyClosest, closest } from '../closest';
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
      const clear = clearlyClosest(resolved.entry.value, suggestions);
      return [
        {
          code: this.code,
          path: resolved.kustomization.path,
          range: resolved.entry.range,
          message: `${resolved.entry.value} does not exist.${hint}`,
          data: { suggestions, clear, quote: quoteOf(resolved.kustomization.parsed.lines.lineText(resolved.entry.line).charAt(resolved.entry.range.start.character)) },
        },
      ];
    });
  },
  fixes(finding) {
    const suggestions = (finding.data?.suggestions ?? []) as string[];
    const quote = (finding.data?.quote ?? '') as string;
    const clear = finding.data?.clear === true;
    return suggestions.map((suggestion, index) => ({
      title: `Change to ${suggestion}`,
      isPreferred: clear && index === 0,
      safe: clear && index === 0,
      changes: [{ path: finding.path, edits: [{ range: finding.range, newText: quote + suggestion + quote }] }],
    }));
  },
};

/** The quote an entry is written with, kept by the fix. */
function quoteOf(firstCharacter: string): string {
  return firstCharacter === '"' || firstCharacter === "'" ? firstCharacter : '';
}
