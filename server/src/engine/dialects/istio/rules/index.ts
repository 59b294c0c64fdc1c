import { Rule } from '../../../rules/rule';
import { duplicateDestination } from './duplicateDestination';
import { soleDestinationWeight } from './soleDestinationWeight';
import { subsetNotDefined } from './subsetNotDefined';
import { idleSubsetWithoutWorkloads, subsetWithoutWorkloads } from './subsetWithoutWorkloads';
import { istioWeightTotalNot100 } from './weightTotalNot100';

/** Istio's own rules: subsets and their workloads, hosts, weights as the webhook checks them, and rules that never apply. */
export const istioRules: readonly Rule[] = [
  subsetNotDefined,
  subsetWithoutWorkloads,
  idleSubsetWithoutWorkloads,
  soleDestinationWeight,
  duplicateDestination,
  istioWeightTotalNot100,
];
