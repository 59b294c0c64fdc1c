import type { Dialect } from '../../dialect';
import { isRecord, ManifestObject } from '../../manifest';
import { ServiceBinding, TrafficRoute, TrafficSplit, VersionRef } from '../../traffic';
import { isMap, isScalar, isSeq, keyAt, nodeAt, PathSegment, rangeOfNode, scalarText } from '../../yaml';
import { APP_MESH_GROUP } from './api';

const ROUTE_KEYS_V1BETA2 = ['httpRoute', 'http2Route', 'grpcRoute', 'tcpRoute'];
const ROUTE_KEYS_V1BETA1 = ['http', 'http2', 'grpc', 'tcp'];

export function isAppMesh(object: { apiVersion: string }): boolean {
  return object.apiVersion.startsWith(`${APP_MESH_GROUP}/`);
}

export function isLegacy(object: { apiVersion: string }): boolean {
  return object.apiVersion.endsWith('/v1beta1');
}

/** A v1beta2 VirtualRouter, or a legacy v1beta1 VirtualService that carries its routes itself and names nodes with `virtualNodeName`. */
export function readSplit(object: ManifestObject, dialect: Dialect): TrafficSplit | undefined {
  if (!isAppMesh(object)) return undefined;
  const legacy = isLegacy(object);
  if (legacy ? object.kind !== 'VirtualService' : object.kind !== 'VirtualRouter') return undefined;
  const lineIndex = object.lines;
  const routes: TrafficRoute[] = [];
  const routesNode = nodeAt(object.doc.contents, ['spec', 'routes']);
  if (!isSeq(routesNode)) return { object, dialect, versionKind: 'VirtualNode', routes };
  routesNode.items.forEach((routeNode, routeIndex) => {
    if (!isMap(routeNode)) return;
    const base: PathSegment[] = ['spec', 'routes', routeIndex];
    for (const protocolKey of legacy ? ROUTE_KEYS_V1BETA1 : ROUTE_KEYS_V1BETA2) {
      const targetsPath = [...base, protocolKey, 'action', 'weightedTargets'];
      const targetsNode = nodeAt(object.doc.contents, targetsPath);
      if (!isSeq(targetsNode)) continue;
      const keyNode = keyAt(object.doc.contents, targetsPath);
      const nameNode = nodeAt(routeNode, ['name']);
      const targets: VersionRef[] = [];
      targetsNode.items.forEach((targetNode) => {
        const nameValueNode = legacy ? nodeAt(targetNode, ['virtualNodeName']) : nodeAt(targetNode, ['virtualNodeRef', 'name']);
        const name = scalarText(nameValueNode);
        const nameRange = rangeOfNode(lineIndex, nameValueNode);
        if (name === undefined || !nameRange) return;
        const weightNode = nodeAt(targetNode, ['weight']);
        const weightValue = isScalar(weightNode) ? weightNode.value : undefined;
        const namespace = legacy ? undefined : scalarText(nodeAt(targetNode, ['virtualNodeRef', 'namespace']));
        targets.push({
          name,
          namespace,
          weight: typeof weightValue === 'number' ? weightValue : undefined,
          nameRange,
          weightRange: rangeOfNode(lineIndex, weightNode),
        });
      });
      routes.push({
        name: scalarText(nameNode),
        nameRange: rangeOfNode(lineIndex, nameNode),
        targetsRange: rangeOfNode(lineIndex, keyNode) ?? rangeOfNode(lineIndex, targetsNode)!,
        targets,
        path: [...base, protocolKey],
        entryPath: base,
        targetsPath,
        protocol: protocolKey,
      });
    }
  });
  return { object, dialect, versionKind: 'VirtualNode', routes };
}

/** A v1beta2 VirtualService and the router or node that provides it. */
export function readService(object: ManifestObject, dialect: Dialect): ServiceBinding | undefined {
  if (!isAppMesh(object) || object.kind !== 'VirtualService' || isLegacy(object)) return undefined;
  const lineIndex = object.lines;
  const spec = isRecord(object.value.spec) ? object.value.spec : {};
  const provider = isRecord(spec.provider) ? spec.provider : {};
  for (const [key, kind] of [
    ['virtualRouter', 'VirtualRouter'],
    ['virtualNode', 'VirtualNode'],
  ] as const) {
    const refKey = key === 'virtualRouter' ? 'virtualRouterRef' : 'virtualNodeRef';
    if (!isRecord(provider[key])) continue;
    const nameNode = nodeAt(object.doc.contents, ['spec', 'provider', key, refKey, 'name']);
    const name = scalarText(nameNode);
    const range = rangeOfNode(lineIndex, nameNode);
    if (name === undefined || !range) continue;
    const namespace = scalarText(nodeAt(object.doc.contents, ['spec', 'provider', key, refKey, 'namespace']));
    return { object, dialect, provider: { kind, name, namespace, range, role: kind === 'VirtualRouter' ? 'split' : 'version' } };
  }
  return { object, dialect, provider: undefined };
}
