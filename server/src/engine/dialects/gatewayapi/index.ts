import { Dialect, objectNamed } from '../../dialect';
import { EXPERIMENTAL_VERSIONS, GATEWAY_API_GROUP, GATEWAY_API_SERVED_KINDS, LATTICE_GROUP, LATTICE_SERVED_KINDS } from './api';
import { LATTICE_ROUTE_KINDS, latticeLostShare, routeIsOnLattice } from './lattice';
import { gatewayApiRules } from './rules';
import { describeObject, referencedKindAt, referencesOf } from './references';
import { failureOf, isGatewayRoute, readRouteSplit, ROUTE_WEIGHTS, SERVICE_KIND_LINE } from './traffic';

/**
 * The Kubernetes Gateway API (`gateway.networking.k8s.io`, v1.6 standard channel and the alpha
 * versions of its experimental channel), with the AWS Gateway API Controller's own group for
 * routes on Amazon VPC Lattice. A route's rules split traffic between the Services their
 * backendRefs name, by relative weights.
 */
export const gatewayApiDialect: Dialect = {
  id: 'gatewayapi',
  label: 'Gateway API',
  apis: [
    { group: GATEWAY_API_GROUP, servedKinds: GATEWAY_API_SERVED_KINDS, preferredVersion: 'v1' },
    { group: LATTICE_GROUP, label: 'AWS Gateway API Controller', servedKinds: LATTICE_SERVED_KINDS, preferredVersion: 'v1alpha1' },
  ],
  textMarkers: [GATEWAY_API_GROUP, LATTICE_GROUP],
  versionMarkers: [SERVICE_KIND_LINE],
  roleOf(object) {
    return isGatewayRoute(object) ? 'split' : undefined;
  },
  namedKinds: ['Service', 'Gateway', 'GatewayClass'],
  weights: ROUTE_WEIGHTS,
  // The AWS controller deviates from the spec: on Lattice a missing backend's share goes to the others.
  lostTraffic: (split, route, { workspace, missing, read }) =>
    LATTICE_ROUTE_KINDS.includes(split.object.kind) && routeIsOnLattice(split.object, workspace, read)
      ? latticeLostShare(route, missing)
      : failureOf(split.object.kind),
  // The Lattice controller skips a backendRef that does not resolve when the rule has another (rule_manager.go).
  dropsMissingTargets: (split, workspace, read) =>
    LATTICE_ROUTE_KINDS.includes(split.object.kind) && routeIsOnLattice(split.object, workspace, read) ? 'VPC Lattice' : undefined,
  versionNeeds: objectNamed,
  namesExternal: () => false,
  split(object) {
    return readRouteSplit(object, gatewayApiDialect, isGatewayRoute);
  },
  // A route names its service itself, as a parentRef: no object binds one to it.
  service: () => undefined,
  references(object) {
    return referencesOf(object, isGatewayRoute);
  },
  referencedKindAt,
  describe: describeObject,
  schemaFolder(apiVersion) {
    const [group, version] = apiVersion.split('/');
    if (group === GATEWAY_API_GROUP && version && GATEWAY_API_SERVED_KINDS[version] && !EXPERIMENTAL_VERSIONS.includes(version)) return `gatewayapi/${version}`;
    if (group === LATTICE_GROUP && version === 'v1alpha1') return 'gatewayapi/lattice/v1alpha1';
    return undefined;
  },
  renamedKey: () => undefined,
  rules: gatewayApiRules,
};
