import { Rule } from '../../../rules/rule';
import { latticeRules } from './lattice';
import { referencesRules } from './references';
import { validationRules } from './validation';

/**
 * The Gateway API's own rules: references between routes, Services, Gateways and grants; the
 * checks its CRDs make with CEL; and what VPC Lattice refuses or ignores.
 */
export const gatewayApiRules: readonly Rule[] = [...referencesRules, ...validationRules, ...latticeRules];
