import { Rule } from '../../../../rules/rule';
import { filterCombination } from './filterCombination';
import { gatewayAddresses } from './gatewayAddresses';
import { gatewayListeners } from './gatewayListeners';
import { grpcMethodMatch } from './grpcMethodMatch';
import { parentRefsDistinct } from './parentRefsDistinct';
import { pathMatchValue } from './pathMatchValue';
import { routeLimits } from './routeLimits';
import { routeTimeouts } from './routeTimeouts';
import { tlsRouteHostname } from './tlsRouteHostname';

/**
 * The CEL rules (`x-kubernetes-validations`) of the Gateway API v1.6.1 standard-channel CRDs that
 * concern what users write in routes, Gateways and ListenerSets, checked before the API server does:
 * a JSON Schema cannot say them. `node scripts/schemas/list-cel.mjs <gateway-api git dir>` lists them all.
 *
 * Left out: a route backendRef to a Service without `port` (the references rules check it); rules
 * a schema says too (HTTPRoute path match type enum, TLSRoute RFC 1123 hostnames); GatewayClass
 * `controllerName` immutability (needs the live object); status fields; Gateway infrastructure
 * label and annotation keys, and BackendTLSPolicy (not part of a rollout's traffic).
 */
export const validationRules: readonly Rule[] = [
  routeLimits,
  pathMatchValue,
  filterCombination,
  routeTimeouts,
  parentRefsDistinct,
  grpcMethodMatch,
  tlsRouteHostname,
  gatewayListeners,
  gatewayAddresses,
];
