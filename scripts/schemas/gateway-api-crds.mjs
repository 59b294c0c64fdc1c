// Generates the JSON Schemas of the Gateway API dialect from the CRDs that define its kinds, and the
// data that holds them to those CRDs.
//
//   node scripts/schemas/gateway-api-crds.mjs generate [--mirrors DIR] [--git owner/name=GITDIR …]
//       reads each source's CRDs with `git show <tag>:<file>` and writes
//         schemas/gatewayapi/v1/, v1beta1/, lattice/v1alpha1/, schemas/linkerd/…   (the schemas)
//         scripts/schemas/gateway-api-crd-constraints.json   (their constraints, per field, no prose)
//         scripts/schemas/gateway-api-served.json            (group → version → kinds served)
//   node scripts/schemas/gateway-api-crds.mjs check [same options]
//       generates the same in memory and prints every file that differs from what is committed,
//       and every object of the Gateway API's own examples (examples/standard at the tag) that the
//       generated schemas refuse, compiled as the product compiles them (after `npx tsc -b`);
//       exits 1 if there is either.
//
// A source is a git directory: GITDIR from --git, else DIR/<owner>+<name>/repo (a `fetch` mirror),
// else a clone: `git clone --bare https://github.com/<owner>/<name> DIR/<owner>+<name>/repo`.
//
// What a schema carries from its CRD: types, enums, ranges, lengths, item and property counts,
// patterns, required keys, defaults, combinators, and `additionalProperties: false` wherever the API
// server prunes unknown fields (every object the CRD does not mark x-kubernetes-preserve-unknown-fields).
// What it leaves out: the upstream descriptions (ours are written below, for the fields people
// write), x-kubernetes-* keywords (CEL rules are checked by the dialect's rules), and `format`
// with the combinators that only exist to check one (ajv here knows no formats; see structural()).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

const require = createRequire(import.meta.url);
const { flatten } = require('./constraints.cjs');

const CONSTRAINTS = path.join('scripts', 'schemas', 'gateway-api-crd-constraints.json');
const SERVED = path.join('scripts', 'schemas', 'gateway-api-served.json');
/** The folders this script owns: `check` reports a schema in them that it did not generate. */
const OWNED = [path.join('schemas', 'gatewayapi'), path.join('schemas', 'linkerd')];

const GATEWAY_API = { repo: 'kubernetes-sigs/gateway-api', tag: 'v1.6.1', commit: '8bb74df00e56ec8f944d48c25e6c1c9c2f6848e3' };
const LATTICE = { repo: 'aws/aws-application-networking-k8s', tag: 'v2.1.3', commit: 'e3fb86ea0573aa299458b9b022c59a364584b6e8' };
// linkerd2 has published no stable-* tag since stable-2.14.10 (2024); version-2.x tags mark each release since.
const LINKERD = { repo: 'linkerd/linkerd2', tag: 'version-2.20', commit: 'eadc1acf79ad2e766afbdceadb77f1594296fd77' };
const LINKERD_SMI = { repo: 'linkerd/linkerd-smi', tag: 'v0.2.7', commit: 'c0c39b1e125d4bc38d690e46d79178317e7d717b' };

/**
 * Which CRDs become which schemas. `folder(version)` is the folder under schemas/; a version the
 * function maps to undefined gets no schema (served only by the experimental channel, say).
 */
const TARGETS = [
  {
    source: GATEWAY_API,
    files: (tree) => tree.filter((f) => /^config\/crd\/standard\/gateway\.networking\.k8s\.io_.*s\.yaml$/.test(f) && !f.includes('_vap_')),
    folder: (version) => `gatewayapi/${version}`,
  },
  {
    source: LATTICE,
    files: (tree) => tree.filter((f) => /^helm\/crds\/application-networking\.k8s\.aws_.*\.yaml$/.test(f)),
    folder: (version) => `gatewayapi/lattice/${version}`,
  },
  {
    source: LINKERD,
    files: () => ['charts/linkerd-crds/templates/policy/httproute.yaml'],
    folder: (version) => `linkerd/policy/${version}`,
  },
  {
    source: LINKERD,
    files: () => ['charts/linkerd-crds/templates/serviceprofile.yaml'],
    // v1alpha1 is still served, but v1alpha2 is what Linkerd writes and documents.
    folder: (version) => (version === 'v1alpha2' ? 'linkerd/linkerd/v1alpha2' : undefined),
  },
  {
    source: LINKERD_SMI,
    files: () => ['charts/linkerd-smi/templates/trafficsplit-crd.yaml'],
    folder: (version) => `linkerd/smi/${version}`,
  },
];

/** What each group serves, per channel for the Gateway API (files of one channel: one folder). */
const SERVED_SOURCES = [
  { source: GATEWAY_API, channel: 'standard', files: (tree) => tree.filter((f) => /^config\/crd\/standard\/.*\.yaml$/.test(f)) },
  { source: GATEWAY_API, channel: 'experimental', files: (tree) => tree.filter((f) => /^config\/crd\/experimental\/.*\.yaml$/.test(f)) },
  { source: LATTICE, files: (tree) => tree.filter((f) => /^helm\/crds\/.*\.yaml$/.test(f)) },
  // The chart also carries its own copy of some Gateway API CRDs; those are the Gateway API's to list.
  { source: LINKERD, files: (tree) => tree.filter((f) => /^charts\/linkerd-crds\/templates\/.*\.yaml$/.test(f) && !f.includes('gateway.networking.k8s.io_')) },
  { source: LINKERD_SMI, files: () => ['charts/linkerd-smi/templates/trafficsplit-crd.yaml'] },
];

// ------------------------------------------------------------------------------ descriptions --

/** One line per kind: what the object is, in our words. */
const KIND_DESCRIPTIONS = {
  'gateway.networking.k8s.io/BackendTLSPolicy': 'How a Gateway connects to a backend Service over TLS: the CA certificates and host name it checks.',
  'gateway.networking.k8s.io/GRPCRoute': 'A gRPC route: matches calls by service, method and headers and splits them among backends by weight.',
  'gateway.networking.k8s.io/Gateway': 'A Gateway: listeners (port, protocol, host name) that routes attach to.',
  'gateway.networking.k8s.io/GatewayClass': 'A class of Gateways, implemented by one controller (cluster-scoped).',
  'gateway.networking.k8s.io/HTTPRoute': 'An HTTP route: matches requests by path, headers, query and method and splits them among backends by weight.',
  'gateway.networking.k8s.io/ListenerSet': 'Extra listeners for a Gateway, kept in their own object (and namespace).',
  'gateway.networking.k8s.io/ReferenceGrant': 'Lets objects of other namespaces refer to objects of this one (routes to Services, say).',
  'gateway.networking.k8s.io/TCPRoute': 'A TCP route: splits a listener’s connections among backends by weight.',
  'gateway.networking.k8s.io/TLSRoute': 'A TLS route: matches connections by SNI host name and splits them among backends by weight.',
  'gateway.networking.k8s.io/UDPRoute': 'A UDP route: splits a listener’s datagrams among backends by weight.',
  'application-networking.k8s.aws/AccessLogPolicy': 'Sends the access logs of a VPC Lattice service network or service to S3, CloudWatch Logs or Firehose.',
  'application-networking.k8s.aws/IAMAuthPolicy': 'An IAM auth policy for a VPC Lattice service network (Gateway) or service (route).',
  'application-networking.k8s.aws/ServiceExport': 'Makes a Service reachable from other clusters through VPC Lattice.',
  'application-networking.k8s.aws/ServiceImport': 'A Service exported by another cluster, usable as a route backend.',
  'application-networking.k8s.aws/ServiceNetwork': 'A VPC Lattice service network managed by the controller (cluster-scoped).',
  'application-networking.k8s.aws/TargetGroupPolicy': 'Protocol and health check of the VPC Lattice target group made for a Service or ServiceExport.',
  'application-networking.k8s.aws/VpcAssociationPolicy': 'Associates a VPC with a VPC Lattice service network (Gateway), with its security groups.',
  'policy.linkerd.io/HTTPRoute': 'Linkerd’s own HTTP route: matches requests and splits them among backends by weight.',
  'linkerd.io/ServiceProfile': 'Linkerd per-route metrics, retries and timeouts for a Service; its dstOverrides split traffic.',
  'split.smi-spec.io/TrafficSplit': 'An SMI traffic split (deprecated): shares an apex Service’s traffic among backend Services by weight.',
};

const limit = (node, noun = '') => (node.maxItems !== undefined ? ` (at most ${node.maxItems}${noun})` : '');
const range = (node) => (node.minimum !== undefined && node.maximum !== undefined ? ` (${node.minimum}–${node.maximum})` : '');

/**
 * Our descriptions of the fields people write most, by field path; the CRD node supplies limits
 * and defaults so that the text states them. First match wins.
 */
const FIELD_DESCRIPTIONS = [
  [/^spec\.parentRefs$/, (n) => `Gateways (or, in mesh mode, Services) this route attaches to${limit(n)}.`],
  [/^spec\.parentRefs\[\]\.group$/, () => 'API group of the parent: gateway.networking.k8s.io (the default) for a Gateway, "" for a Service.'],
  [/^spec\.parentRefs\[\]\.kind$/, () => 'Kind of the parent: Gateway (the default), or Service for a mesh route.'],
  [/^spec\.parentRefs\[\]\.name$/, () => 'Name of the parent Gateway or Service.'],
  [/^spec\.parentRefs\[\]\.namespace$/, () => 'Namespace of the parent; the route’s own when omitted.'],
  [
    /^spec\.parentRefs\[\]\.sectionName$/,
    () => 'Which part of the parent to attach to: a Gateway listener’s name or a Service port’s name; all of them when omitted.',
  ],
  [/^spec\.parentRefs\[\]\.port$/, (n) => `Port to attach to: a Gateway listener’s port or a Service port${range(n)}.`],
  [/^spec\.hostnames$/, (n) => `Host names the route answers for, matched against the request’s Host header (SNI for TLS)${limit(n)}.`],
  [/^spec\.rules$/, (n) => `Rules of the route; each sends what it matches to its backendRefs${limit(n)}.`],
  [/^spec\.rules\[\]\.name$/, () => 'Name of the rule, unique in the route; status and policies refer to it.'],
  [/^spec\.rules\[\]\.matches$/, (n) => `Conditions for this rule, any one of which selects a request${limit(n)}.`],
  [/^spec\.rules\[\]\.filters$/, (n) => `Changes to matching requests or responses before they are forwarded${limit(n)}.`],
  [/^spec\.rules\[\]\.backendRefs$/, (n) => `Where matching traffic goes: each backend gets weight / (sum of weights) of it${limit(n)}.`],
  [/^spec\.rules\[\]\.backendRefs\[\]\.filters$/, (n) => `Changes to requests sent to this backend only${limit(n)}.`],
  [/^spec\.rules\[\]\.backendRefs\[\]\.group$/, () => 'API group of the backend: "" (the default) for a Service.'],
  [/^spec\.rules\[\]\.backendRefs\[\]\.kind$/, () => 'Kind of the backend: Service by default.'],
  [/^spec\.rules\[\]\.backendRefs\[\]\.name$/, () => 'Name of the backend (a Service unless kind says otherwise).'],
  [
    /^spec\.rules\[\]\.backendRefs\[\]\.namespace$/,
    () => 'Namespace of the backend; the route’s own when omitted. Another namespace needs a ReferenceGrant there.',
  ],
  [/^spec\.rules\[\]\.backendRefs\[\]\.port$/, (n) => `Port of the Service to send to (its port, not its targetPort); required for a Service${range(n)}.`],
  [
    /^spec\.rules\[\]\.backendRefs\[\]\.weight$/,
    (n) => `Relative share of the rule’s traffic: weight / (sum of the weights); ${n.default ?? 1} when omitted, 0 sends none${range(n)}.`,
  ],
  [/\.targetRef$/, () => 'The object this policy applies to.'],
  [/\.targetRefs$/, (n) => `The objects this policy applies to${limit(n)}.`],
  [/\.targetRefs?(\[\])?\.name$/, () => 'Name of the target object.'],
  [/\.targetRefs?(\[\])?\.namespace$/, () => 'Namespace of the target object; the policy’s own when omitted.'],
  [/\.targetRefs?(\[\])?\.sectionName$/, () => 'Which part of the target (a Gateway listener, a Service port) the policy applies to.'],
  [/^spec\.service$/, () => 'The apex Service whose traffic is split (clients call it).'],
  [/^spec\.backends$/, () => 'Services receiving the apex Service’s traffic, each by weight.'],
  [/^spec\.backends\[\]\.service$/, () => 'Name of a backend Service; its ports must match the apex Service’s.'],
  [/^spec\.backends\[\]\.weight$/, () => 'Relative share of the traffic: weight / (sum of the weights).'],
  [/^spec\.dstOverrides$/, () => 'Sends the Service’s traffic to these destinations instead, each by weight.'],
  [/^spec\.dstOverrides\[\]\.authority$/, () => 'Destination: a Service’s DNS name and port (name.namespace.svc.cluster.local:port).'],
  [/^spec\.dstOverrides\[\]\.weight$/, () => 'Relative share of the traffic: weight / (sum of the weights).'],
];

function describe(fieldPath, node) {
  for (const [pattern, text] of FIELD_DESCRIPTIONS) if (pattern.test(fieldPath)) return text(node);
  return undefined;
}

// -------------------------------------------------------------------------------- conversion --

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
];

/** A structural CRD node as draft-07; `inBranch`: inside a combinator, where nothing is closed. */
function convert(node, fieldPath, inBranch = false) {
  const out = {};
  if (node.type !== undefined) out.type = node.type;
  const description = inBranch ? undefined : describe(fieldPath, node);
  if (description) out.description = description;
  for (const keyword of VALIDATION_KEYWORDS) if (node[keyword] !== undefined) out[keyword] = node[keyword];
  if (node.properties) {
    out.properties = {};
    for (const [key, child] of Object.entries(node.properties)) out.properties[key] = convert(child, fieldPath ? `${fieldPath}.${key}` : key, inBranch);
  }
  if (node.items) out.items = convert(node.items, `${fieldPath}[]`, inBranch);
  if (node.additionalProperties && typeof node.additionalProperties === 'object')
    out.additionalProperties = convert(node.additionalProperties, `${fieldPath}{}`, inBranch);
  else if (!inBranch && prunes(node)) out.additionalProperties = false;
  if (node.required) out.required = node.required;
  for (const combinator of ['anyOf', 'oneOf', 'allOf'])
    if (node[combinator]) out[combinator] = node[combinator].map((branch) => convert(branch, fieldPath, true));
  if (node.not) out.not = convert(node.not, fieldPath, true);
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

/** Our schema of one served version of a CRD. */
function schemaOf(crd, version, folder, where) {
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
    const { type, ...rest } = convert(root.properties.spec, 'spec');
    properties.spec = { type, description: `Desired state of the ${kind}.`, ...rest };
  }
  if (root.properties?.status) properties.status = { type: 'object', description: 'Observed state, written by the controller. Not part of the desired state.' };
  for (const key of Object.keys(root.properties ?? {})) {
    if (!(key in properties)) throw new Error(`${apiVersion} ${kind}: a top-level field ${key} we have no place for`);
  }
  const description = KIND_DESCRIPTIONS[`${group}/${kind}`];
  if (!description) throw new Error(`no description written for ${group}/${kind}`);
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://mesh-kustomize.dev/schemas/${relative}`,
    $comment: `Generated by scripts/schemas/gateway-api-crds.mjs from ${where}; edit the script, not this file.`,
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

// ------------------------------------------------------------------------------------ sources --

function gitDirectory(repo, options) {
  if (options.git[repo]) return options.git[repo];
  if (options.mirrors) {
    const dir = path.join(options.mirrors, repo.replace('/', '+'), 'repo');
    if (fs.existsSync(dir)) return dir;
  }
  throw new Error(`no git directory for ${repo}: pass --git ${repo}=DIR or --mirrors DIR (holding ${repo.replace('/', '+')}/repo)`);
}

function openSource(source, options) {
  const dir = gitDirectory(source.repo, options);
  const git = (...args) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const commit = git('rev-parse', `${source.tag}^{commit}`).trim();
  if (commit !== source.commit) throw new Error(`${source.repo}@${source.tag} is ${commit}, not the recorded ${source.commit}`);
  const tree = git('ls-tree', '-r', '--name-only', source.commit).split('\n').filter(Boolean);
  return { tree, read: (file) => git('show', `${source.commit}:${file}`) };
}

/** The CRDs of a file; Helm template lines ({{ … }}, only in metadata here) are dropped first. */
function crdsIn(text) {
  const plain = text
    .split('\n')
    .filter((line) => !line.includes('{{'))
    .join('\n');
  return parseAllDocuments(plain)
    .map((doc) => doc.toJS())
    .filter((doc) => doc?.kind === 'CustomResourceDefinition');
}

const label = (source) => `${source.repo}@${source.tag} ${source.commit}`;

/** Everything the script writes, as file path → text. */
function generate(options) {
  const opened = new Map();
  const open = (source) => {
    if (!opened.has(source)) opened.set(source, openSource(source, options));
    return opened.get(source);
  };
  const outputs = new Map();
  const constraints = {};
  for (const target of TARGETS) {
    const { tree, read } = open(target.source);
    const files = target.files(tree);
    if (files.length === 0) throw new Error(`no CRD files for ${label(target.source)}`);
    for (const file of files) {
      for (const crd of crdsIn(read(file))) {
        for (const version of crd.spec.versions) {
          const folder = version.served && target.folder(version.name);
          if (!folder) continue;
          const where = `${label(target.source)} ${file}`;
          const { relative, schema, data } = schemaOf(crd, version, folder, where);
          if (outputs.has(path.join('schemas', relative))) throw new Error(`two CRDs make ${relative}`);
          outputs.set(path.join('schemas', relative), `${JSON.stringify(schema, null, 2)}\n`);
          constraints[relative] = { source: where, fields: data };
        }
      }
    }
  }
  outputs.set(CONSTRAINTS, constraintsJson(constraints));
  outputs.set(SERVED, `${JSON.stringify(served(open), null, 2)}\n`);
  return outputs;
}

/** group → { source, standard/experimental (Gateway API) or served: version → kinds }. */
function served(open) {
  const groups = {};
  for (const { source, channel, files } of SERVED_SOURCES) {
    const { tree, read } = open(source);
    for (const file of files(tree)) {
      for (const crd of crdsIn(read(file))) {
        const entry = (groups[crd.spec.group] ??= { source: label(source) });
        if (entry.source !== label(source)) throw new Error(`${crd.spec.group} is defined by ${entry.source} and ${label(source)}`);
        const versions = (entry[channel ?? 'served'] ??= {});
        for (const version of crd.spec.versions) if (version.served) (versions[version.name] ??= []).push(crd.spec.names.kind);
      }
    }
  }
  const sorted = (object) => Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
  for (const entry of Object.values(groups)) {
    for (const key of ['standard', 'experimental', 'served']) {
      if (entry[key]) entry[key] = sorted(Object.fromEntries(Object.entries(entry[key]).map(([version, kinds]) => [version, kinds.sort()])));
    }
  }
  return sorted(groups);
}

/** One line per field: a new release's changes read as a diff of fields. */
function constraintsJson(constraints) {
  const entries = Object.entries(constraints)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, { source, fields }]) => {
      const lines = Object.entries(fields).map(([field, entry]) => `   ${JSON.stringify(field)}: ${JSON.stringify(entry)}`);
      return `  ${JSON.stringify(file)}: {"source": ${JSON.stringify(source)}, "fields": {\n${lines.join(',\n')}\n  }}`;
    });
  return `{\n "schemas": {\n${entries.join(',\n')}\n }\n}\n`;
}

function ownedFiles() {
  return OWNED.flatMap((dir) =>
    fs.existsSync(dir)
      ? fs
          .readdirSync(dir, { recursive: true })
          .map(String)
          .filter((f) => f.endsWith('.json'))
          .map((f) => path.join(dir, f))
      : [],
  );
}

/** The objects of examples/standard that the generated schemas refuse, one line each. */
function refusedExamples(outputs, options) {
  const Ajv = require('ajv').default;
  const { SCHEMA_COMPILE_OPTIONS } = require('../../out/server/src/engine/schemas.js');
  const { tree, read } = openSource(GATEWAY_API, options);
  const validators = new Map();
  const refused = [];
  let objects = 0;
  for (const file of tree.filter((f) => /^examples\/standard\/.*\.yaml$/.test(f))) {
    for (const doc of parseAllDocuments(read(file))) {
      const object = doc.toJS();
      const [group, version] = String(object?.apiVersion).split('/');
      if (group !== 'gateway.networking.k8s.io') continue;
      const schemaFile = path.join('schemas', 'gatewayapi', version, `${String(object.kind).toLowerCase()}.schema.json`);
      if (!validators.has(schemaFile)) {
        const text = outputs.get(schemaFile);
        validators.set(schemaFile, text && new Ajv(SCHEMA_COMPILE_OPTIONS).compile(JSON.parse(text)));
      }
      const validate = validators.get(schemaFile);
      objects++;
      if (!validate) refused.push(`${file}: ${object.apiVersion} ${object.kind} has no schema`);
      else if (!validate(object)) refused.push(`${file}: ${validate.errors.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
    }
  }
  if (objects < 50) refused.push(`only ${objects} example objects found`);
  return refused;
}

// --------------------------------------------------------------------------------------- main --

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
  for (const stale of ownedFiles()) if (!outputs.has(stale)) fs.rmSync(stale);
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
  for (const file of ownedFiles()) if (!outputs.has(file)) differing.push(`${file}: made from no CRD`);
  differing.push(...refusedExamples(outputs, options));
  for (const line of differing) console.log(line);
  console.log(`${differing.length} difference(s) in ${outputs.size} generated files`);
  process.exitCode = differing.length > 0 ? 1 : 0;
} else {
  throw new Error('usage: gateway-api-crds.mjs generate|check [--mirrors DIR] [--git owner/name=DIR]');
}
