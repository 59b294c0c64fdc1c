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
 * a JSON Schema cannot say them.
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
