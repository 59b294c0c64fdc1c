import type { Dialect } from '../../dialect';
import { ManifestObject } from '../../manifest';
import { TrafficRoute, TrafficSplit, VersionRef } from '../../traffic';
import { isMap, isScalar, isSeq, keyAt, nodeAt, rangeOfNode, scalarText } from '../../yaml';
import { groupOf } from '../gatewayapi/traffic';
import { LINKERD_ROUTE_VERSIONS, POLICY_GROUP, PROFILE_GROUP, PROFILE_KIND, SMI_SPLIT_GROUP, SMI_SPLIT_KIND, SMI_SPLIT_SERVED_KINDS } from './api';

function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

/** Linkerd's own HTTPRoute (`policy.linkerd.io`), read like the Gateway API's. */
export function isLinkerdRoute(object: ManifestObject): boolean {
  return object.kind === 'HTTPRoute' && groupOf(object.apiVersion) === POLICY_GROUP && LINKERD_ROUTE_VERSIONS.includes(versionOf(object.apiVersion));
}

export function isTrafficSplit(object: ManifestObject): boolean {
  return object.kind === SMI_SPLIT_KIND && groupOf(object.apiVersion) === SMI_SPLIT_GROUP && versionOf(object.apiVersion) in SMI_SPLIT_SERVED_KINDS;
}

export function isServiceProfile(object: { apiVersion: string; kind: string }): boolean {
  return object.kind === PROFILE_KIND && groupOf(object.apiVersion) === PROFILE_GROUP;
}

/**
 * The Service a ServiceProfile is for: Linkerd matches a profile by name against the destination's
 * fully qualified name, `<service>.<namespace>.svc.<cluster domain>` (cluster.local by default,
 * but a cluster may set another).
 */
export function profiledService(name: string): { service: string; namespace: string } | undefined {
  const match = /^([^.]+)\.([^.]+)\.svc\.[^.].*$/.exec(name);
  return match ? { service: match[1], namespace: match[2] } : undefined;
}

/** SI and binary suffixes of a Kubernetes quantity, as powers. */
const QUANTITY_SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes quantity ("500m", "1", "1.5k", "2e3") as a number; undefined when it is none. */
export function quantityValue(text: string): number | undefined {
  const match = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([KMGTPE]i|[numkMGTPE]?)|[eE]([+-]?\d+))$/.exec(text.trim());
  if (!match) return undefined;
  const [, number, suffix, exponent] = match;
  const scale = exponent !== undefined ? 10 ** Number(exponent) : QUANTITY_SUFFIX[suffix ?? ''];
  const value = Number(number) * scale;
  return Number.isFinite(value) ? value : undefined;
}

/**
 * A backend's weight: v1alpha1 takes an int or a quantity string (`500m`); v1alpha2 a number only.
 * Anything else (a placeholder, a string where a number is due) is no weight the model can use.
 */
function weightOf(node: unknown, version: string): number | undefined {
  if (!isScalar(node)) return undefined;
  if (typeof node.value === 'number') return node.value;
  return version === 'v1alpha1' && typeof node.value === 'string' ? quantityValue(node.value) : undefined;
}

/**
 * An SMI TrafficSplit as a split: one route, `spec.backends`, whose targets are the Services named
 * by each backend's `service`; `spec.service` is the apex Service clients call.
 */
export function readTrafficSplit(object: ManifestObject, dialect: Dialect): TrafficSplit | undefined {
  if (!isTrafficSplit(object)) return undefined;
  const lines = object.lines;
  const version = versionOf(object.apiVersion);
  const routes: TrafficRoute[] = [];
  const spec = nodeAt(object.doc.contents, ['spec']);
  if (isMap(spec)) {
    const targetsPath = ['spec', 'backends'];
    const list = nodeAt(object.doc.contents, targetsPath);
    const targets: VersionRef[] = [];
    if (isSeq(list)) {
      for (const item of list.items) {
        const nameNode = nodeAt(item, ['service']);
        const name = scalarText(nameNode);
        const nameRange = rangeOfNode(lines, nameNode);
        if (name === undefined || !nameRange) continue;
        const weightNode = nodeAt(item, ['weight']);
        targets.push({ name, namespace: undefined, weight: weightOf(weightNode, version), nameRange, weightRange: rangeOfNode(lines, weightNode) });
      }
    }
    const targetsRange = rangeOfNode(lines, keyAt(object.doc.contents, targetsPath)) ?? rangeOfNode(lines, keyAt(object.doc.contents, ['spec']));
    if (targetsRange) {
      routes.push({ name: undefined, nameRange: undefined, targetsRange, targets, path: ['spec'], entryPath: ['spec'], targetsPath, protocol: 'backends' });
    }
  }
  return { object, dialect, versionKind: 'Service', routes, serviceName: scalarText(nodeAt(spec, ['service'])) };
}
