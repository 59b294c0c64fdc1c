import { isAppMesh, isRecord, ManifestObject } from '../manifest';
import { Dialect, ServiceBinding, TrafficRoute, TrafficSplit, VersionRef } from '../traffic';
import { isMap, isScalar, isSeq, keyAt, nodeAt, PathSegment, rangeOfNode, scalarText } from '../yaml';
import { LineIndex } from '../text';

const ROUTE_KEYS_V1BETA2 = ['httpRoute', 'http2Route', 'grpcRoute', 'tcpRoute'];
const ROUTE_KEYS_V1BETA1 = ['http', 'http2', 'grpc', 'tcp'];

/**
 * AWS App Mesh: `appmesh.k8s.aws/v1beta2` VirtualRouters and VirtualServices, and the legacy
 * `v1beta1` VirtualService that carries its routes itself and names nodes with `virtualNodeName`.
 */
export const appMeshDialect: Dialect = {
  versionKind: 'VirtualNode',
  split(object) {
    if (!isAppMesh(object)) return undefined;
    const legacy = object.apiVersion.endsWith('/v1beta1');
    if (legacy ? object.kind !== 'VirtualService' : object.kind !== 'VirtualRouter') return undefined;
    return readSplit(object, object.lines, legacy);
  },
  service(object) {
    if (!isAppMesh(object) || object.kind !== 'VirtualService' || object.apiVersion.endsWith('/v1beta1')) return undefined;
    return readService(object, object.lines);
  },
};

function readSplit(object: ManifestObject, lineIndex: LineIndex, legacy: boolean): TrafficSplit {
  const routes: TrafficRoute[] = [];
  const routesNode = nodeAt(object.doc.contents, ['spec', 'routes']);
  if (!isSeq(routesNode)) return { object, versionKind: 'VirtualNode', routes };
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
      });
    }
  });
  return { object, versionKind: 'VirtualNode', routes };
}

function readService(object: ManifestObject, lineIndex: LineIndex): ServiceBinding {
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
    return { object, provider: { kind, name, namespace, range } };
  }
  return { object, provider: undefined };
}
