// The constraints of an App Mesh object (types, enums, ranges, required keys, item limits, whether
// unknown keys are kept), flattened to one entry per field path: `spec.listeners[].portMapping.port`.
// `[]` stands for an array's items, `{}` for a map's values. Descriptions are left out on purpose:
// ours are our own words. Used by scripts/schemas/appmesh-crds.mjs and test/unit/crd-constraints.test.ts.
'use strict';

const KEYWORDS = ['type', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'required'];
// Ours only: the API server checks metadata itself, apiVersion and kind pick the schema, nobody writes status.
const OURS_ONLY = new Set(['metadata', 'apiVersion', 'kind', 'status']);

/** Flattens a schema; `resolve` follows `$ref`s (ours), `preserveEverywhere` marks a CRD that prunes nothing. */
function flatten(schema, { resolve = (node) => node, preserveEverywhere = false } = {}) {
  const fields = {};
  const walk = (node, path) => {
    node = resolve(node);
    const entry = {};
    for (const keyword of KEYWORDS) {
      if (node[keyword] === undefined) continue;
      entry[keyword] = keyword === 'required' || keyword === 'enum' ? [...node[keyword]].map(String).sort() : node[keyword];
    }
    if (node['x-kubernetes-preserve-unknown-fields'] === true || (preserveEverywhere && node.properties)) entry.preserveUnknownFields = true;
    fields[path] = entry;
    const prefix = path === '' ? '' : `${path}.`;
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (path === '' && OURS_ONLY.has(key)) continue;
      walk(child, prefix + key);
    }
    if (node.items) walk(node.items, `${path}[]`);
    if (node.additionalProperties && typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}{}`);
  };
  walk(schema, '');
  return fields;
}

/** Our schema file, with its `#/definitions/…` references followed. */
function flattenOurs(schema) {
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
  return flatten(schema, { resolve });
}

/**
 * Where our fields differ from the CRD's: every constraint of every CRD field, and, when the CRD
 * lists every field (`complete`), the fields we have that it has not. A CRD without a type on a
 * node leaves the type to us.
 */
function compare(crd, ours, { complete = true } = {}) {
  const differences = [];
  for (const [path, expected] of Object.entries(crd)) {
    const actual = ours[path];
    if (!actual) {
      differences.push({ path, problem: 'missing in ours' });
      continue;
    }
    for (const keyword of [...KEYWORDS, 'preserveUnknownFields']) {
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

module.exports = { flatten, flattenOurs, compare, KEYWORDS };
