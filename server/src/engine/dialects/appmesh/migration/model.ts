import * as path from 'node:path';
import { isRemoteEntry, Kustomization } from '../../../kustomization';
import { isRecord, ManifestObject } from '../../../manifest';
import { Range } from '../../../text';
import { Workspace } from '../../../workspace';
import { locate, PathSegment } from '../../../yaml';
import { isAppMesh, isLegacy } from '../traffic';

/**
 * An App Mesh rollout directory as the migration reads it: its kustomization, each YAML file as a
 * list of documents (their text kept byte for byte), and the App Mesh objects in them.
 */
export interface MeshTree {
  dir: string;
  kustomization: Kustomization;
  files: TreeFile[];
  nodes: Map<string, MeshNode>;
  routers: MeshRouter[];
  /** App Mesh VirtualServices by the router or node that provides them. */
  servicesByProvider: Map<string, MeshVirtualService>;
  /** Core Services by name. */
  coreServices: Map<string, ManifestObject>;
  /** The mesh's name, when an object says it (a Mesh, or a meshRef). */
  meshName: string | undefined;
}

export interface TreeFile {
  path: string;
  docs: TreeDoc[];
  /** Whether the file defines App Mesh routers (a router file the kustomization switches between). */
  isRouterFile: boolean;
}

export interface TreeDoc {
  /** The document's text, without a leading `---` line. */
  text: string;
  object: ManifestObject | undefined;
}

export type MeshProtocol = 'http' | 'http2' | 'grpc' | 'tcp';

export interface MeshRoute {
  name: string | undefined;
  protocol: MeshProtocol;
  /** The route's body (`httpRoute`, …) as written. */
  body: Record<string, unknown>;
  /** Where the body is written, for the report. */
  path: PathSegment[];
  targets: { node: string; weight: number; port: number | undefined }[];
  priority: number | undefined;
}

export interface MeshRouter {
  object: ManifestObject;
  ports: { port: number; protocol: string }[];
  routes: MeshRoute[];
}

export interface MeshNode {
  object: ManifestObject;
  /** The pod labels its podSelector matches. */
  labels: Record<string, string>;
  listeners: { port: number; protocol: string; healthCheck: Record<string, unknown> | undefined; listener: Record<string, unknown>; index: number }[];
  /** The first label of its DNS service discovery hostname: the Service that gives the version its address. */
  serviceName: string | undefined;
}

export interface MeshVirtualService {
  object: ManifestObject;
  /** The Service clients call (the VirtualService's name up to its first dot). */
  apex: string;
}

const ROUTE_KEYS: Record<string, MeshProtocol> = { httpRoute: 'http', http2Route: 'http2', grpcRoute: 'grpc', tcpRoute: 'tcp' };

export function readMeshTree(workspace: Workspace, kustomization: Kustomization): MeshTree {
  const dir = path.dirname(kustomization.path);
  const paths = new Set<string>();
  for (const entry of kustomization.entries) if (entry.field === 'resources' && !isRemoteEntry(entry.value)) paths.add(path.resolve(dir, entry.value));
  for (const entry of workspace.listDirectory(dir)) if (entry.kind === 'file' && /\.ya?ml$/i.test(entry.name)) paths.add(path.join(dir, entry.name));
  const tree: MeshTree = {
    dir,
    kustomization,
    files: [],
    nodes: new Map(),
    routers: [],
    servicesByProvider: new Map(),
    coreServices: new Map(),
    meshName: undefined,
  };
  for (const filePath of [...paths].sort()) {
    const file = workspace.file(filePath);
    if (!file || file.isKustomization || path.dirname(filePath) !== dir) continue;
    const docs = splitDocuments(
      file.text,
      file.parsed.documents.map((d) => d.start),
    ).map((text, index) => ({
      text,
      object: file.objects.find((o) => o.docIndex === index),
    }));
    let isRouterFile = false;
    for (const { object } of docs) {
      if (!object) continue;
      if (object.kind === 'Service' && object.apiVersion === 'v1') tree.coreServices.set(object.name, object);
      if (!isAppMesh(object) || isLegacy(object)) continue;
      const spec = isRecord(object.value.spec) ? object.value.spec : {};
      const meshRef = isRecord(spec.meshRef) && typeof spec.meshRef.name === 'string' ? spec.meshRef.name : undefined;
      if (object.kind === 'Mesh') tree.meshName ??= object.name;
      else if (meshRef) tree.meshName ??= meshRef;
      if (object.kind === 'VirtualNode') tree.nodes.set(object.name, readNode(object, spec));
      if (object.kind === 'VirtualRouter') {
        tree.routers.push(readRouter(object, spec));
        isRouterFile = true;
      }
      if (object.kind === 'VirtualService') {
        const provider = isRecord(spec.provider) ? spec.provider : {};
        const ref = isRecord(provider.virtualRouter)
          ? provider.virtualRouter.virtualRouterRef
          : isRecord(provider.virtualNode)
            ? provider.virtualNode.virtualNodeRef
            : undefined;
        const name = isRecord(ref) && typeof ref.name === 'string' ? ref.name : undefined;
        const awsName = typeof spec.awsName === 'string' ? spec.awsName : object.name;
        if (name) tree.servicesByProvider.set(name, { object, apex: awsName.split('.')[0] });
      }
    }
    tree.files.push({ path: filePath, docs, isRouterFile });
  }
  return tree;
}

/** A file's documents as text, each without its leading `---` line; comments before the first stay with it. */
function splitDocuments(text: string, starts: number[]): string[] {
  if (starts.length === 0) return text.trim() === '' ? [] : [text];
  const bounds = [0, ...starts.slice(1), text.length];
  return bounds.slice(0, -1).map((start, i) =>
    text
      .slice(start, bounds[i + 1])
      .replace(/^---[^\n]*\n/, '')
      .replace(/^((?:#[^\n]*\n|\s*\n)*)---[^\n]*\n/, '$1'),
  );
}

function readNode(object: ManifestObject, spec: Record<string, unknown>): MeshNode {
  const selector = isRecord(spec.podSelector) && isRecord(spec.podSelector.matchLabels) ? spec.podSelector.matchLabels : {};
  const labels = Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, String(v)]));
  const listeners = (Array.isArray(spec.listeners) ? spec.listeners : []).flatMap((listener, index) => {
    if (!isRecord(listener) || !isRecord(listener.portMapping) || typeof listener.portMapping.port !== 'number') return [];
    const protocol = typeof listener.portMapping.protocol === 'string' ? listener.portMapping.protocol : 'http';
    return [{ port: listener.portMapping.port, protocol, healthCheck: isRecord(listener.healthCheck) ? listener.healthCheck : undefined, listener, index }];
  });
  const dns = isRecord(spec.serviceDiscovery) && isRecord(spec.serviceDiscovery.dns) ? spec.serviceDiscovery.dns : undefined;
  const hostname = dns && typeof dns.hostname === 'string' ? dns.hostname : undefined;
  return { object, labels, listeners, serviceName: hostname?.split('.')[0] };
}

function readRouter(object: ManifestObject, spec: Record<string, unknown>): MeshRouter {
  const ports = (Array.isArray(spec.listeners) ? spec.listeners : []).flatMap((l) =>
    isRecord(l) && isRecord(l.portMapping) && typeof l.portMapping.port === 'number'
      ? [{ port: l.portMapping.port, protocol: typeof l.portMapping.protocol === 'string' ? l.portMapping.protocol : 'http' }]
      : [],
  );
  const routes: MeshRoute[] = [];
  (Array.isArray(spec.routes) ? spec.routes : []).forEach((route, index) => {
    if (!isRecord(route)) return;
    for (const [key, protocol] of Object.entries(ROUTE_KEYS)) {
      const body = route[key];
      if (!isRecord(body)) continue;
      const action = isRecord(body.action) ? body.action : {};
      const targets = (Array.isArray(action.weightedTargets) ? action.weightedTargets : []).flatMap((t) =>
        isRecord(t) && isRecord(t.virtualNodeRef) && typeof t.virtualNodeRef.name === 'string'
          ? [{ node: t.virtualNodeRef.name, weight: typeof t.weight === 'number' ? t.weight : 0, port: typeof t.port === 'number' ? t.port : undefined }]
          : [],
      );
      routes.push({
        name: typeof route.name === 'string' ? route.name : undefined,
        protocol,
        body,
        path: ['spec', 'routes', index, key],
        targets,
        priority: typeof route.priority === 'number' ? route.priority : undefined,
      });
    }
  });
  return { object, ports, routes };
}

/** Where a field of an App Mesh object is written, for the report. */
export function rangeIn(object: ManifestObject, fieldPath: PathSegment[]): Range {
  return locate(object.doc, object.lines, fieldPath, 'key');
}
