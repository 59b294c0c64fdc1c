import { closest } from '../closest';
import { apiOf } from '../dialects';
import { locate } from '../yaml';
import { FileRule, Finding } from './rule';

/** An apiVersion or kind of a mesh API's group that its controller does not serve: `kubectl apply` fails with "no matches for kind". */
export const unknownKind: FileRule<{ typed: string; suggestions: string[] }> = {
  code: 'unknown-kind',
  scope: 'file',
  defaultSeverity: 'error',
  summary: "An object of a mesh API's group has a version or kind the API does not serve.",
  check(file) {
    const findings: Finding<{ typed: string; suggestions: string[] }>[] = [];
    for (const object of file.objects) {
      const found = apiOf(object);
      if (!found) continue;
      const { dialect, api } = found;
      const { group, servedKinds, preferredVersion } = api;
      const [, version, ...rest] = object.apiVersion.split('/');
      const versions = Object.keys(servedKinds);
      const kinds = version === undefined || rest.length > 0 ? undefined : servedKinds[version];
      if (!kinds) {
        findings.push({
          code: this.code,
          path: file.path,
          range: locate(object.doc, file.parsed.lines, ['apiVersion'], 'value'),
          message: `\`${object.apiVersion}\` is not a version of the ${api.label ?? dialect.label} API; served versions: ${versions.map((v) => `${group}/${v}`).join(', ')}.`,
          data: { typed: object.apiVersion, suggestions: [`${group}/${preferredVersion}`] },
        });
        continue;
      }
      if (kinds.includes(object.kind)) continue;
      const spelled = closest(object.kind, kinds);
      // A kind that only contains the word written has another spec: named, not offered as a fix.
      const suggestions = spelled.length > 0 ? spelled.slice(0, 1) : kindsContaining(object.kind, kinds);
      const hint = suggestions.length > 0 ? ` Did you mean ${suggestions.map((k) => `\`${k}\``).join(' or ')}?` : ` Its kinds: ${kinds.join(', ')}.`;
      findings.push({
        code: this.code,
        path: file.path,
        range: locate(object.doc, file.parsed.lines, ['kind'], 'value'),
        message: `\`${object.apiVersion}\` has no kind \`${object.kind}\`: the cluster refuses the object.${hint}`,
        data: { typed: object.kind, suggestions: spelled },
      });
    }
    return findings;
  },
  fixes(finding) {
    const suggestions = finding.data?.suggestions ?? [];
    return suggestions.map((suggestion, index) => ({
      title: `Change to \`${suggestion}\``,
      isPreferred: index === 0 && suggestions.length === 1,
      safe: false,
      changes: [{ path: finding.path, edits: [{ range: finding.range, newText: suggestion }] }],
    }));
  },
};

/** The kinds that contain the word written: `Route` is part of `GatewayRoute` and `VirtualRouter`. */
function kindsContaining(typed: string, kinds: readonly string[]): string[] {
  if (typed.length < 3) return [];
  const word = typed.toLowerCase();
  return kinds.filter((kind) => kind.toLowerCase().includes(word));
}
