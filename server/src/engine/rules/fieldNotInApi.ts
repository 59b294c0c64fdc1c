import { FileRule } from './rule';
import { SchemaData, schemaFixes } from './schema';

/**
 * A key the App Mesh API does not have, where its CRD keeps unknown keys instead of pruning them
 * (the top level of a v1beta2 object; anywhere in a v1beta1 one): the cluster accepts the object and
 * the controller ignores the key. Found by the schema rule, which validates each object once; this
 * entry gives the finding its own code and severity.
 */
export const fieldNotInApi: FileRule<SchemaData> = {
  code: 'field-not-in-api',
  scope: 'file',
  defaultSeverity: 'warning',
  summary: 'An object has a key its API does not have, which the cluster keeps (its CRD preserves unknown fields) and the controller ignores.',
  check() {
    return [];
  },
  fixes: schemaFixes,
};
