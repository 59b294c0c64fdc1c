import { Rule } from '../../../rules/rule';
import { destinationPortNotExposed } from './destinationPortNotExposed';
import { destinationPortRequired } from './destinationPortRequired';
import { destinationRuleHostUnknown } from './destinationRuleHostUnknown';
import { destinationRulesOverlap } from './destinationRulesOverlap';
import { gatewayNotFound } from './gatewayNotFound';
import { hostNotFullyQualified } from './hostNotFullyQualified';
import { unreachableRouteRule } from './unreachableRouteRule';
import { virtualServicesOverlap } from './virtualServicesOverlap';
import { weightsSetByController } from './weightsSetByController';

/** Hosts, ports and gateways: what several running objects must agree on, and rules that never apply. */
const hostRules: readonly Rule[] = [
  virtualServicesOverlap,
  destinationRulesOverlap,
  destinationRuleHostUnknown,
  hostNotFullyQualified,
  destinationPortRequired,
  destinationPortNotExposed,
  gatewayNotFound,
  unreachableRouteRule,
];

/** Istio's own rules: subsets and their workloads, hosts, weights as the webhook checks them, rules that never apply, and weights a controller owns. */
export const istioRules: readonly Rule[] = [...hostRules, weightsSetByController];
