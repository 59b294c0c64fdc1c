import { FileRule } from '../../../rules/rule';
import { locate } from '../../../yaml';
import { EXPERIMENTAL_VERSIONS, GATEWAY_API_GROUP, GATEWAY_API_SERVED_KINDS } from '../api';
import { groupOf } from '../traffic';

/**
 * An object in a version only the experimental channel of the Gateway API CRDs serves (v1alpha2
 * TCPRoute, say): a cluster with the standard channel, the one most installs use, refuses it with
 * "no matches for kind". Information only: a cluster with the experimental CRDs takes it.
 */
export const experimentalChannelVersion: FileRule<{ stable: string }> = {
  code: 'experimental-channel-version',
  scope: 'file',
  defaultSeverity: 'information',
  summary: "A Gateway API object in a version only the CRDs' experimental channel serves, which a cluster with the standard channel refuses.",
  check(file) {
    return file.objects.flatMap((object) => {
      if (groupOf(object.apiVersion) !== GATEWAY_API_GROUP) return [];
      const version = object.apiVersion.slice(GATEWAY_API_GROUP.length + 1);
      if (!EXPERIMENTAL_VERSIONS.includes(version) || !GATEWAY_API_SERVED_KINDS[version]?.includes(object.kind)) return [];
      const stable = GATEWAY_API_SERVED_KINDS.v1.includes(object.kind) ? `${GATEWAY_API_GROUP}/v1` : undefined;
      return [
        {
          code: this.code,
          path: file.path,
          range: locate(object.doc, file.parsed.lines, ['apiVersion'], 'value'),
          message: `\`${object.apiVersion}\` ${object.kind} is served only by the experimental channel of the Gateway API CRDs: a cluster with the standard channel refuses it ("no matches for kind").${stable ? ` The standard channel serves ${object.kind} as \`${stable}\`.` : ''}`,
          data: stable ? { stable } : undefined,
        },
      ];
    });
  },
  fixes(finding) {
    const stable = finding.data?.stable;
    // Not safe: the stable version may have dropped fields the alpha one had.
    return stable
      ? [{ title: `Change to \`${stable}\``, safe: false, changes: [{ path: finding.path, edits: [{ range: finding.range, newText: stable }] }] }]
      : [];
  },
};
