import { Dialect, objectNamed, WeightRules } from '../../dialect';
import { failureOf, readRouteSplit, ROUTE_WEIGHTS, SERVICE_KIND_LINE } from '../gatewayapi/traffic';
import { LINKERD_ROUTE_VERSIONS, POLICY_GROUP, POLICY_SERVED_KINDS, PROFILE_GROUP, PROFILE_SERVED_KINDS, SMI_SPLIT_GROUP, SMI_SPLIT_SERVED_KINDS } from './api';
import { linkerdReferencedKindAt, linkerdReferencesOf } from './references';
import { linkerdRules } from './rules';
import { isLinkerdRoute, isTrafficSplit, readTrafficSplit } from './traffic';

/**
 * SMI TrafficSplit weights are relative (the spec's 1000/500 example) with no bound in the CRD.
 * Linkerd's destination controller sends each as a uint32 of ten-thousandths of the weight
 * (profile_translator.go: MilliValue × 10), so above 429,496 it wraps around; below 0 likewise.
 * A backend of weight 0 gets no request (inference: the proxy never picks it), so it may be missing.
 */
const SPLIT_WEIGHTS: WeightRules = {
  min: 0,
  max: 429_496,
  maxTargets: Number.POSITIVE_INFINITY,
  percentages: false,
  maxTotal: undefined,
  idleTargetsMayBeMissing: true,
  soleZeroWeightUndefined: false,
  soleTargetTakesAll: false,
};

/**
 * Linkerd: its own HTTPRoute (`policy.linkerd.io`), read like the Gateway API's (Service parents
 * with `group: core`); the SMI TrafficSplit its linkerd-smi extension still serves (deprecated);
 * and the ServiceProfile (`linkerd.io`), which is no split but silently takes precedence over routes.
 */
export const linkerdDialect: Dialect = {
  id: 'linkerd',
  label: 'Linkerd',
  apis: [
    { group: POLICY_GROUP, servedKinds: POLICY_SERVED_KINDS, preferredVersion: 'v1beta3' },
    { group: PROFILE_GROUP, servedKinds: PROFILE_SERVED_KINDS, preferredVersion: 'v1alpha2' },
    { group: SMI_SPLIT_GROUP, label: 'SMI TrafficSplit (linkerd-smi)', servedKinds: SMI_SPLIT_SERVED_KINDS, preferredVersion: 'v1alpha2' },
  ],
  // The groups with a version after them: `linkerd.io/inject` and other annotations of plain
  // workloads must not make their files ours.
  textMarkers: [`${POLICY_GROUP}/v1`, `${PROFILE_GROUP}/v1`, `${SMI_SPLIT_GROUP}/v1`],
  versionMarkers: [SERVICE_KIND_LINE],
  roleOf(object) {
    return isLinkerdRoute(object) || isTrafficSplit(object) ? 'split' : undefined;
  },
  namedKinds: ['Service'],
  // Linkerd's HTTPRoute weights are the Gateway API's (the CRD's v1beta2 and v1beta3 backendRefs).
  weights: ROUTE_WEIGHTS,
  lostTraffic: (split) => failureOf(split.object.kind),
  dropsMissingTargets: () => undefined,
  versionNeeds: objectNamed,
  namesExternal: () => false,
  split(object) {
    if (isLinkerdRoute(object)) return readRouteSplit(object, linkerdDialect, isLinkerdRoute);
    return readTrafficSplit(object, trafficSplitDialect);
  },
  service: () => undefined,
  references: linkerdReferencesOf,
  referencedKindAt: linkerdReferencedKindAt,
  // The Gateway API dialect already describes the Services these name.
  describe: () => [],
  schemaFolder(apiVersion) {
    const [group, version, ...rest] = apiVersion.split('/');
    if (!version || rest.length > 0) return undefined;
    if (group === POLICY_GROUP && LINKERD_ROUTE_VERSIONS.includes(version)) return `linkerd/policy/${version}`;
    if (group === PROFILE_GROUP && version === 'v1alpha2') return 'linkerd/linkerd/v1alpha2';
    if (group === SMI_SPLIT_GROUP && version in SMI_SPLIT_SERVED_KINDS) return `linkerd/smi/${version}`;
    return undefined;
  },
  renamedKey: () => undefined,
  rules: linkerdRules,
};

/**
 * What a TrafficSplit's weights mean: the same dialect with SMI's weight rules, carried by the
 * splits it reads (the engine asks a split's dialect, not the registry, what its weights allow).
 * Linkerd does not say what the share of a backend that does not resolve gets.
 */
const trafficSplitDialect: Dialect = {
  ...linkerdDialect,
  label: 'SMI TrafficSplit',
  weights: SPLIT_WEIGHTS,
  lostTraffic: () => undefined,
  dropsMissingTargets: () => undefined,
};
