import type { NameReference } from '../../dialect';
import { isRecord, ManifestObject } from '../../manifest';
import { isMap, isSeq, pairOf, scalarText } from '../../yaml';

/** The fields that hold references: a `*Ref` map with a `name`, or a legacy `*Name` scalar. */
const REFERENCE_MAPS: Readonly<Record<string, string>> = {
  virtualNodeRef: 'VirtualNode',
  virtualRouterRef: 'VirtualRouter',
  virtualServiceRef: 'VirtualService',
};
const REFERENCE_SCALARS: Readonly<Record<string, string>> = {
  virtualNodeName: 'VirtualNode',
  virtualServiceName: 'VirtualService',
};

/** Every field of an App Mesh object that names a VirtualNode, VirtualRouter or VirtualService. */
export function referencesOf(object: ManifestObject): NameReference[] {
  const references: NameReference[] = [];
  const visit = (node: unknown, ancestors: string[], depth: number): void => {
    if (depth > 120) return;
    if (isSeq(node)) {
      for (const item of node.items) visit(item, ancestors, depth + 1);
      return;
    }
    if (!isMap(node)) return;
    for (const pair of node.items) {
      const key = scalarText(pair.key);
      if (key === undefined) continue;
      const value = pair.value;
      const mapKind = REFERENCE_MAPS[key];
      if (mapKind && isMap(value)) {
        const namespace = scalarText(pairOf(value, 'namespace')?.value);
        references.push({ kind: mapKind, nameNode: pairOf(value, 'name')?.value, namespace, role: roleOf(object, ancestors) });
      }
      const scalarKind = REFERENCE_SCALARS[key];
      if (scalarKind) references.push({ kind: scalarKind, nameNode: value, namespace: undefined, role: roleOf(object, ancestors) });
      visit(value, [...ancestors, key], depth + 1);
    }
  };
  visit(object.doc.contents, [], 0);
  return references;
}

/**
 * Which reference field a completion is asked in: the `name` of a `*Ref` map (`parent` is the map's
 * key) or a legacy `*Name` scalar (`key`).
 */
export function referencedKindAt(parent: string | undefined, key: string): string | undefined {
  return key === 'name' && parent !== undefined ? REFERENCE_MAPS[parent] : REFERENCE_SCALARS[key];
}

function roleOf(object: ManifestObject, ancestors: string[]): string {
  if (ancestors.includes('weightedTargets')) return 'route target';
  if (ancestors.includes('provider')) return 'provider';
  if (ancestors.includes('backends')) return 'backend';
  if (object.kind === 'GatewayRoute') return 'gateway route target';
  return 'reference';
}

/** What a hover says of an App Mesh object beyond the traffic model: a VirtualNode's pod selector. */
export function describeObject(object: ManifestObject): string[] {
  if (object.kind !== 'VirtualNode') return [];
  const selector = podSelectorOf(object);
  return [selector.length > 0 ? `Pod selector: ${selector.map((s) => `\`${s}\``).join(', ')}` : 'No pod selector.'];
}

/** The pod selector of a VirtualNode, as `key=value` pairs and expressions. */
function podSelectorOf(object: ManifestObject): string[] {
  const spec = isRecord(object.value.spec) ? object.value.spec : {};
  const selector = isRecord(spec.podSelector) ? spec.podSelector : undefined;
  if (!selector) return [];
  const parts: string[] = [];
  if (isRecord(selector.matchLabels)) for (const [key, value] of Object.entries(selector.matchLabels)) parts.push(`${key}=${String(value)}`);
  if (Array.isArray(selector.matchExpressions)) {
    for (const expression of selector.matchExpressions) {
      if (!isRecord(expression)) continue;
      const values = Array.isArray(expression.values) ? expression.values.map(String).join(', ') : '';
      parts.push(`${String(expression.key)} ${String(expression.operator)}${values ? ` (${values})` : ''}`);
    }
  }
  return parts;
}
