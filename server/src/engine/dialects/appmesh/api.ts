/**
 * What the App Mesh API serves, from the controller's CRDs (scripts/schemas/appmesh-crd-constraints.json,
 * which test/unit/crd-constraints.test.ts holds these tables to): v1beta2 by the controller v1.x,
 * v1beta1 and v1alpha1 by the legacy controller v0.x.
 */
export const APP_MESH_GROUP = 'appmesh.k8s.aws';

export const APP_MESH_SERVED_KINDS: Readonly<Record<string, readonly string[]>> = {
  v1beta2: ['BackendGroup', 'GatewayRoute', 'Mesh', 'VirtualGateway', 'VirtualNode', 'VirtualRouter', 'VirtualService'],
  v1beta1: ['Mesh', 'VirtualNode', 'VirtualService'],
  v1alpha1: ['Mesh', 'VirtualNode', 'VirtualService'],
};

/**
 * v1beta1 fields that v1beta2 renamed, with their new name and what changed: suggested instead of
 * the closest spelling (`virtualServiceName` is not a typo of `virtualServiceARN`).
 */
export const V1BETA2_RENAMES: Readonly<Record<string, { renamed: string; note: string; rename: boolean }>> = {
  virtualServiceName: { renamed: 'virtualServiceRef', note: 'a reference: `virtualServiceRef: {name: …, namespace: …}`', rename: true },
  virtualNodeName: { renamed: 'virtualNodeRef', note: 'a reference: `virtualNodeRef: {name: …, namespace: …}`', rename: true },
  // meshRef is set by the controller from the Mesh's namespaceSelector; writing it is refused.
  meshName: {
    renamed: 'meshRef',
    note: 'set by the controller: a v1beta2 object joins the Mesh whose `namespaceSelector` matches its namespace',
    rename: false,
  },
  cloudMap: { renamed: 'awsCloudMap', note: 'the same settings under the new name', rename: true },
};
