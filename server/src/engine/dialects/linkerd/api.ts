/**
 * What Linkerd serves, from the CRDs of linkerd/linkerd2 at edge-26.8.3
 * (charts/linkerd-crds/templates/policy/*.yaml and serviceprofile.yaml), and the SMI TrafficSplit
 * the linkerd-smi extension serves (linkerd/linkerd-smi v0.2.7, charts/linkerd-smi/templates/trafficsplit-crd.yaml).
 */
export const POLICY_GROUP = 'policy.linkerd.io';

export const POLICY_SERVED_KINDS: Readonly<Record<string, readonly string[]>> = {
  v1alpha1: [
    'AuthorizationPolicy',
    'EgressNetwork',
    'HTTPLocalRateLimitPolicy',
    'HTTPRoute',
    'MeshTLSAuthentication',
    'NetworkAuthentication',
    'Server',
    'ServerAuthorization',
  ],
  v1beta1: ['HTTPRoute', 'Server', 'ServerAuthorization'],
  v1beta2: ['HTTPRoute', 'Server'],
  v1beta3: ['HTTPRoute', 'Server'],
};

/** The versions of Linkerd's HTTPRoute: v1beta3 is stored, the older ones still served. */
export const LINKERD_ROUTE_VERSIONS: readonly string[] = ['v1alpha1', 'v1beta1', 'v1beta2', 'v1beta3'];

export const PROFILE_GROUP = 'linkerd.io';

export const PROFILE_SERVED_KINDS: Readonly<Record<string, readonly string[]>> = {
  v1alpha1: ['ServiceProfile'],
  v1alpha2: ['ServiceProfile'],
};

export const PROFILE_KIND = 'ServiceProfile';

export const SMI_SPLIT_GROUP = 'split.smi-spec.io';

/** linkerd-smi serves v1alpha1 (stored; weights are quantities such as `500m`) and v1alpha2 (numbers). */
export const SMI_SPLIT_SERVED_KINDS: Readonly<Record<string, readonly string[]>> = {
  v1alpha1: ['TrafficSplit'],
  v1alpha2: ['TrafficSplit'],
};

export const SMI_SPLIT_KIND = 'TrafficSplit';
