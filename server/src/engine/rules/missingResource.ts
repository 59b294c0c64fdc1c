import * as path from 'node:path';
import { clearlyClosest, closest } from '../closest';
import { BuildRule } from './rule';

export const missingResource: BuildRule<{ suggestions: string[]; clear: boolean; quote: string }> = {
  code: 'missing-resource',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'An enabled entry names a file or directory that does not exist, or something that is neither (a FIFO, socket or device).',
  check(analysis) {
    // Suggestions compare a name with every file of its directory: bounded for lists of thousands of entries.
    let comparisonsLeft = SUGGESTION_BUDGET;
    const siblings = new Map<string, string[]>();
    const siblingsOf = (dir: string): string[] => {
      let names = siblings.get(dir);
      if (!names) siblings.set(dir, (names = analysis.workspace.listDirectory(dir).map((e) => e.name)));
      return names;
    };
    return analysis.entries.flatMap((resolved) => {
      if (!resolved.entry.enabled) return [];
      if (resolved.target.type === 'special') {
        return [
          {
            code: this.code,
            path: resolved.kustomization.path,
            range: resolved.entry.range,
            message: `${resolved.entry.value} is not a regular file (a FIFO, socket or device): it is not read, and kustomize cannot build from it (a FIFO makes \`kubectl kustomize\` wait forever).`,
          },
        ];
      }
      if (resolved.target.type !== 'missing') return [];
      if (resolved.target.loop) {
        return [
          {
            code: this.code,
            path: resolved.kustomization.path,
            range: resolved.entry.range,
            message: `${resolved.entry.value} is a symbolic link loop: it never leads to a file or directory, so kustomize fails ("too many levels of symbolic links").`,
          },
        ];
      }
      const dir = path.dirname(resolved.target.path);
      const typedName = path.basename(resolved.target.path);
      const prefix = resolved.entry.value.slice(0, resolved.entry.value.length - typedName.length);
      const candidates = siblingsOf(dir);
      comparisonsLeft -= candidates.length;
      const suggestions = comparisonsLeft >= 0 ? closest(typedName, candidates).map((name) => prefix + name) : [];
      const hint = suggestions.length > 0 ? ` Did you mean ${suggestions[0]}?` : '';
      const clear = clearlyClosest(resolved.entry.value, suggestions);
      return [
        {
          code: this.code,
          path: resolved.kustomization.path,
          range: resolved.entry.range,
          message: `${resolved.entry.value} does not exist.${hint}`,
          data: {
            suggestions,
            clear,
            quote: quoteOf(resolved.kustomization.parsed.lines.lineText(resolved.entry.line).charAt(resolved.entry.range.start.character)),
          },
        },
      ];
    });
  },
  fixes(finding) {
    const { suggestions = [], quote = '', clear = false } = finding.data ?? {};
    return suggestions.map((suggestion, index) => ({
      title: `Change to ${suggestion}`,
      isPreferred: clear && index === 0,
      safe: clear && index === 0,
      changes: [{ path: finding.path, edits: [{ range: finding.range, newText: quote + suggestion + quote }] }],
    }));
  },
};

/** How many names one build compares for "did you mean" suggestions (thousands of entries in a small directory, or a few in a huge one). */
const SUGGESTION_BUDGET = 100_000;

/** The quote an entry is written with, kept by the fix. */
function quoteOf(firstCharacter: string): string {
  return firstCharacter === '"' || firstCharacter === "'" ? firstCharacter : '';
}
