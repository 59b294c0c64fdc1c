import type { Dialect, WeightRules } from '../../dialect';
import { ManifestObject } from '../../manifest';
import { TrafficRoute, TrafficSplit, VersionRef } from '../../traffic';
import { isMap, isScalar, isSeq, keyAt, nodeAt, PathSegment, rangeOfNode, scalarText, YamlNode } from '../../yaml';
import { GATEWAY_API_GROUP, ROUTE_KINDS } from './api';

/** The weight a backendRef without one has (the CRDs' default). */
export const DEFAULT_WEIGHT = 1;

/**
 * What backendRef weights allow, in the Gateway API and in the routes that copy its shape (Linkerd's
 * HTTPRoute v1beta2/v1beta3): relative (share = weight / sum), int32 0..1,000,000, at most 16
 * backendRefs a rule (apis/v1 shared_types.go and httproute_types.go at v1.6.1), no limit on the
 * total; a backendRef of weight 0 loses nothing when its Service is missing, and what a single one
 * of weight 0 does is left to implementations.
 */
export const ROUTE_WEIGHTS: WeightRules = {
  min: 0,
  max: 1_000_000,
  maxTargets: 16,
  percentages: false,
  maxTotal: undefined,
  idleTargetsMayBeMissing: true,
  soleZeroWeightUndefined: true,
  soleTargetTakesAll: false,
};

/** A core Service as a file defines it (`kind: Service` on a line of its own): what backendRefs name. */
export const SERVICE_KIND_LINE = /^kind:[ \t]*["']?Service["']?[ \t]*(#.*)?$/m;

/** What each route kind's rules carry, as our outlines and messages name it. */
const PROTOCOL_OF: Readonly<Record<string, string>> = { HTTPRoute: 'http', GRPCRoute: 'grpc', TCPRoute: 'tcp', TLSRoute: 'tls', UDPRoute: 'udp' };

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function isGatewayApi(object: { apiVersion: string }): boolean {
  return groupOf(object.apiVersion) === GATEWAY_API_GROUP;
}

/** Whether a reference's `group` names the core API: omitted, "" or, as Linkerd's docs write it, "core". */
export function isCoreGroup(group: string | undefined): boolean {
  return group === undefined || group === '' || group === 'core';
}

/** One backendRef or parentRef as written: the fields that say what it names. */
export interface ObjectRef {
  group: string | undefined;
  kind: string | undefined;
  name: string | undefined;
  namespace: string | undefined;
  port: number | undefined;
  /** The node of the whole reference (a map), for findings about it. */
  node: YamlNode;
  nameNode: YamlNode | undefined;
  path: PathSegment[];
}

export function readRef(node: YamlNode, path: PathSegment[]): ObjectRef | undefined {
  if (!isMap(node)) return undefined;
  const nameNode = nodeAt(node, ['name']);
  const portNode = nodeAt(node, ['port']);
  const port = isScalar(portNode) && typeof portNode.value === 'number' ? portNode.value : undefined;
  return {
    group: scalarText(nodeAt(node, ['group'])),
    kind: scalarText(nodeAt(node, ['kind'])),
    name: scalarText(nameNode),
    namespace: scalarText(nodeAt(node, ['namespace'])),
    port,
    node,
    nameNode,
    path,
  };
}

/** Whether a backendRef names a core Service (its group and kind default to just that). */
export function namesService(ref: { group: string | undefined; kind: string | undefined }): boolean {
  return isCoreGroup(ref.group) && (ref.kind === undefined || ref.kind === 'Service');
}

/** Whether a parentRef names a Service (mesh mode, GAMMA) rather than a Gateway (its default). */
export function parentIsService(ref: { group: string | undefined; kind: string | undefined }): boolean {
  return ref.kind === 'Service' && ref.group !== undefined && isCoreGroup(ref.group);
}

/** The parentRefs of a route, in order; read once per object version. */
export function parentRefsOf(object: ManifestObject): ObjectRef[] {
  let found = parentRefsCache.get(object);
  if (!found) {
    const list = nodeAt(object.doc.contents, ['spec', 'parentRefs']);
    found = isSeq(list) ? list.items.flatMap((item, index) => readRef(item, ['spec', 'parentRefs', index]) ?? []) : [];
    parentRefsCache.set(object, found);
  }
  return found;
}

const parentRefsCache = new WeakMap<ManifestObject, ObjectRef[]>();

/** The backendRefs of each rule of a route, in order; read once per object version, shared by the split, references and rules. */
export function backendRefsOf(object: ManifestObject): { rule: number; refs: ObjectRef[] }[] {
  let found = backendRefsCache.get(object);
  if (!found) {
    const rules = nodeAt(object.doc.contents, ['spec', 'rules']);
    found = isSeq(rules)
      ? rules.items.map((_, rule) => {
          const list = nodeAt(rules, [rule, 'backendRefs']);
          const refs = isSeq(list) ? list.items.flatMap((item, index) => readRef(item, ['spec', 'rules', rule, 'backendRefs', index]) ?? []) : [];
          return { rule, refs };
        })
      : [];
    backendRefsCache.set(object, found);
  }
  return found;
}

const backendRefsCache = new WeakMap<ManifestObject, { rule: number; refs: ObjectRef[] }[]>();

/**
 * A route of any kind (HTTPRoute, GRPCRoute, TCPRoute, TLSRoute, UDPRoute) as a split: each rule is
 * one route whose targets are the Services its backendRefs name. Backends of other kinds carry
 * traffic too but are no version of a rollout: they are left out of the shares.
 */
export function readRouteSplit(object: ManifestObject, dialect: Dialect, isRoute: (object: ManifestObject) => boolean): TrafficSplit | undefined {
  if (!isRoute(object)) return undefined;
  const lines = object.lines;
  const routes: TrafficRoute[] = [];
  const rules = nodeAt(object.doc.contents, ['spec', 'rules']);
  const refsByRule = new Map(backendRefsOf(object).map(({ rule, refs }) => [rule, refs]));
  if (isSeq(rules)) {
    rules.items.forEach((ruleNode, ruleIndex) => {
      if (!isMap(ruleNode)) return;
      const base: PathSegment[] = ['spec', 'rules', ruleIndex];
      const targetsPath = [...base, 'backendRefs'];
      const targets: VersionRef[] = [];
      for (const ref of refsByRule.get(ruleIndex) ?? []) {
        if (!namesService(ref) || ref.name === undefined) continue;
        const nameRange = rangeOfNode(lines, ref.nameNode);
        if (!nameRange) continue;
        const weightNode = nodeAt(ref.node, ['weight']);
        const written = isScalar(weightNode) ? weightNode.value : undefined;
        const weight = weightNode === undefined ? DEFAULT_WEIGHT : typeof written === 'number' ? written : undefined;
        targets.push({ name: ref.name, namespace: ref.namespace, weight, nameRange, weightRange: rangeOfNode(lines, weightNode) });
      }
      const nameNode = nodeAt(ruleNode, ['name']);
      const targetsRange = rangeOfNode(lines, keyAt(object.doc.contents, targetsPath)) ?? rangeOfNode(lines, ruleNode);
      if (!targetsRange) return;
      routes.push({
        name: scalarText(nameNode),
        nameRange: rangeOfNode(lines, nameNode),
        targetsRange,
        targets,
        path: base,
        entryPath: base,
        targetsPath,
        protocol: PROTOCOL_OF[object.kind] ?? 'http',
      });
    });
  }
  const service = parentRefsOf(object).find(parentIsService);
  return { object, dialect, versionKind: 'Service', routes, serviceName: service?.name };
}

export function isGatewayRoute(object: ManifestObject): boolean {
  return isGatewayApi(object) && ROUTE_KINDS.includes(object.kind);
}

/** What the share of traffic a route sends to a backend that does not resolve gets, by route kind (the API types' rules). */
export function failureOf(kind: string): string {
  switch (kind) {
    case 'GRPCRoute':
      return 'gets gRPC status UNAVAILABLE';
    case 'TCPRoute':
    case 'TLSRoute':
      return 'is rejected (connections refused in proportion to weight)';
    case 'UDPRoute':
      return 'is dropped';
    default:
      return 'gets HTTP 500';
  }
}
