import { Rule } from '../../../rules/rule';
import { hostNotFullyQualified } from './hostNotFullyQualified';

/** Istio's own rules: subsets and their workloads, hosts, weights as the webhook checks them, and rules that never apply. */
export const istioRules: readonly Rule[] = [hostNotFullyQualified];
