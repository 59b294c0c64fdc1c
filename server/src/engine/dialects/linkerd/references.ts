import type { NameReference } from '../../dialect';
import { ManifestObject } from '../../manifest';
import { isSeq, nodeAt } from '../../yaml';
import { referencesOf } from '../gatewayapi/references';
import { isLinkerdRoute, isTrafficSplit } from './traffic';

/** The fields of Linkerd's routes and SMI's TrafficSplit that name Services. */
export function linkerdReferencesOf(object: ManifestObject): NameReference[] {
  if (isLinkerdRoute(object)) return referencesOf(object, isLinkerdRoute);
  if (!isTrafficSplit(object)) return [];
  const references: NameReference[] = [];
  const apex = nodeAt(object.doc.contents, ['spec', 'service']);
  if (apex) references.push({ kind: 'Service', nameNode: apex, namespace: object.namespace, role: 'apex service' });
  const backends = nodeAt(object.doc.contents, ['spec', 'backends']);
  if (isSeq(backends)) {
    for (const item of backends.items) {
      const nameNode = nodeAt(item, ['service']);
      if (nameNode) references.push({ kind: 'Service', nameNode, namespace: object.namespace, role: 'backend' });
    }
  }
  return references;
}

/**
 * The kind a reference field names, for completion: a TrafficSplit's `service` fields name
 * Services (a route's refs are the Gateway API dialect's fields, answered there).
 */
export function linkerdReferencedKindAt(parent: string | undefined, key: string): string | undefined {
  return key === 'service' && (parent === 'spec' || parent === 'backends') ? 'Service' : undefined;
}
