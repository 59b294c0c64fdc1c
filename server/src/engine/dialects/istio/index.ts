import { Dialect } from '../../dialect';
import { ISTIO_GROUP, ISTIO_SERVED_KINDS } from './api';
import { describeObject, istioScopedNames, referencedKindAt, referencesOf } from './references';
import { istioRules } from './rules';
import { declaredByServiceEntry, destinationNeeds, DESTINATION_WEIGHTS, isVirtualService, readVirtualServiceSplit } from './traffic';
import { SERVICE_KIND_LINE } from '../gatewayapi/traffic';

/**
 * Istio's own traffic API (`networking.istio.io` v1, v1beta1, v1alpha3): a VirtualService's http,
 * tcp and tls rules split a host's traffic between destinations by relative weights; a destination
 * is a Service, or a subset of one that a DestinationRule defines by pod labels.
 */
export const istioDialect: Dialect = {
  id: 'istio',
  label: 'Istio',
  apis: [{ group: ISTIO_GROUP, servedKinds: ISTIO_SERVED_KINDS, preferredVersion: 'v1' }],
  textMarkers: [`${ISTIO_GROUP}/v1`],
  versionMarkers: [SERVICE_KIND_LINE],
  roleOf(object) {
    return isVirtualService(object) ? 'split' : undefined;
  },
  namedKinds: ['Service', 'Gateway', 'DestinationRule'],
  weights: DESTINATION_WEIGHTS,
  // Envoy answers a request whose cluster has no endpoint, or does not exist, with 503 (UH, NR).
  lostTraffic: () => 'gets HTTP 503',
  dropsMissingTargets: () => undefined,
  versionNeeds: (_split, target, candidates) => destinationNeeds(target, candidates),
  namesExternal: (_split, target, running) => declaredByServiceEntry(target, running),
  split(object) {
    return readVirtualServiceSplit(object, istioDialect);
  },
  // A VirtualService names its hosts itself: no object binds one to it.
  service: () => undefined,
  references: referencesOf,
  scopedNames: istioScopedNames,
  referencedKindAt,
  describe: describeObject,
  schemaFolder(apiVersion) {
    const [group, version, ...rest] = apiVersion.split('/');
    return group === ISTIO_GROUP && version && rest.length === 0 && ISTIO_SERVED_KINDS[version] ? `istio/${version}` : undefined;
  },
  renamedKey: () => undefined,
  rules: istioRules,
};
