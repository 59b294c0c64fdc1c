import * as path from 'node:path';
import { BuildAnalysis } from '../../../../analysis';
import { BuiltObject } from '../../../../build';
import { kustomizationAt } from '../../../../fixes';
import { Kustomization, KustomizationEntry } from '../../../../kustomization';
import { isRecord, ManifestObject } from '../../../../manifest';
import { Workspace } from '../../../../workspace';
import { isMap, isSeq, nodeAt, PathSegment, YamlNode } from '../../../../yaml';
import { GATEWAY_API_GROUP } from '../../api';
import { backendRefsOf, groupOf, isGatewayRoute, ObjectRef, readRef } from '../../traffic';

/** Running objects by kind and final name, once per analysis: lookups stay O(1) in large builds. */
const indexes = new WeakMap<BuildAnalysis, Map<string, BuiltObject[]>>();

/**
 * The running objects of that kind, name and namespace that `accepts` takes (an API group check);
 * '' on either side matches any namespace, as `isRunning` does. Those of that very namespace first.
 */
export function runningObjects(analysis: BuildAnalysis, kind: string, name: string, namespace: string, accepts: (o: ManifestObject) => boolean): BuiltObject[] {
  let index = indexes.get(analysis);
  if (!index) {
    index = new Map();
    for (const object of analysis.objects) {
      const key = `${object.kind}\0${object.name}`;
      const list = index.get(key);
      if (list) list.push(object);
      else index.set(key, [object]);
    }
    indexes.set(analysis, index);
  }
  const named = (index.get(`${kind}\0${name}`) ?? []).filter((o) => accepts(o.source) && (o.namespace === namespace || o.namespace === '' || namespace === ''));
  return named.sort((a, b) => Number(b.namespace === namespace) - Number(a.namespace === namespace));
}

export function isCoreService(object: ManifestObject): boolean {
  return object.kind === 'Service' && object.apiVersion === 'v1';
}

export function isGateway(object: ManifestObject): boolean {
  return object.kind === 'Gateway' && groupOf(object.apiVersion) === GATEWAY_API_GROUP;
}

/** The running routes of every kind, in build order. */
export function runningRoutes(analysis: BuildAnalysis): BuiltObject[] {
  return analysis.objects.filter((built) => isGatewayRoute(built.source));
}

/** One port of a Service or listener of a Gateway: what a parentRef's sectionName and port select. */
export interface Section {
  name: string | undefined;
  port: number | undefined;
  /** A Service port's targetPort as written (a number or a container port's name). */
  targetPort: number | string | undefined;
}

/** A Service's `spec.ports` or a Gateway's `spec.listeners`; undefined when the list is not one. */
export function sectionsOf(object: ManifestObject): Section[] | undefined {
  const spec = isRecord(object.value.spec) ? object.value.spec : undefined;
  const list = spec?.[isGateway(object) ? 'listeners' : 'ports'];
  if (!Array.isArray(list)) return undefined;
  return list.filter(isRecord).map((item) => ({
    name: typeof item.name === 'string' ? item.name : undefined,
    port: typeof item.port === 'number' ? item.port : undefined,
    targetPort: typeof item.targetPort === 'number' || typeof item.targetPort === 'string' ? item.targetPort : undefined,
  }));
}

/** A backendRef as the rules about references read it: where it is, and whether it carries traffic by weight. */
export interface BackendRef extends ObjectRef {
  /** The index of its rule in `spec.rules`. */
  rule: number;
  /** A request mirror's backendRef (a filter's): it gets copies of requests, not a share. */
  mirror: boolean;
}

/**
 * Every backendRef of a route: its rules' `backendRefs`, and the backendRefs of the request mirror
 * filters of its rules and of their backendRefs (the CRDs check the same rules on all of them).
 */
export function allBackendRefs(object: ManifestObject): BackendRef[] {
  const cached = allBackendRefsCache.get(object);
  if (cached) return cached;
  const found: BackendRef[] = [];
  allBackendRefsCache.set(object, found);
  const mirrors = (filters: YamlNode | undefined, path: PathSegment[], rule: number): void => {
    if (!isSeq(filters)) return;
    filters.items.forEach((filter, index) => {
      const refPath = [...path, index, 'requestMirror', 'backendRef'];
      const node = nodeAt(filter, ['requestMirror', 'backendRef']);
      const ref = node && readRef(node, refPath);
      if (ref) found.push({ ...ref, rule, mirror: true });
    });
  };
  for (const { rule, refs } of backendRefsOf(object)) {
    for (const ref of refs) {
      found.push({ ...ref, rule, mirror: false });
      mirrors(nodeAt(ref.node, ['filters']), [...ref.path, 'filters'], rule);
    }
    const ruleNode = nodeAt(object.doc.contents, ['spec', 'rules', rule]);
    if (isMap(ruleNode)) mirrors(nodeAt(ruleNode, ['filters']), ['spec', 'rules', rule, 'filters'], rule);
  }
  return found;
}

const allBackendRefsCache = new WeakMap<ManifestObject, BackendRef[]>();

/** "HTTPRoute team/metal-route": a route as messages name it, with its final namespace when it has one. */
export function routeTitle(built: BuiltObject): string {
  return `${built.kind} ${built.namespace ? `${built.namespace}/` : ''}${built.name}`;
}

/**
 * The first commented-out entry, in the kustomizations given (nearest first), whose file defines
 * an object `defines` takes, with the kustomization: the entry a fix enables.
 */
export function disabledEntryDefining(
  workspace: Workspace,
  kustomizationPaths: readonly string[],
  defines: (object: ManifestObject) => boolean,
): { kustomization: Kustomization; entry: KustomizationEntry } | undefined {
  for (const kustomizationPath of kustomizationPaths) {
    const kustomization = kustomizationAt(workspace, kustomizationPath);
    if (!kustomization) continue;
    const dir = path.dirname(kustomization.path);
    const entry = kustomization.entries.find((e) => !e.enabled && workspace.file(path.resolve(dir, e.value))?.objects.some(defines));
    if (entry) return { kustomization, entry };
  }
  return undefined;
}

/** The kustomizations on the way to an object's file, nearest first. */
export function chainPaths(built: BuiltObject): string[] {
  return [...new Set(built.chain.map((ref) => ref.kustomization.path))].reverse();
}
