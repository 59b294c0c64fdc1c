import { BuiltObject } from '../../build';
import { isSeq, nodeAt, scalarText, YamlNode } from '../../yaml';

/** The reserved gateway name of every sidecar of the mesh. */
export const MESH = 'mesh';

/** One gateway a VirtualService applies to: `mesh`, or a Gateway as `namespace/name` (a bare name is the VirtualService's namespace). */
export interface GatewayRef {
  /** `mesh` or `namespace/name`. */
  key: string;
  namespace: string | undefined;
  name: string;
  /** Where it is written; undefined for the mesh a VirtualService without `gateways` applies to. */
  node: YamlNode | undefined;
}

/** A VirtualService's `gateways`, resolved against its namespace; none written means the mesh. */
export function gatewaysOf(built: BuiltObject): GatewayRef[] {
  const list = nodeAt(built.source.doc.contents, ['spec', 'gateways']);
  const found: GatewayRef[] = [];
  for (const node of isSeq(list) ? list.items : []) {
    const written = scalarText(node);
    if (written === undefined || written === '') continue;
    if (written === MESH) {
      found.push({ key: MESH, namespace: undefined, name: MESH, node: node as YamlNode });
      continue;
    }
    const slash = written.indexOf('/');
    const namespace = slash >= 0 ? written.slice(0, slash) : built.namespace;
    const name = slash >= 0 ? written.slice(slash + 1) : written;
    found.push({ key: `${namespace}/${name}`, namespace, name, node: node as YamlNode });
  }
  return found.length > 0 ? found : [{ key: MESH, namespace: undefined, name: MESH, node: undefined }];
}
