import { replace } from '../../../../fixes';
import { ManifestObject } from '../../../../manifest';
import { FileRule, Finding } from '../../../../rules/rule';
import { Range } from '../../../../text';
import { isMap, isSeq, nodeAt, rangeOfNode, YamlMap, YamlNode } from '../../../../yaml';
import { isGatewayApi } from '../../traffic';
import { findingAt, lineOf, mapsAt, present, textOf } from './fields';

/** A Hostname address (the Gateway CRD's CEL rule, v1.6.1): an RFC 1123 name, optionally with a leading wildcard label. */
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The address types whose values must be unique. */
const UNIQUE_TYPES = ['IPAddress', 'Hostname'];

/** The lines of a repeated address's list entry, to delete it. */
interface AddressData {
  removal?: Range;
}

export const gatewayAddresses: FileRule<AddressData> = {
  code: 'gateway-addresses',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'A Gateway asks for the same IP address or hostname twice, or for a Hostname address that is no DNS name, which the API server rejects.',
  check(file) {
    const findings: Finding<AddressData>[] = [];
    for (const object of file.objects) {
      if (!isGatewayApi(object) || object.kind !== 'Gateway') continue;
      const spec = nodeAt(object.doc.contents, ['spec']);
      if (!isMap(spec)) continue;
      const seen = new Map<string, YamlNode>();
      const list = nodeAt(spec, ['addresses']);
      for (const address of mapsAt(spec, ['addresses'])) {
        const typePair = present(address.node, 'type');
        // The CRD defaults the type to IPAddress.
        const type = typePair ? textOf(typePair.value) : 'IPAddress';
        const valueNode = present(address.node, 'value')?.value;
        const value = textOf(valueNode);
        if (type === undefined || value === undefined || !valueNode) continue;
        if (type === 'Hostname' && !HOSTNAME.test(value)) {
          findings.push(
            findingAt(
              this.code,
              object,
              valueNode,
              `'${value}' is no hostname: a Hostname address is a lower-case DNS name (a leading '*.' allowed), and the API server rejects the Gateway. An IP address needs type IPAddress.`,
            ),
          );
        }
        if (!UNIQUE_TYPES.includes(type)) continue;
        const key = `${type}\u0000${value}`;
        const first = seen.get(key);
        if (!first) {
          seen.set(key, valueNode);
          continue;
        }
        const removal = isSeq(list) && !list.flow ? entryLines(object, address.node) : undefined;
        const finding = findingAt<AddressData>(
          this.code,
          object,
          valueNode,
          `The ${type} ${value} is asked for twice (first on ${lineOf(object, first)}): the API server accepts each address once. Remove this one.`,
          { removal },
        );
        const range = rangeOfNode(object.lines, first);
        if (range) finding.related = [{ path: object.path, range, message: `The first ${type} ${value}.` }];
        findings.push(finding);
      }
    }
    return findings;
  },
  fixes(finding) {
    const removal = finding.data?.removal;
    if (!removal) return [];
    return [{ title: 'Remove the repeated address', isPreferred: true, safe: true, changes: [{ path: finding.path, edits: [replace(removal, '')] }] }];
  },
};

/** The whole lines of a block list entry (from its `-` to the end of its last line), when nothing else shares them. */
function entryLines(object: ManifestObject, entry: YamlMap): Range | undefined {
  const lines = object.lines;
  const first = lines.positionAt(entry.start).line;
  const last = lines.positionAt(Math.max(entry.end - 1, entry.start)).line;
  const lead = lines.text.slice(lines.lineStart(first), entry.start);
  if (!/^[ \t]*-[ \t]+$/.test(lead)) return undefined;
  const end = last + 1 < lines.lineCount ? { line: last + 1, character: 0 } : lines.positionAt(lines.text.length);
  return { start: { line: first, character: 0 }, end };
}
