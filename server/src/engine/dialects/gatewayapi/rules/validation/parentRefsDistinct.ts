import { FileRule, Finding } from '../../../../rules/rule';
import { rangeOfNode, YamlMap } from '../../../../yaml';
import { GATEWAY_API_GROUP, ROUTE_KINDS } from '../../api';
import { findingAt, lineOf, mapsAt, present, routesOf, textOf } from './fields';

/** A parentRef as the CEL rules compare it: the CRD's defaults filled in, an empty namespace or sectionName the same as none. */
interface Parent {
  node: YamlMap;
  identity: string;
  label: string;
  sectionName: string;
}

function readParent(node: YamlMap): Parent | undefined {
  const field = (key: string, fallback: string): string | undefined => {
    const pair = present(node, key);
    return pair ? textOf(pair.value) : fallback;
  };
  const group = field('group', GATEWAY_API_GROUP);
  const kind = field('kind', 'Gateway');
  const name = field('name', '');
  const namespace = field('namespace', '');
  const sectionName = field('sectionName', '');
  // A field of the wrong type or a missing name is the schema rule's finding; comparing it would guess.
  if (group === undefined || kind === undefined || !name || namespace === undefined || sectionName === undefined) return undefined;
  // The port is not part of the comparison: the standard channel's rule ignores it.
  return { node, identity: JSON.stringify([group, kind, name, namespace]), label: `${kind} ${namespace ? `${namespace}/` : ''}${name}`, sectionName };
}

export const parentRefsDistinct: FileRule = {
  code: 'parent-refs-distinct',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'Two parentRefs of a route name the same parent without each setting its own sectionName, which the API server rejects.',
  check(file) {
    const findings: Finding[] = [];
    for (const { object, spec } of routesOf(file.objects, ROUTE_KINDS)) {
      const seen = new Map<string, Parent[]>();
      for (const item of mapsAt(spec, ['parentRefs'])) {
        const parent = readParent(item.node);
        if (!parent) continue;
        const earlier = seen.get(parent.identity) ?? [];
        // The first earlier reference it clashes with: one finding a reference, however many repeat it.
        const clash = earlier.find((other) => !parent.sectionName || !other.sectionName || other.sectionName === parent.sectionName);
        earlier.push(parent);
        seen.set(parent.identity, earlier);
        if (!clash) continue;
        const why =
          parent.sectionName && clash.sectionName
            ? `with the same sectionName '${parent.sectionName}'`
            : parent.sectionName || clash.sectionName
              ? 'and only one of the two sets sectionName'
              : 'and neither sets sectionName';
        const finding = findingAt(
          this.code,
          object,
          parent.node,
          `This parentRef names ${parent.label} again (as on ${lineOf(object, clash.node)}) ${why}: when a route names a parent more than once, each reference needs a sectionName of its own. The API server rejects the route.`,
        );
        const earlierRange = rangeOfNode(object.lines, clash.node);
        if (earlierRange) finding.related = [{ path: object.path, range: earlierRange, message: `The first parentRef to ${parent.label}.` }];
        findings.push(finding);
      }
    }
    return findings;
  },
};
