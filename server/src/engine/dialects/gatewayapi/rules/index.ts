import { Rule } from '../../../rules/rule';
import { experimentalChannelVersion } from './experimentalChannelVersion';
import { latticeRules } from './lattice';
import { referencesRules } from './references';
import { validationRules } from './validation';

/**
 * The Gateway API's own rules: versions of its experimental channel; references between routes,
 * Services, Gateways and grants; the checks its CRDs make with CEL; and what VPC Lattice refuses or ignores.
 */
export const gatewayApiRules: readonly Rule[] = [experimentalChannelVersion, ...referencesRules, ...validationRules, ...latticeRules];
