import { Rule } from '../../../../rules/rule';
import { latticeBackendKind } from './backendKind';
import { latticeHeaderMatchType } from './headerMatchType';
import { latticeIgnoredField } from './ignoredField';
import { latticeMultipleMatches } from './multipleMatches';
import { latticePathMatchType } from './pathMatchType';
import { latticePolicyNamespace } from './policyNamespace';
import { latticeQueryParamMatch } from './queryParamMatch';
import { latticeTooManyBackends } from './tooManyBackends';
import { latticeTooManyHeaderMatches } from './tooManyHeaderMatches';
import { latticeUnsupportedRouteKind } from './unsupportedRouteKind';
import { latticeWeightOver999 } from './weightOver999';

/** What VPC Lattice (the AWS Gateway API Controller, v2.1.3) refuses or ignores, on routes the profile puts there. */
export const latticeRules: readonly Rule[] = [
  latticeWeightOver999,
  latticeTooManyBackends,
  latticeMultipleMatches,
  latticePathMatchType,
  latticeQueryParamMatch,
  latticeTooManyHeaderMatches,
  latticeHeaderMatchType,
  latticeIgnoredField,
  latticeBackendKind,
  latticeUnsupportedRouteKind,
  latticePolicyNamespace,
];
