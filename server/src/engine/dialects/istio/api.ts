/**
 * What Istio's networking API serves, from the CRDs of istio/api (kubernetes/customresourcedefinitions.gen.yaml
 * at b8f8791, 2026-07-21): v1 is stored, v1beta1 and v1alpha3 are still served for the same kinds.
 */
export const ISTIO_GROUP = 'networking.istio.io';

const KINDS = ['DestinationRule', 'Gateway', 'ServiceEntry', 'Sidecar', 'VirtualService', 'WorkloadEntry', 'WorkloadGroup'];

export const ISTIO_SERVED_KINDS: Readonly<Record<string, readonly string[]>> = {
  v1: KINDS,
  v1beta1: [...KINDS, 'ProxyConfig'],
  v1alpha3: [...KINDS, 'EnvoyFilter'],
};

/** The route lists of a VirtualService, each of whose routes splits traffic by `route[].weight`. */
export const ROUTE_LISTS = ['http', 'tcp', 'tls'] as const;
export type RouteList = (typeof ROUTE_LISTS)[number];
