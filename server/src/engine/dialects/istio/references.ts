import type { NameReference } from '../../dialect';
import { isRecord, ManifestObject } from '../../manifest';
import { isSeq, nodeAt, scalarText } from '../../yaml';
import { serviceHost } from './hosts';
import { destinationRuleOf, hostsOf, isIstio, isVirtualService, routesOfVirtualService } from './traffic';

/**
 * The fields of Istio objects that name other objects by their plain name: destination hosts and a
 * DestinationRule's host written as a Service's short name, and a VirtualService's gateways. A host
 * written as an FQDN names the Service too, but renaming it is not a plain replacement of the name,
 * so it is left to the host rules.
 */
export function referencesOf(object: ManifestObject): NameReference[] {
  if (!isIstio(object)) return [];
  const references: NameReference[] = [];
  const isShort = (host: string | undefined): boolean => host !== undefined && serviceHost(host)?.namespace === undefined && serviceHost(host) !== undefined;
  if (isVirtualService(object)) {
    for (const { host, node } of hostsOf(object)) if (isShort(host)) references.push({ kind: 'Service', nameNode: node, namespace: undefined, role: 'host' });
    for (const rule of routesOfVirtualService(object)) {
      for (const destination of rule.destinations) {
        if (isShort(destination.host)) references.push({ kind: 'Service', nameNode: destination.hostNode, namespace: undefined, role: 'destination' });
      }
    }
    const gateways = nodeAt(object.doc.contents, ['spec', 'gateways']);
    if (isSeq(gateways)) {
      for (const node of gateways.items) {
        const name = scalarText(node);
        // `mesh` is the sidecars, not an object; `namespace/name` names one of another namespace.
        if (name && name !== 'mesh' && !name.includes('/')) references.push({ kind: 'Gateway', nameNode: node, namespace: undefined, role: 'gateway' });
      }
    }
  }
  const rule = destinationRuleOf(object);
  if (rule && isShort(rule.host)) references.push({ kind: 'Service', nameNode: rule.hostNode, namespace: undefined, role: 'host' });
  return references;
}

/** The kind a reference field names, for completion: `parent` is the nearest key above (`destination` for its `host`). */
export function referencedKindAt(parent: string | undefined, key: string): string | undefined {
  if (key === 'host' && (parent === 'destination' || parent === 'spec' || parent === 'mirror')) return 'Service';
  if (key === 'gateways') return 'Gateway';
  return undefined;
}

/** What a hover says of a DestinationRule: its host and subsets with their labels. */
export function describeObject(object: ManifestObject): string[] {
  const rule = destinationRuleOf(object);
  if (!rule) return [];
  const subsets = rule.subsets.map((s) => `${s.name} (${[...s.labels].map(([k, v]) => `\`${k}=${v}\``).join(', ') || 'no labels'})`);
  const spec = isRecord(object.value.spec) ? object.value.spec : {};
  return [`Host: ${String(spec.host ?? 'none')}`, subsets.length > 0 ? `Subsets: ${subsets.join('; ')}` : 'No subsets.'];
}
