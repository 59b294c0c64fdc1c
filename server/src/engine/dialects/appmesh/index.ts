import { Dialect, objectNamed } from '../../dialect';
import { APP_MESH_GROUP, APP_MESH_SERVED_KINDS, V1BETA2_RENAMES } from './api';
import { describeObject, referencedKindAt, referencesOf } from './references';
import { duplicateRouteName } from './rules/duplicateRouteName';
import { httpMatch } from './rules/httpMatch';
import { serviceDiscoveryRequired } from './rules/serviceDiscoveryRequired';
import { isAppMesh, isLegacy, readService, readSplit } from './traffic';

/** AWS App Mesh: `appmesh.k8s.aws/v1beta2` (controller v1.x) and the legacy `v1beta1` (controller v0.x). */
export const appMeshDialect: Dialect = {
  id: 'appmesh',
  label: 'App Mesh',
  apis: [{ group: APP_MESH_GROUP, servedKinds: APP_MESH_SERVED_KINDS, preferredVersion: 'v1beta2' }],
  textMarkers: [APP_MESH_GROUP],
  // Routers name VirtualNodes, objects of the API itself.
  versionMarkers: [],
  roleOf(object) {
    if (!isAppMesh(object)) return undefined;
    switch (object.kind) {
      case 'VirtualNode':
        return 'version';
      case 'VirtualRouter':
        return 'split';
      case 'VirtualService':
        // A v1beta1 VirtualService carries its routes itself.
        return isLegacy(object) ? 'split' : 'service';
      default:
        return undefined;
    }
  },
  namedKinds: ['VirtualNode', 'VirtualRouter', 'VirtualService'],
  // The API takes integer weights 0..100 and at most 10 targets per route (the service quota), and
  // refuses totals above 100; its docs and examples write percentages.
  // A target that does not resolve fails the whole router's reconciliation, whatever its weight.
  weights: {
    min: 0,
    max: 100,
    maxTargets: 10,
    percentages: true,
    maxTotal: 100,
    idleTargetsMayBeMissing: false,
    soleZeroWeightUndefined: false,
    soleTargetTakesAll: false,
  },
  // The controller refuses the router; Envoy keeps the last configuration it accepted.
  lostTraffic: () => undefined,
  dropsMissingTargets: () => undefined,
  versionNeeds: objectNamed,
  namesExternal: () => false,
  split(object) {
    return readSplit(object, appMeshDialect);
  },
  service(object) {
    return readService(object, appMeshDialect);
  },
  references(object) {
    return isAppMesh(object) ? referencesOf(object) : [];
  },
  referencedKindAt,
  describe: describeObject,
  schemaFolder(apiVersion) {
    const match = /^appmesh\.k8s\.aws\/(v1beta[12])$/.exec(apiVersion);
    return match ? `appmesh/${match[1]}` : undefined;
  },
  renamedKey(apiVersion, key) {
    return apiVersion === `${APP_MESH_GROUP}/v1beta2` ? V1BETA2_RENAMES[key] : undefined;
  },
  rules: [duplicateRouteName, httpMatch, serviceDiscoveryRequired],
};
