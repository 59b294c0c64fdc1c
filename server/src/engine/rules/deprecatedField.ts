import { lineEndOf, TextEdit } from '../edits';
import { CodeFix, kustomizationAt } from '../fixes';
import { Kustomization } from '../kustomization';
import { isMap, isScalar, isSeq, pairOf } from '../yaml';
import { FileRule, Finding } from './rule';

/** Fields kustomize still reads but has replaced, with their replacement. */
export const DEPRECATED_FIELDS: Readonly<Record<string, string>> = {
  bases: 'resources',
  patchesStrategicMerge: 'patches',
  patchesJson6902: 'patches',
  vars: 'replacements',
  commonLabels: 'labels',
  imageTags: 'images',
};

export const deprecatedField: FileRule<{ field: string; replacement: string }> = {
  code: 'deprecated-field',
  scope: 'file',
  defaultSeverity: 'warning',
  summary: 'A kustomization uses a field that kustomize has deprecated.',
  check(file) {
    const kustomization = file.kustomization;
    if (!kustomization) return [];
    const root = kustomization.parsed.documents[0]?.contents;
    return [...kustomization.keys].flatMap(([key, range]) => {
      const replacement = DEPRECATED_FIELDS[key];
      // kustomize warns of a deprecated field only when it has a value: a key whose items are all
      // commented out (`bases:` then `#- ../base`) reads as null and passes without a word.
      const value = replacement ? pairOf(root, key)?.value : undefined;
      const isNull = !value || (isScalar(value) && value.value === null);
      return replacement && !isNull
        ? [{ code: this.code, path: file.path, range, message: `\`${key}\` is deprecated: use \`${replacement}\`.`, data: { field: key, replacement } }]
        : [];
    });
  },
  fixes(finding, { workspace }) {
    const kustomization = kustomizationAt(workspace, finding.path);
    const field = finding.data?.field;
    if (!kustomization || !field) return [];
    const replacement = DEPRECATED_FIELDS[field];
    // Merging into an existing replacement key is left to the user: item order and duplicates need judgement.
    if (kustomization.keys.has(replacement)) return [];
    const edits = migrate(kustomization, field, replacement, finding);
    if (!edits) return [];
    return [{ title: `Migrate \`${field}\` to \`${replacement}\``, isPreferred: true, safe: true, changes: [{ path: finding.path, edits }] } satisfies CodeFix];
  },
};

/** The edits that rewrite a deprecated field as its replacement, or undefined when no faithful rewrite exists. */
function migrate(kustomization: Kustomization, field: string, replacement: string, finding: Finding): TextEdit[] | undefined {
  const rename: TextEdit = { range: finding.range, newText: replacement };
  switch (field) {
    case 'bases':
    case 'imageTags':
    case 'patchesJson6902':
      return [rename];
    case 'patchesStrategicMerge': {
      // Each item names a patch file; `patches` wants `- path: file`. Inline patches have no faithful rewrite here.
      const value = pairOf(kustomization.parsed.documents[0]?.contents, field)?.value;
      const entries = kustomization.entries.filter((e) => e.field === field);
      if (isSeq(value) && value.items.length !== entries.filter((e) => e.enabled).length) return undefined;
      return [rename, ...entries.map((e) => ({ range: { start: e.range.start, end: e.range.start }, newText: 'path: ' }))];
    }
    case 'commonLabels': {
      const pair = pairOf(kustomization.parsed.documents[0]?.contents, field);
      if (!pair || !isMap(pair.value) || pair.value.flow) return undefined;
      const lines = kustomization.parsed.lines;
      const eol = lineEndOf(lines.text);
      const labels: string[] = [];
      let end = pair.key.end;
      for (const item of pair.value.items) {
        if (!isScalar(item.key) || !isScalar(item.value)) return undefined;
        labels.push(`    ${lines.text.slice(item.key.start, item.key.end)}: ${lines.text.slice(item.value.start, item.value.end)}`);
        end = item.value.end;
      }
      // commonLabels also set selectors; includeSelectors keeps that behaviour.
      const newText = [`${replacement}:`, '- includeSelectors: true', '  pairs:', ...labels].join(eol);
      return [{ range: lines.range(pair.key.start, end), newText }];
    }
    default:
      return undefined;
  }
}
