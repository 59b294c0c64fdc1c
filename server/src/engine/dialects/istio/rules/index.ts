import { Rule } from '../../../rules/rule';
import { destinationPortNotExposed } from './destinationPortNotExposed';
import { destinationPortRequired } from './destinationPortRequired';
import { destinationRuleHostUnknown } from './destinationRuleHostUnknown';
import { destinationRulesOverlap } from './destinationRulesOverlap';
import { duplicateDestination } from './duplicateDestination';
import { gatewayNotFound } from './gatewayNotFound';
import { hostNotFullyQualified } from './hostNotFullyQualified';
import { soleDestinationWeight } from './soleDestinationWeight';
import { subsetNotDefined } from './subsetNotDefined';
import { idleSubsetWithoutWorkloads, subsetWithoutWorkloads } from './subsetWithoutWorkloads';
import { unreachableRouteRule } from './unreachableRouteRule';
import { virtualServicesOverlap } from './virtualServicesOverlap';
import { istioWeightTotalNot100 } from './weightTotalNot100';
import { weightsSetByController } from './weightsSetByController';

/** Subsets and their workloads, and weights as the webhook checks them. */
const subsetRules: readonly Rule[] = [
  subsetNotDefined,
  subsetWithoutWorkloads,
  idleSubsetWithoutWorkloads,
  soleDestinationWeight,
  duplicateDestination,
  istioWeightTotalNot100,
];

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
export const istioRules: readonly Rule[] = [...subsetRules, ...hostRules, weightsSetByController];
