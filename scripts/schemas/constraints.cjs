// The constraints of an App Mesh object (types, enums, ranges, required keys, item limits, whether
// unknown keys are kept), flattened to one entry per field path: `spec.listeners[].portMapping.port`.
// `[]` stands for an array's items, `{}` for a map's values. Descriptions are left out on purpose:
// ours are our own words. Used by scripts/schemas/appmesh-crds.mjs, scripts/schemas/gateway-api-crds.mjs
// and their tests (test/unit/crd-constraints.test.ts, test/unit/gateway-api-schemas.test.ts).
'use strict';

const KEYWORDS = ['type', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'required'];
/**
 * The Gateway API schemas are generated whole from their CRDs, so they are held to more: patterns,
 * defaults, the other JSON Schema limits, and whether an object closes (`additionalProperties: false`
 * in ours, pruning in the CRD: `closed`). Combinator branches are fields of their own:
 * `spec.addresses[]|oneOf0.value`.
 */
const STRICT_KEYWORDS = [
  ...KEYWORDS,
  'const',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'pattern',
  'default',
  'nullable',
  'closed',
];
const COMBINATORS = ['anyOf', 'oneOf', 'allOf'];
// Ours only: the API server checks metadata itself, apiVersion and kind pick the schema, nobody writes status.
const OURS_ONLY = new Set(['metadata', 'apiVersion', 'kind', 'status']);

/**
 * Flattens a schema; `resolve` follows `$ref`s (ours), `preserveEverywhere` marks a CRD that prunes
 * nothing. `strict` reads STRICT_KEYWORDS and combinator branches; `closed(node)` then says whether
 * an object refuses unknown keys (the CRD's pruning, or our `additionalProperties: false`).
 */
function flatten(schema, { resolve = (node) => node, preserveEverywhere = false, strict = false, closed } = {}) {
  const fields = {};
  const keywords = strict ? STRICT_KEYWORDS : KEYWORDS;
  const walk = (node, path, inBranch) => {
    node = resolve(node);
    const entry = {};
    for (const keyword of keywords) {
      const value = keyword === 'closed' ? !inBranch && closed?.(node) : node[keyword];
      if (value === undefined || (keyword === 'closed' && !value)) continue;
      entry[keyword] = keyword === 'required' || keyword === 'enum' ? [...value].map(String).sort() : value;
    }
    // Strict: `closed` says it for both sides (ours carry no x-kubernetes-* keyword).
    if (!strict && (node['x-kubernetes-preserve-unknown-fields'] === true || (preserveEverywhere && node.properties))) entry.preserveUnknownFields = true;
    if (strict && node.not) entry.not = flatten(node.not, { resolve, strict: true })[''];
    fields[path] = entry;
    const prefix = path === '' ? '' : `${path}.`;
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (path === '' && OURS_ONLY.has(key)) continue;
      walk(child, prefix + key, inBranch);
    }
    if (node.items) walk(node.items, `${path}[]`, inBranch);
    if (node.additionalProperties && typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}{}`, inBranch);
    if (strict) for (const combinator of COMBINATORS) (node[combinator] ?? []).forEach((branch, i) => walk(branch, `${path}|${combinator}${i}`, true));
  };
  walk(schema, '', false);
  return fields;
}

/** Our schema file, with its `#/definitions/…` references followed; `strict` as for flatten(). */
function flattenOurs(schema, { strict = false } = {}) {
  const resolve = (node) => {
    let seen = 0;
    while (node.$ref) {
      if (++seen > 20) throw new Error(`$ref loop at ${node.$ref}`);
      const target = node.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce((at, key) => at?.[key], schema);
      if (!target) throw new Error(`unresolved $ref ${node.$ref}`);
      node = target;
    }
    return node;
  };
  return flatten(schema, { resolve, strict, closed: (node) => node.additionalProperties === false });
}

/**
 * Where our fields differ from the CRD's: every constraint of every CRD field, and, when the CRD
 * lists every field (`complete`), the fields we have that it has not. A CRD without a type on a
 * node leaves the type to us.
 */
function compare(crd, ours, { complete = true, strict = false } = {}) {
  const differences = [];
  for (const [path, expected] of Object.entries(crd)) {
    const actual = ours[path];
    if (!actual) {
      differences.push({ path, problem: 'missing in ours' });
      continue;
    }
    for (const keyword of [...(strict ? [...STRICT_KEYWORDS, 'not'] : KEYWORDS), 'preserveUnknownFields']) {
      if (keyword === 'type' && expected.type === undefined) continue;
      if (keyword === 'required' && path === '') continue; // ours: apiVersion, kind and metadata
      const want = JSON.stringify(expected[keyword]);
      const have = JSON.stringify(actual[keyword]);
      if (want !== have) differences.push({ path, problem: `${keyword}: CRD ${want ?? 'none'}, ours ${have ?? 'none'}` });
    }
  }
  if (complete) {
    for (const path of Object.keys(ours)) if (!crd[path]) differences.push({ path, problem: 'not in the CRD' });
  }
  return differences;
}

module.exports = { flatten, flattenOurs, compare, KEYWORDS, STRICT_KEYWORDS };
