// What the CRD-generated schemas share (scripts/schemas/gateway-api-crds.mjs, scripts/schemas/istio-crds.mjs):
// reading a CRD from a git source, turning one served version into our schema and its constraint
// data, and the generate/check command line.
//
// What a schema carries from its CRD: types, enums, ranges, lengths, item and property counts,
// patterns, required keys, defaults, `nullable`, combinators, and `additionalProperties: false`
// wherever the API server prunes unknown fields (every object the CRD does not mark
// x-kubernetes-preserve-unknown-fields). What it leaves out: the upstream descriptions (each script
// writes its own), x-kubernetes-* keywords (CEL rules are checked by the dialects' rules), and
// `format` with the combinators that only exist to check one (ajv here knows no formats; see structural()).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

const require = createRequire(import.meta.url);
const { flatten } = require('./constraints.cjs');

/**
 * The CRD schema as our schemas carry it, still in CRD form: `x-kubernetes-int-or-string` spelled as
 * the anyOf it means, `format` dropped, and the combinators that only check a format dropped with it
 * (Gateway's addresses: IPAddress values must be IPs; without the formats the oneOf would only
 * refuse an address whose `type` is left to its default). Both the schemas and the constraint data
 * are read from this, so the data says what we mean to carry.
 */
function structural(node) {
  if (Array.isArray(node)) return node.map(structural);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'format') continue;
    if (['anyOf', 'oneOf', 'allOf'].includes(key) && JSON.stringify(value).includes('"format"')) continue;
    out[key] = ['default', 'enum', 'const', 'example'].includes(key) ? value : structural(value);
  }
  if (out['x-kubernetes-int-or-string'] && !out.anyOf) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  return out;
}

/** Whether the API server prunes unknown keys of an object node (apiextensions.k8s.io/v1). */
function prunes(node) {
  const isObject = node.type === 'object' || node.properties !== undefined;
  return isObject && node['x-kubernetes-preserve-unknown-fields'] !== true && (node.additionalProperties === undefined || node.additionalProperties === false);
}

const VALIDATION_KEYWORDS = [
  'enum',
  'const',
  'default',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  // OpenAPI's: null is a value too (Istio's optional booleans and counts); ajv reads it next to `type`.
  'nullable',
];

/**
 * A structural CRD node as draft-07; `describe(fieldPath, node)` gives our description of a field;
 * `inBranch`: inside a combinator, where nothing is closed.
 */
function convert(node, fieldPath, describe, inBranch = false) {
  const out = {};
  if (node.type !== undefined) out.type = node.type;
  const description = inBranch ? undefined : describe(fieldPath, node);
  if (description) out.description = description;
  for (const keyword of VALIDATION_KEYWORDS) if (node[keyword] !== undefined) out[keyword] = node[keyword];
  if (node.properties) {
    out.properties = {};
    for (const [key, child] of Object.entries(node.properties))
      out.properties[key] = convert(child, fieldPath ? `${fieldPath}.${key}` : key, describe, inBranch);
  }
  if (node.items) out.items = convert(node.items, `${fieldPath}[]`, describe, inBranch);
  if (node.additionalProperties && typeof node.additionalProperties === 'object')
    out.additionalProperties = convert(node.additionalProperties, `${fieldPath}{}`, describe, inBranch);
  else if (!inBranch && prunes(node)) out.additionalProperties = false;
  if (node.required) out.required = node.required;
  for (const combinator of ['anyOf', 'oneOf', 'allOf'])
    if (node[combinator]) out[combinator] = node[combinator].map((branch) => convert(branch, fieldPath, describe, true));
  if (node.not) out.not = convert(node.not, fieldPath, describe, true);
  return out;
}

/** Subtrees smaller than this (in compact JSON) stay where they are: a $ref would save little. */
const SHARED_MIN_LENGTH = 150;

/**
 * Moves each object schema that occurs more than once (HTTPRoute's filters, once for a rule and once
 * for a backendRef) into `definitions`, referred to by `$ref`, largest first. The build's precompiled
 * validators then check it in one function instead of one copy per place, which halves the largest
 * of them; the constraints are the same (constraints.cjs follows the references).
 */
function shareRepeated(schema) {
  const definitions = {};
  const nameOf = (fieldPath) => {
    const last = fieldPath.split('.').pop();
    const item = last.endsWith('[]');
    const key = last.replace(/(\[\]|\{\})+$/, '');
    const base = item ? key.replace(/(ch|sh|x)es$/, '$1').replace(/s$/, '') : key;
    let name = base;
    for (let n = 2; name in definitions; n++) name = `${base}${n}`;
    return name;
  };
  for (;;) {
    const seen = new Map(); // compact JSON → { count, fieldPath }
    const count = (node, fieldPath) => {
      if (!node || typeof node !== 'object' || Array.isArray(node)) return;
      if (node.properties) {
        const key = JSON.stringify(node);
        const entry = seen.get(key) ?? { count: 0, fieldPath };
        entry.count++;
        seen.set(key, entry);
      }
      for (const [key, child] of Object.entries(node.properties ?? {})) count(child, `${fieldPath}.${key}`);
      if (node.items) count(node.items, `${fieldPath}[]`);
      if (typeof node.additionalProperties === 'object') count(node.additionalProperties, `${fieldPath}{}`);
    };
    for (const [key, child] of Object.entries(schema.properties)) count(child, key);
    for (const [name, definition] of Object.entries(definitions)) count(definition, name);
    let largest;
    for (const [key, { count: n, fieldPath }] of seen) {
      if (n >= 2 && key.length >= SHARED_MIN_LENGTH && (!largest || key.length > largest.key.length)) largest = { key, fieldPath };
    }
    if (!largest) break;
    const name = nameOf(largest.fieldPath);
    const replace = (node) => {
      if (!node || typeof node !== 'object') return node;
      if (Array.isArray(node)) return node.map(replace);
      if (node.properties && JSON.stringify(node) === largest.key) return { $ref: `#/definitions/${name}` };
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, replace(value)]));
    };
    schema.properties = replace(schema.properties);
    for (const [other, definition] of Object.entries(definitions)) definitions[other] = replace(definition);
    definitions[name] = JSON.parse(largest.key);
  }
  if (Object.keys(definitions).length > 0) schema.definitions = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)));
  return schema;
}

function metadataSchema(clusterScoped) {
  return {
    type: 'object',
    description: 'Standard Kubernetes object metadata.',
    properties: {
      name: { type: 'string', description: 'Name of the object, unique per kind and namespace.', minLength: 1 },
      namespace: {
        type: 'string',
        description: clusterScoped ? 'Not used: the kind is cluster-scoped.' : 'Namespace of the object (kustomize `namespace:` overrides it).',
      },
      labels: { type: 'object', description: 'Labels of the object; values must be strings.', additionalProperties: { type: 'string' } },
      annotations: { type: 'object', description: 'Annotations of the object; values must be strings.', additionalProperties: { type: 'string' } },
      generateName: { type: 'string', description: 'Prefix for a server-generated name.' },
    },
    required: ['name'],
  };
}

/**
 * Our schema of one served version of a CRD. `script` is the generator named in the schema's comment;
 * `kindDescriptions` maps group/Kind to our line on the kind; `describe` is as for convert().
 */
export function schemaOf(crd, version, folder, where, { script, kindDescriptions, describe }) {
  const group = crd.spec.group;
  const kind = crd.spec.names.kind;
  const apiVersion = `${group}/${version.name}`;
  const root = structural(version.schema.openAPIV3Schema);
  const relative = `${folder}/${kind.toLowerCase()}.schema.json`;
  const properties = {
    apiVersion: { type: 'string', const: apiVersion, description: `API version of the object: ${apiVersion}.` },
    kind: { type: 'string', const: kind, description: `Kind of the object: ${kind}.` },
    metadata: metadataSchema(crd.spec.scope === 'Cluster'),
  };
  if (root.properties?.spec) {
    const { type, ...rest } = convert(root.properties.spec, 'spec', describe);
    properties.spec = { type, description: `Desired state of the ${kind}.`, ...rest };
  }
  if (root.properties?.status) properties.status = { type: 'object', description: 'Observed state, written by the controller. Not part of the desired state.' };
  for (const key of Object.keys(root.properties ?? {})) {
    if (!(key in properties)) throw new Error(`${apiVersion} ${kind}: a top-level field ${key} we have no place for`);
  }
  const description = kindDescriptions[`${group}/${kind}`];
  if (!description) throw new Error(`no description written for ${group}/${kind}`);
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://mesh-kustomize.dev/schemas/${relative}`,
    $comment: `Generated by ${script} from ${where}; edit the script, not this file.`,
    title: `${kind} (${apiVersion})`,
    description,
    type: 'object',
    properties,
    required: ['apiVersion', 'kind', 'metadata', ...(root.required ?? [])],
    additionalProperties: false,
  };
  const data = flatten(root, { strict: true, closed: prunes });
  return { relative, schema: shareRepeated(schema), data };
}

function gitDirectory(repo, options) {
  if (options.git[repo]) return options.git[repo];
  if (options.mirrors) {
    const dir = path.join(options.mirrors, repo.replace('/', '+'), 'repo');
    if (fs.existsSync(dir)) return dir;
  }
  throw new Error(`no git directory for ${repo}: pass --git ${repo}=DIR or --mirrors DIR (holding ${repo.replace('/', '+')}/repo)`);
}

export function openSource(source, options) {
  const dir = gitDirectory(source.repo, options);
  const git = (...args) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const commit = git('rev-parse', `${source.tag}^{commit}`).trim();
  if (commit !== source.commit) throw new Error(`${source.repo}@${source.tag} is ${commit}, not the recorded ${source.commit}`);
  const tree = git('ls-tree', '-r', '--name-only', source.commit).split('\n').filter(Boolean);
  return { tree, read: (file) => git('show', `${source.commit}:${file}`) };
}

/** The CRDs of a file; Helm template lines ({{ … }}, only in metadata here) are dropped first. */
export function crdsIn(text) {
  const plain = text
    .split('\n')
    .filter((line) => !line.includes('{{'))
    .join('\n');
  return parseAllDocuments(plain)
    .map((doc) => doc.toJS())
    .filter((doc) => doc?.kind === 'CustomResourceDefinition');
}

export const label = (source) => `${source.repo}@${source.tag} ${source.commit}`;

/** One line per field: a new release's changes read as a diff of fields. */
export function constraintsJson(constraints) {
  const entries = Object.entries(constraints)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, { source, fields }]) => {
      const lines = Object.entries(fields).map(([field, entry]) => `   ${JSON.stringify(field)}: ${JSON.stringify(entry)}`);
      return `  ${JSON.stringify(file)}: {"source": ${JSON.stringify(source)}, "fields": {\n${lines.join(',\n')}\n  }}`;
    });
  return `{\n "schemas": {\n${entries.join(',\n')}\n }\n}\n`;
}

/** The JSON files under the folders a script owns: `check` reports one it did not generate. */
function ownedFiles(owned) {
  return owned.flatMap((dir) =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { recursive: true })
          .map(String)
          .filter((f) => f.endsWith('.json'))
          .map((f) => path.join(dir, f))
      : [],
  );
}

/**
 * The command line of a generator: `generate` writes `generate(options)`'s files (file path → text)
 * and removes the owned files it no longer makes; `check` prints every file that differs, and every
 * line `refused(outputs, options)` returns (upstream examples the schemas refuse); exits 1 if any.
 */
export function main({ usage, owned, generate, refused }) {
  const [command, ...rest] = process.argv.slice(2);
  const options = { git: {}, mirrors: undefined };
  for (let i = 0; i < rest.length; i += 2) {
    if (rest[i] === '--mirrors') options.mirrors = rest[i + 1];
    else if (rest[i] === '--git') {
      const [repo, dir] = rest[i + 1].split('=');
      options.git[repo] = dir;
    } else throw new Error(`unknown option ${rest[i]}`);
  }

  if (command === 'generate') {
    const outputs = generate(options);
    for (const stale of ownedFiles(owned)) if (!outputs.has(stale)) fs.rmSync(stale);
    for (const [file, text] of outputs) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
    console.log(`wrote ${outputs.size} files`);
  } else if (command === 'check') {
    const outputs = generate(options);
    const differing = [];
    for (const [file, text] of outputs) {
      if (!fs.existsSync(file)) differing.push(`${file}: missing`);
      else if (fs.readFileSync(file, 'utf8') !== text) differing.push(`${file}: differs from what the CRDs give`);
    }
    for (const file of ownedFiles(owned)) if (!outputs.has(file)) differing.push(`${file}: made from no CRD`);
    differing.push(...refused(outputs, options));
    for (const line of differing) console.log(line);
    console.log(`${differing.length} difference(s) in ${outputs.size} generated files`);
    process.exitCode = differing.length > 0 ? 1 : 0;
  } else {
    throw new Error(`usage: ${usage}`);
  }
}
