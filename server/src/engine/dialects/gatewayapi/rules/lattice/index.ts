import { Rule } from '../../../../rules/rule';

export const latticeRules: readonly Rule[] = [];
