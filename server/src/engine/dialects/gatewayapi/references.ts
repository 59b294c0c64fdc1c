import type { NameReference } from '../../dialect';
import { isRecord, ManifestObject } from '../../manifest';
import { isMap, isSeq, nodeAt, scalarText } from '../../yaml';
import { GATEWAY_API_GROUP, LATTICE_GROUP } from './api';
import { backendRefsOf, groupOf, isCoreGroup, parentIsService, parentRefsOf } from './traffic';

/**
 * Every field of a Gateway API object (or of the Lattice controller's) that names another object:
 * routes' backendRefs and parentRefs, a Gateway's class, a ReferenceGrant's `to` names, a policy's
 * targetRef.
 */
export function referencesOf(object: ManifestObject, isRoute: (object: ManifestObject) => boolean): NameReference[] {
  const references: NameReference[] = [];
  if (isRoute(object)) {
    for (const ref of parentRefsOf(object)) {
      if (ref.kind !== undefined && ref.kind !== 'Gateway' && ref.kind !== 'Service') continue;
      const kind = parentIsService(ref) ? 'Service' : ref.group === undefined || ref.group === GATEWAY_API_GROUP ? 'Gateway' : undefined;
      if (kind) references.push({ kind, nameNode: ref.nameNode, namespace: ref.namespace, role: 'parent' });
    }
    for (const { refs } of backendRefsOf(object)) {
      for (const ref of refs) {
        if (!isCoreGroup(ref.group) || (ref.kind !== undefined && ref.kind !== 'Service')) continue;
        references.push({ kind: 'Service', nameNode: ref.nameNode, namespace: ref.namespace, role: 'backend' });
      }
    }
    return references;
  }
  const group = groupOf(object.apiVersion);
  if (group === GATEWAY_API_GROUP && object.kind === 'Gateway') {
    references.push({ kind: 'GatewayClass', nameNode: nodeAt(object.doc.contents, ['spec', 'gatewayClassName']), namespace: undefined, role: 'class' });
  }
  if (group === GATEWAY_API_GROUP && object.kind === 'ReferenceGrant') {
    const to = nodeAt(object.doc.contents, ['spec', 'to']);
    if (isSeq(to)) {
      for (const item of to.items) {
        const kind = scalarText(nodeAt(item, ['kind']));
        const nameNode = nodeAt(item, ['name']);
        if (kind && nameNode) references.push({ kind, nameNode, namespace: object.namespace, role: 'grant' });
      }
    }
  }
  if (group === LATTICE_GROUP) {
    const target = nodeAt(object.doc.contents, ['spec', 'targetRef']);
    const kind = isMap(target) ? scalarText(nodeAt(target, ['kind'])) : undefined;
    if (kind) references.push({ kind, nameNode: nodeAt(target, ['name']), namespace: scalarText(nodeAt(target, ['namespace'])), role: 'policy target' });
  }
  return references;
}

/** The kind a reference field names, for completion: `parent` is the nearest key above (`backendRefs` for its items' `name`). */
export function referencedKindAt(parent: string | undefined, key: string): string | undefined {
  if (key === 'gatewayClassName') return 'GatewayClass';
  if (key !== 'name') return undefined;
  if (parent === 'backendRefs' || parent === 'targetRef') return 'Service';
  if (parent === 'parentRefs') return 'Gateway';
  return undefined;
}

/** What a hover says of the objects routes name: a Service's selector and ports, a Gateway's class and listeners. */
export function describeObject(object: ManifestObject): string[] {
  const spec = isRecord(object.value.spec) ? object.value.spec : {};
  if (object.kind === 'Service' && object.apiVersion === 'v1') {
    const selector = isRecord(spec.selector) ? Object.entries(spec.selector).map(([k, v]) => `\`${k}=${String(v)}\``) : [];
    const ports = Array.isArray(spec.ports) ? spec.ports.filter(isRecord).map((p) => (p.name ? `${String(p.name)} ${String(p.port)}` : String(p.port))) : [];
    return [
      selector.length > 0 ? `Selector: ${selector.join(', ')}` : 'No selector: its endpoints are managed by hand.',
      ports.length > 0 ? `Ports: ${ports.join(', ')}` : 'No ports.',
    ];
  }
  if (object.kind === 'Gateway' && isGatewayApiObject(object)) {
    const listeners = Array.isArray(spec.listeners)
      ? spec.listeners.filter(isRecord).map((l) => `${String(l.name)} (${String(l.protocol)} ${String(l.port)})`)
      : [];
    return [`Class: ${String(spec.gatewayClassName ?? 'none')}`, listeners.length > 0 ? `Listeners: ${listeners.join(', ')}` : 'No listeners.'];
  }
  return [];
}

function isGatewayApiObject(object: ManifestObject): boolean {
  return groupOf(object.apiVersion) === GATEWAY_API_GROUP;
}
