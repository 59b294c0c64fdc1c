import { Rule } from '../../../../rules/rule';

export const referencesRules: readonly Rule[] = [];
