import type { Dialect, VersionNeed, WeightRules } from '../../dialect';
import { isRecord, ManifestObject } from '../../manifest';
import { Range } from '../../text';
import { TrafficRoute, TrafficSplit, VersionRef } from '../../traffic';
import { Labels, podLabelsOf, selects, serviceSelectorOf } from '../../workloads';
import { isMap, isScalar, isSeq, keyAt, nodeAt, PathSegment, rangeOfNode, scalarText, YamlNode } from '../../yaml';
import { ISTIO_GROUP, ROUTE_LISTS, RouteList } from './api';
import { hostCovers, sameService, serviceHost } from './hosts';

/**
 * What `route[].weight` allows (istio/api virtual_service.proto; pilot's validation.go): relative
 * since Istio 1.15 (share = weight / sum), each ≥ 0, an int32; a single destination takes all traffic
 * whatever its weight. A destination of weight 0 gets no traffic, so nothing is lost when its host is
 * missing (istioctl still reports the host).
 */
export const DESTINATION_WEIGHTS: WeightRules = {
  min: 0,
  max: 2_147_483_647,
  maxTargets: Number.POSITIVE_INFINITY,
  percentages: false,
  maxTotal: undefined,
  idleTargetsMayBeMissing: true,
  soleZeroWeightUndefined: false,
  soleTargetTakesAll: true,
};

/** The weight a single destination without one is taken to have: all of the traffic (Kiali assumes 100). */
export const SOLE_DEFAULT_WEIGHT = 100;

export function isIstio(object: { apiVersion: string }): boolean {
  return object.apiVersion.startsWith(`${ISTIO_GROUP}/`);
}

export function isVirtualService(object: ManifestObject): boolean {
  return object.kind === 'VirtualService' && isIstio(object);
}

export function isDestinationRule(object: ManifestObject): boolean {
  return object.kind === 'DestinationRule' && isIstio(object);
}

/** One `destination` of a route as written. */
export interface Destination {
  host: string | undefined;
  hostNode: YamlNode | undefined;
  subset: string | undefined;
  subsetNode: YamlNode | undefined;
  port: number | undefined;
  portNode: YamlNode | undefined;
  weightNode: YamlNode | undefined;
  /** The route destination (the item of `route`), for findings about it. */
  node: YamlNode;
  path: PathSegment[];
}

/** One rule of a VirtualService (`http[i]`, `tcp[i]`, `tls[i]`) with its destinations. */
export interface VirtualServiceRoute {
  list: RouteList;
  index: number;
  path: PathSegment[];
  node: YamlNode;
  destinations: Destination[];
}

/** Every rule of a VirtualService, in order; read once per object version, shared by the split, references and rules. */
export function routesOfVirtualService(object: ManifestObject): VirtualServiceRoute[] {
  let found = routesCache.get(object);
  if (found) return found;
  found = [];
  for (const list of ROUTE_LISTS) {
    const rules = nodeAt(object.doc.contents, ['spec', list]);
    if (!isSeq(rules)) continue;
    rules.items.forEach((node, index) => {
      if (!isMap(node)) return;
      const path: PathSegment[] = ['spec', list, index];
      const route = nodeAt(node, ['route']);
      const destinations = isSeq(route) ? route.items.flatMap((item, i) => readDestination(item, [...path, 'route', i]) ?? []) : [];
      found!.push({ list, index, path, node, destinations });
    });
  }
  routesCache.set(object, found);
  return found;
}

const routesCache = new WeakMap<ManifestObject, VirtualServiceRoute[]>();

function readDestination(item: YamlNode, path: PathSegment[]): Destination | undefined {
  if (!isMap(item)) return undefined;
  const destination = nodeAt(item, ['destination']);
  const hostNode = nodeAt(destination, ['host']);
  const subsetNode = nodeAt(destination, ['subset']);
  const portNode = nodeAt(destination, ['port', 'number']);
  return {
    host: scalarText(hostNode),
    hostNode,
    subset: scalarText(subsetNode),
    subsetNode,
    port: isScalar(portNode) && typeof portNode.value === 'number' ? portNode.value : undefined,
    portNode,
    weightNode: nodeAt(item, ['weight']),
    node: item,
    path,
  };
}

/**
 * A VirtualService as a split: each of its http, tcp and tls rules is a route whose targets are the
 * Services its destinations' hosts name, with their subsets. Hosts that name no Service of the
 * cluster (external ones) are no version of a rollout and are left out.
 */
export function readVirtualServiceSplit(object: ManifestObject, dialect: Dialect): TrafficSplit | undefined {
  if (!isVirtualService(object)) return undefined;
  const lines = object.lines;
  const routes: TrafficRoute[] = [];
  for (const rule of routesOfVirtualService(object)) {
    const targets: VersionRef[] = [];
    const sole = rule.destinations.length === 1;
    for (const destination of rule.destinations) {
      const service = destination.host === undefined ? undefined : serviceHost(destination.host);
      const nameRange = rangeOfNode(lines, destination.hostNode);
      if (!service || !nameRange) continue;
      const written = isScalar(destination.weightNode) ? destination.weightNode.value : undefined;
      // An omitted weight is 0 (proto3), but a single destination takes all traffic anyway.
      const weight = destination.weightNode === undefined ? (sole ? SOLE_DEFAULT_WEIGHT : 0) : typeof written === 'number' ? written : undefined;
      const subsetRange = rangeOfNode(lines, destination.subsetNode);
      targets.push({
        name: service.name,
        namespace: service.namespace,
        weight,
        nameRange,
        weightRange: rangeOfNode(lines, destination.weightNode),
        subset: destination.subset !== undefined && subsetRange ? { name: destination.subset, range: subsetRange } : undefined,
      });
    }
    const nameNode = nodeAt(rule.node, ['name']);
    const targetsPath = [...rule.path, 'route'];
    const targetsRange = rangeOfNode(lines, keyAt(object.doc.contents, targetsPath)) ?? rangeOfNode(lines, rule.node);
    if (!targetsRange) continue;
    routes.push({
      name: scalarText(nameNode),
      nameRange: rangeOfNode(lines, nameNode),
      targetsRange,
      targets,
      path: rule.path,
      entryPath: rule.path,
      targetsPath,
      protocol: rule.list,
    });
  }
  const hosts = hostsOf(object);
  const service = hosts.map((h) => serviceHost(h.host)).find((h) => h !== undefined);
  return { object, dialect, versionKind: 'Service', routes, serviceName: service?.name };
}

/** `spec.hosts` of a VirtualService or ServiceEntry, with their nodes. */
export function hostsOf(object: ManifestObject): { host: string; node: YamlNode }[] {
  const list = nodeAt(object.doc.contents, ['spec', 'hosts']);
  if (!isSeq(list)) return [];
  return list.items.flatMap((node) => {
    const host = scalarText(node);
    return host === undefined ? [] : [{ host, node }];
  });
}

/** The namespace an object runs in when it names none: kustomize's or the cluster's default, which we take as equal for all. */
function namespaceOf(object: { namespace: string | undefined }): string {
  return object.namespace ?? '';
}

/** One subset of a DestinationRule, with where it is written. */
export interface Subset {
  name: string;
  labels: Labels;
  nameNode: YamlNode | undefined;
  path: PathSegment[];
}

/** A DestinationRule's host and subsets; read once per object version. */
export function destinationRuleOf(object: ManifestObject): { host: string | undefined; hostNode: YamlNode | undefined; subsets: Subset[] } | undefined {
  if (!isDestinationRule(object)) return undefined;
  let found = ruleCache.get(object);
  if (found) return found;
  const hostNode = nodeAt(object.doc.contents, ['spec', 'host']);
  const list = nodeAt(object.doc.contents, ['spec', 'subsets']);
  const spec = isRecord(object.value.spec) ? object.value.spec : {};
  const values = Array.isArray(spec.subsets) ? spec.subsets : [];
  const subsets: Subset[] = [];
  if (isSeq(list)) {
    list.items.forEach((item, index) => {
      const value = values[index];
      const nameNode = nodeAt(item, ['name']);
      const name = scalarText(nameNode);
      if (name === undefined || !isRecord(value)) return;
      const labels = new Map<string, string>();
      if (isRecord(value.labels))
        for (const [key, label] of Object.entries(value.labels)) if (label !== null && typeof label !== 'object') labels.set(key, String(label));
      subsets.push({ name, labels, nameNode, path: ['spec', 'subsets', index] });
    });
  }
  found = { host: scalarText(hostNode), hostNode, subsets };
  ruleCache.set(object, found);
  return found;
}

const ruleCache = new WeakMap<ManifestObject, { host: string | undefined; hostNode: YamlNode | undefined; subsets: Subset[] }>();

/** Whether a DestinationRule applies to the Service a target names (its host, relative to each object's namespace). */
export function ruleAppliesTo(rule: ManifestObject, host: string, hostNamespace: string): boolean {
  const read = destinationRuleOf(rule);
  return read?.host !== undefined && sameService(read.host, namespaceOf(rule), host, hostNamespace);
}

/** The subsets of that name the DestinationRules among `objects` define for a Service. */
export function subsetsNamed(
  objects: readonly ManifestObject[],
  service: string,
  namespace: string,
  subset: string,
): { rule: ManifestObject; subset: Subset }[] {
  return objects.flatMap((rule) =>
    ruleAppliesTo(rule, service, namespace) ? (destinationRuleOf(rule)?.subsets ?? []).filter((s) => s.name === subset).map((s) => ({ rule, subset: s })) : [],
  );
}

/** Whether a core Service object is the one a target names. */
function isServiceNamed(object: ManifestObject, name: string, namespace: string | undefined): boolean {
  return (
    object.kind === 'Service' &&
    object.apiVersion === 'v1' &&
    object.name === name &&
    (namespace === undefined || object.namespace === undefined || object.namespace === namespace)
  );
}

/**
 * What must run for a destination's version to run: its Service; for a subset, also a
 * DestinationRule that defines it and a workload whose pods both the Service's selector and the
 * subset's labels select (what Envoy's cluster for the subset has as endpoints).
 */
export function destinationNeeds(target: VersionRef, candidates: readonly ManifestObject[]): VersionNeed[] {
  const service: VersionNeed = { label: `Service ${target.name}`, satisfiedBy: (o) => isServiceNamed(o, target.name, target.namespace) };
  if (!target.subset) return [service];
  const subset = target.subset.name;
  const namespace = target.namespace ?? '';
  const selectors: Labels[] = [];
  const serviceSelectors = candidates.filter((o) => isServiceNamed(o, target.name, target.namespace)).flatMap((o) => serviceSelectorOf(o) ?? []);
  for (const { subset: found } of subsetsNamed(candidates, target.name, namespace, subset)) {
    for (const selector of serviceSelectors.length > 0 ? serviceSelectors : [new Map<string, string>()])
      selectors.push(new Map([...selector, ...found.labels]));
  }
  return [
    service,
    {
      label: `DestinationRule subset ${subset} of ${target.name}`,
      satisfiedBy: (o) =>
        isDestinationRule(o) && ruleAppliesTo(o, target.name, namespace) && (destinationRuleOf(o)?.subsets ?? []).some((s) => s.name === subset),
    },
    {
      label: `a workload of subset ${subset} of ${target.name}`,
      satisfiedBy: (o) => {
        if (selectors.length === 0) return false;
        const labels = podLabelsOf(o);
        return labels !== undefined && selectors.some((selector) => selector.size > 0 && selects(selector, labels));
      },
    },
  ];
}

/** Whether a running ServiceEntry declares the host a target was read from: an external host, not checked further. */
export function declaredByServiceEntry(target: VersionRef, running: readonly ManifestObject[]): boolean {
  const host = target.namespace ? `${target.name}.${target.namespace}.svc.cluster.local` : target.name;
  return running.some((o) => o.kind === 'ServiceEntry' && isIstio(o) && hostsOf(o).some((h) => hostCovers(h.host, host)));
}

/** The ranges a finding about a destination goes to: its subset when it has one, else its host. */
export function subsetOrHost(target: VersionRef): Range {
  return target.subset?.range ?? target.nameRange;
}
