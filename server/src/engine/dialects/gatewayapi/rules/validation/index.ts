import { Rule } from '../../../../rules/rule';

export const validationRules: readonly Rule[] = [];
