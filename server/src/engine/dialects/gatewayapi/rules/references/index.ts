import { Rule } from '../../../../rules/rule';
import { backendPortMissing } from './backendPortMissing';
import { backendPortNotExposed } from './backendPortNotExposed';
import { parentNotRunning } from './parentNotRunning';
import { parentSectionNotFound } from './parentSectionNotFound';
import { referenceGrantMissing } from './referenceGrantMissing';
import { routesOverlap } from './routesOverlap';
import { serviceWithoutEndpoints } from './serviceWithoutEndpoints';

/** References between routes, Services, Gateways and grants, and what each needs of the others. */
export const referencesRules: readonly Rule[] = [
  backendPortMissing,
  backendPortNotExposed,
  serviceWithoutEndpoints,
  referenceGrantMissing,
  parentNotRunning,
  parentSectionNotFound,
  routesOverlap,
];
