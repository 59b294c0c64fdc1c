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
// What a schema carries from its CRD, and what it leaves out: see scripts/schemas/crd-schemas.mjs.
// The descriptions are ours, written below for the fields people write.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { constraintsJson, crdsIn, label, main, openSource, schemaOf } from './crd-schemas.mjs';

const require = createRequire(import.meta.url);

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
          const { relative, schema, data } = schemaOf(crd, version, folder, where, {
            script: 'scripts/schemas/gateway-api-crds.mjs',
            kindDescriptions: KIND_DESCRIPTIONS,
            describe,
          });
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

main({ usage: 'gateway-api-crds.mjs generate|check [--mirrors DIR] [--git owner/name=DIR]', owned: OWNED, generate, refused: refusedExamples });
