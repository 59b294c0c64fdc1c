import type { NameReference, NameScope, ScopedName, ScopedNames } from '../../dialect';
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

/** The scope of a subset: the Service its host names, in the host's namespace or else the object's own. */
function subsetScope(host: string | undefined, object: ManifestObject): NameScope | undefined {
  const service = host === undefined ? undefined : serviceHost(host);
  return service && { kind: 'Service', name: service.name, namespace: service.namespace ?? object.namespace };
}

/**
 * Subsets: a DestinationRule defines them for its host's Service, a VirtualService destination names
 * one of its host's. Hosts that name no Service of the cluster (external ones) are left out.
 */
export const istioScopedNames: ScopedNames = {
  kinds: ['subset'],
  of(object) {
    if (!isIstio(object)) return [];
    const names: ScopedName[] = [];
    if (isVirtualService(object)) {
      for (const rule of routesOfVirtualService(object)) {
        for (const destination of rule.destinations) {
          const scope = subsetScope(destination.host, object);
          if (scope && destination.subsetNode)
            names.push({ kind: 'subset', nameNode: destination.subsetNode, scope, defines: false, role: 'destination subset' });
        }
      }
    }
    const rule = destinationRuleOf(object);
    const scope = rule && subsetScope(rule.host, object);
    if (rule && scope) {
      for (const subset of rule.subsets) {
        const entryNode = nodeAt(object.doc.contents, subset.path);
        names.push({ kind: 'subset', nameNode: subset.nameNode, scope, defines: true, role: 'subset', entryNode, labels: subset.labels });
      }
    }
    return names;
  },
  at(parent, key, sibling) {
    if (key !== 'subset' || parent !== 'destination') return undefined;
    const service = serviceHost(sibling('host') ?? '');
    return service && { kind: 'subset', scope: { kind: 'Service', name: service.name, namespace: service.namespace } };
  },
  // Pilot's validateSubsetName: a DNS-1123 label.
  invalid: (_kind, name) =>
    name.length <= 63 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)
      ? undefined
      : `"${name}" is not a valid subset name: up to 63 lowercase letters, digits and "-", starting and ending with a letter or digit.`,
};
