import { ManifestObject } from '../../../../manifest';
import { Finding } from '../../../../rules/rule';
import { isMap, isScalar, isSeq, nodeAt, pairOf, PathSegment, rangeOfNode, YamlMap, YamlNode, YamlPair } from '../../../../yaml';
import { isGatewayRoute } from '../../traffic';

/**
 * Reading what a route says, the way the API server's CEL rules see it after defaulting: a field
 * written as `null` is absent (the API server drops nulls before validating), and a value of the
 * wrong type is the schema rule's to report, so these readers just say "not there".
 */

/** The pair of `key` in a map, unless its value is null. */
export function present(map: YamlNode | undefined, key: string): YamlPair | undefined {
  const pair = pairOf(map, key);
  if (!pair || (isScalar(pair.value) && pair.value.value === null)) return undefined;
  return pair;
}

export function textOf(node: YamlNode | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

export function numberOf(node: YamlNode | undefined): number | undefined {
  return isScalar(node) && typeof node.value === 'number' ? node.value : undefined;
}

/** A map item of a list, with the path to it. */
export interface Located<Node extends YamlNode = YamlMap> {
  node: Node;
  path: PathSegment[];
}

/** The maps of the list at `path` under `root`, each with its path (items of other shapes are skipped). */
export function mapsAt(root: YamlNode | null | undefined, path: PathSegment[]): Located[] {
  const list = nodeAt(root, path);
  if (!isSeq(list)) return [];
  const maps: Located[] = [];
  list.items.forEach((item, index) => {
    if (isMap(item)) maps.push({ node: item, path: [...path, index] });
  });
  return maps;
}

/** The Gateway API routes of a file, with their spec as a map. */
export function routesOf(objects: readonly ManifestObject[], kinds: readonly string[]): { object: ManifestObject; spec: YamlMap }[] {
  const routes: { object: ManifestObject; spec: YamlMap }[] = [];
  for (const object of objects) {
    if (!isGatewayRoute(object) || !kinds.includes(object.kind)) continue;
    const spec = nodeAt(object.doc.contents, ['spec']);
    if (isMap(spec)) routes.push({ object, spec });
  }
  return routes;
}

/** A finding at one node of an object (its whole range), or at the object's document start when the node is gone. */
export function findingAt<Data>(code: string, object: ManifestObject, node: YamlNode | undefined, message: string, data?: Data): Finding<Data> {
  const range = rangeOfNode(object.lines, node) ?? object.lines.range(object.doc.start, object.doc.start);
  return { code, path: object.path, range, message, ...(data === undefined ? {} : { data }) };
}

/** "line 12", 1-based as editors show it, for messages that point at another node. */
export function lineOf(object: ManifestObject, node: YamlNode): string {
  return `line ${object.lines.positionAt(node.start).line + 1}`;
}
