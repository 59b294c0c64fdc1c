import { closest } from '../closest';
import { APP_MESH_GROUP, APP_MESH_SERVED_KINDS } from '../appmeshApi';
import { locate } from '../yaml';
import { FileRule, Finding } from './rule';

/** An App Mesh apiVersion or kind that no controller serves: `kubectl apply` fails with "no matches for kind". */
export const unknownKind: FileRule = {
  code: 'unknown-kind',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'An object of the App Mesh group has a version or kind the App Mesh API does not serve.',
  check(file) {
    const findings: Finding[] = [];
    for (const object of file.objects) {
      const [group, version, ...rest] = object.apiVersion.split('/');
      if (group !== APP_MESH_GROUP) continue;
      const versions = Object.keys(APP_MESH_SERVED_KINDS);
      const kinds = version === undefined || rest.length > 0 ? undefined : APP_MESH_SERVED_KINDS[version];
      if (!kinds) {
        findings.push({
          code: this.code,
          path: file.path,
          range: locate(object.doc, file.parsed.lines, ['apiVersion'], 'value'),
          message: `\`${object.apiVersion}\` is not a version of the App Mesh API; served versions: ${versions.map((v) => `${APP_MESH_GROUP}/${v}`).join(', ')}.`,
          data: { typed: object.apiVersion, suggestions: [`${APP_MESH_GROUP}/v1beta2`] },
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
    const suggestions = (finding.data?.suggestions ?? []) as string[];
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
