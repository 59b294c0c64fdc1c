/**
 * What the Gateway API serves, from the CRDs of kubernetes-sigs/gateway-api v1.6.1
 * (config/crd/standard and config/crd/experimental): the standard channel serves v1 and, for four
 * kinds, v1beta1; the experimental channel also serves the alpha versions of the L4 routes.
 */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

export const GATEWAY_API_SERVED_KINDS: Readonly<Record<string, readonly string[]>> = {
  v1: ['BackendTLSPolicy', 'GRPCRoute', 'Gateway', 'GatewayClass', 'HTTPRoute', 'ListenerSet', 'ReferenceGrant', 'TCPRoute', 'TLSRoute', 'UDPRoute'],
  v1beta1: ['Gateway', 'GatewayClass', 'HTTPRoute', 'ReferenceGrant'],
  // Experimental channel only.
  v1alpha3: ['BackendTLSPolicy', 'TLSRoute'],
  v1alpha2: ['TCPRoute', 'TLSRoute', 'UDPRoute'],
};

/** Versions only the experimental channel serves: a cluster with the standard CRDs refuses them. */
export const EXPERIMENTAL_VERSIONS: readonly string[] = ['v1alpha2', 'v1alpha3'];

/** The route kinds, each a traffic split: their rules' backendRefs carry the weights. */
export const ROUTE_KINDS: readonly string[] = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'];

/**
 * The AWS Gateway API Controller's own API (aws-application-networking-k8s v2.1.3): what tunes a
 * route on Amazon VPC Lattice.
 */
export const LATTICE_GROUP = 'application-networking.k8s.aws';

export const LATTICE_SERVED_KINDS: Readonly<Record<string, readonly string[]>> = {
  v1alpha1: ['AccessLogPolicy', 'IAMAuthPolicy', 'ServiceExport', 'ServiceImport', 'ServiceNetwork', 'TargetGroupPolicy', 'VpcAssociationPolicy'],
};

/** The GatewayClass and controller that put a Gateway on VPC Lattice. */
export const LATTICE_GATEWAY_CLASS = 'amazon-vpc-lattice';
export const LATTICE_CONTROLLER = 'application-networking.k8s.aws/gateway-api-controller';
