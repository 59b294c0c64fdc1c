import { Rule } from '../../../rules/rule';
import { serviceProfilePrecedence } from './serviceProfilePrecedence';
import { trafficSplitDeprecated } from './trafficSplitDeprecated';

/** Linkerd's own rules: what its ServiceProfiles override, and SMI's deprecated TrafficSplit. */
export const linkerdRules: readonly Rule[] = [serviceProfilePrecedence, trafficSplitDeprecated];
