// Generates the JSON Schemas of the Istio dialect from Istio's published CRDs, and the data that
// holds them to those CRDs.
//
//   node scripts/schemas/istio-crds.mjs generate [--mirrors DIR] [--git istio/istio=GITDIR]
//       reads manifests/charts/base/files/crd-all.gen.yaml with `git show <commit>:<file>` and writes
//         schemas/istio/v1/, v1beta1/, v1alpha3/              (the schemas)
//         scripts/schemas/istio-crd-constraints.json         (their constraints, per field, no prose)
//         scripts/schemas/istio-served.json                  (group → version → kinds served)
//   node scripts/schemas/istio-crds.mjs check [same options]
//       generates the same in memory and prints every file that differs from what is committed, and
//       every networking.istio.io object of Istio's own samples (samples/ at the tag) that the generated
//       schemas refuse, compiled as the product compiles them (after `npx tsc -b`); exits 1 if there is either.
//
// A source is a git directory: GITDIR from --git, else DIR/istio+istio/repo (a `fetch` mirror).
// What a schema carries from its CRD, and what it leaves out: see scripts/schemas/crd-schemas.mjs.
//
// How Istio's CRDs come across:
// - x-kubernetes-preserve-unknown-fields is set only on `status` in these kinds; our schemas replace
//   status with an open object anyway, so every object under spec is closed (`additionalProperties:
//   false`), as the API server prunes it.
// - `oneOf` marks mutually exclusive fields (a StringMatch's exact/prefix/regex, a loadBalancer's
//   simple/consistentHash, a fault's httpStatus/grpcStatus/http2Error): one branch that none of them
//   is set, one per field that it is. Carried as written; ajv then refuses two of them together.
// - `format` (int32, double, byte, date-time) is dropped: the API server checks no numeric format, and
//   ajv here knows none. So a route's `weight` (format int32) has no minimum and no maximum, as in
//   the CRD: Istio's validation, not the schema, refuses a negative weight.
// - `nullable: true` is carried (ajv reads it); x-kubernetes-validations (CEL: durations, port ranges,
//   mutual exclusions of ServiceEntry and Gateway TLS fields) are left to the dialect's rules.
// The CRD gives every served version (v1, v1beta1, v1alpha3) the same schema; each gets its file.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { constraintsJson, crdsIn, label, main, openSource, schemaOf } from './crd-schemas.mjs';

const require = createRequire(import.meta.url);

const CONSTRAINTS = path.join('scripts', 'schemas', 'istio-crd-constraints.json');
const SERVED = path.join('scripts', 'schemas', 'istio-served.json');
const OWNED = [path.join('schemas', 'istio')];
const SCRIPT = 'scripts/schemas/istio-crds.mjs';

// The newest stable tag in the mirror when this was written (1.30.x; 1.28 and 1.29 are older lines).
const ISTIO = { repo: 'istio/istio', tag: '1.30.3', commit: '56df41f63e513f834c9a3af33d8aed82d1d961f2' };
const CRD_FILE = 'manifests/charts/base/files/crd-all.gen.yaml';
const GROUP = 'networking.istio.io';
/** The kinds that get schemas; the group's others (EnvoyFilter, ProxyConfig, WorkloadGroup) do not yet. */
const KINDS = ['VirtualService', 'DestinationRule', 'ServiceEntry', 'Gateway', 'Sidecar', 'WorkloadEntry'];
const folder = (version) => `istio/${version}`;

// ------------------------------------------------------------------------------ descriptions --

/** One line per kind: what the object is, in our words. */
const KIND_DESCRIPTIONS = {
  [`${GROUP}/VirtualService`]: 'Istio routing for hosts: matches HTTP, TCP and TLS traffic and sends it to destinations, split by weight.',
  [`${GROUP}/DestinationRule`]: 'Istio policies for one host: subsets by labels, load balancing, connection limits, outlier detection and TLS.',
  [`${GROUP}/ServiceEntry`]: 'Adds a service to Istio’s registry: the hosts, ports and endpoints of something outside (or inside) the mesh.',
  [`${GROUP}/Gateway`]: 'An Istio gateway: ports, protocols and hosts that the selected gateway pods listen on; VirtualServices route its traffic.',
  [`${GROUP}/Sidecar`]: 'Shapes the sidecar proxies of a namespace or of some workloads: which hosts they reach and how they listen.',
  [`${GROUP}/WorkloadEntry`]: 'A workload outside Kubernetes (a VM, say) with its address and labels, as an endpoint of mesh services.',
};

const HOST = 'Service host. A name without dots is a Service in this object’s namespace; any other name is taken as written, so give it in full.';
const MATCH = 'Conditions of the route: any one selects the traffic; every field of one must hold.';
const STRING_MATCH = (what) => `${what}: exact, prefix or regex (one of them).`;
const TRAFFIC_POLICY = '(?:trafficPolicy|trafficPolicy\\.portLevelSettings\\[\\])';

/** Our descriptions of the fields people write, per kind and field path; first match wins. */
const FIELD_DESCRIPTIONS = {
  VirtualService: [
    [/^spec\.hosts$/, 'Hosts these routes apply to: DNS names (a name without dots is a Service of this namespace), wildcards or IPs.'],
    [/^spec\.gateways$/, 'Gateways whose traffic these routes take, as namespace/name, and `mesh` for the sidecars; only `mesh` when omitted.'],
    [/^spec\.http$/, 'HTTP routes, tried in order: the first that matches a request takes it.'],
    [/^spec\.tcp$/, 'Routes for opaque TCP traffic, tried in order: the first that matches a connection takes it.'],
    [/^spec\.tls$/, 'Routes for TLS traffic passed through unterminated, matched by SNI, tried in order.'],
    [/^spec\.http\[\]\.name$/, 'Name of the route, shown in access logs and stats.'],
    [/^spec\.(http|tcp|tls)\[\]\.match$/, MATCH],
    [/^spec\.http\[\]\.match\[\]\.uri$/, STRING_MATCH('Request path match')],
    [/^spec\.http\[\]\.match\[\]\.(headers|withoutHeaders)$/, 'Header conditions by header name; each value an exact, prefix or regex match.'],
    [/^spec\.http\[\]\.match\[\]\.queryParams$/, 'Query parameter conditions by name; each value an exact, prefix or regex match.'],
    [/^spec\.http\[\]\.match\[\]\.(method|authority|scheme)$/, STRING_MATCH('Match of the request’s method, authority or scheme')],
    [/^spec\.(http|tcp|tls)\[\]\.match\[\]\.port$/, 'Port the traffic is addressed to: a Service port, or a gateway listener’s port.'],
    [/^spec\.(http|tcp|tls)\[\]\.match\[\]\.gateways$/, 'Gateways this condition applies to, instead of the VirtualService’s own gateways.'],
    [/^spec\.(http|tcp|tls)\[\]\.match\[\]\.sourceLabels$/, 'Labels of the client workloads this condition applies to.'],
    [/^spec\.tls\[\]\.match\[\]\.sniHosts$/, 'SNI names of the connection to match (wildcards allowed).'],
    [/^spec\.(http|tcp|tls)\[\]\.route$/, 'Destinations of the matching traffic; with several, each gets its weight’s share.'],
    [/\.destination$/, 'Where the traffic goes: a host, and optionally a subset of it and a port.'],
    [/(\.destination|\.mirror)\.host$/, HOST],
    [/(\.destination|\.mirror)\.subset$/, 'Subset to send to, by its name in the host’s DestinationRule.'],
    [/(\.destination|\.mirror)\.port$/, 'Port of the destination Service; needed when the Service has more than one.'],
    [/(\.destination|\.mirror)\.port\.number$/, 'Port number of the Service (its port, not its targetPort).'],
    [
      /^spec\.(http|tcp|tls)\[\]\.route\[\]\.weight$/,
      'Share of the traffic: weight / (sum of the weights); 0 when omitted. Ignored when the route has one destination.',
    ],
    [/^spec\.http\[\]\.route\[\]\.headers$/, 'Header changes for the requests and responses of this destination only.'],
    [/^spec\.http\[\]\.headers$/, 'Header changes for the requests and responses of this route.'],
    [/^spec\.http\[\]\.timeout$/, 'Timeout of a request, as a duration (5s, 250ms); none when omitted.'],
    [/^spec\.http\[\]\.retries$/, 'Retry policy: attempts, the timeout of each try and the conditions to retry on.'],
    [/^spec\.http\[\]\.retries\.attempts$/, 'How many times to retry a request.'],
    [/^spec\.http\[\]\.retries\.perTryTimeout$/, 'Timeout of each try, as a duration.'],
    [/^spec\.http\[\]\.retries\.retryOn$/, 'Conditions to retry on, comma-separated (5xx, gateway-error, connect-failure, retriable-4xx, …).'],
    [/^spec\.http\[\]\.fault$/, 'Faults injected into matching requests: delays and aborts, each for a share of the requests.'],
    [/^spec\.http\[\]\.fault\.delay$/, 'Delays a share of the requests by fixedDelay.'],
    [/^spec\.http\[\]\.fault\.abort$/, 'Answers a share of the requests with an error: httpStatus, grpcStatus or http2Error (one of them).'],
    [/\.percentage$/, 'Share of the requests affected, in percent (fractions allowed).'],
    [/^spec\.http\[\]\.mirror$/, 'Sends a copy of each matching request to this destination too; its responses are dropped.'],
    [/^spec\.http\[\]\.mirrorPercentage$/, 'Share of the requests copied to mirror, in percent; all of them when omitted.'],
    [/^spec\.http\[\]\.mirrors$/, 'Destinations that get a copy of the matching requests, each for a percentage of them.'],
    [/^spec\.http\[\]\.rewrite$/, 'Rewrites the path (uri) or the Host header (authority) before forwarding.'],
    [/^spec\.http\[\]\.redirect$/, 'Answers matching requests with a redirect instead of forwarding them.'],
    [/^spec\.http\[\]\.directResponse$/, 'Answers matching requests with a fixed status and body instead of forwarding them.'],
    [/^spec\.http\[\]\.corsPolicy$/, 'CORS policy of the route.'],
    [/^spec\.http\[\]\.delegate$/, 'Hands the route to another VirtualService (name, namespace), which must have no hosts of its own.'],
  ],
  DestinationRule: [
    [/^spec\.host$/, HOST],
    [/^spec\.subsets$/, 'Named subsets of the host’s endpoints, by labels; VirtualService destinations pick one by name.'],
    [/^spec\.subsets\[\]\.name$/, 'Name of the subset, as destination.subset refers to it.'],
    [/^spec\.subsets\[\]\.labels$/, 'Labels the endpoints of the subset carry (the pods’ labels).'],
    [/^spec\.subsets\[\]\.trafficPolicy$/, 'Traffic policy of this subset, replacing the rule’s own for it.'],
    [/^spec\.trafficPolicy$/, 'Traffic policy of the host: load balancing, connection pool, outlier detection and TLS.'],
    [new RegExp(`${TRAFFIC_POLICY}\\.loadBalancer$`), 'Load balancing: an algorithm (simple) or consistent hashing (consistentHash), not both.'],
    [new RegExp(`${TRAFFIC_POLICY}\\.loadBalancer\\.simple$`), 'Load-balancing algorithm.'],
    [new RegExp(`${TRAFFIC_POLICY}\\.connectionPool$`), 'Limits on the connections and requests to each endpoint (tcp, http).'],
    [new RegExp(`${TRAFFIC_POLICY}\\.outlierDetection$`), 'Ejects endpoints that keep failing from the pool for a while.'],
    [new RegExp(`${TRAFFIC_POLICY}\\.tls$`), 'TLS of the connections to the host: mode (DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL) and certificates.'],
    [/trafficPolicy\.portLevelSettings$/, 'Traffic policies of single ports, replacing the policy’s own for those ports.'],
  ],
  ServiceEntry: [
    [/^spec\.hosts$/, 'Host names of the service, matched against the Host header (HTTP) or SNI (TLS) of outgoing traffic.'],
    [/^spec\.addresses$/, 'Virtual IPs or CIDR ranges of the service.'],
    [/^spec\.ports$/, 'Ports of the service, each with a number, protocol and name.'],
    [/^spec\.ports\[\]\.number$/, 'Port number the service is reached on.'],
    [/^spec\.ports\[\]\.protocol$/, 'Protocol on the port: HTTP, HTTPS, GRPC, HTTP2, MONGO, TCP or TLS.'],
    [/^spec\.ports\[\]\.name$/, 'Name of the port, unique in the entry.'],
    [/^spec\.ports\[\]\.targetPort$/, 'Port of the endpoints that traffic is sent to, when it differs from number.'],
    [/^spec\.location$/, 'MESH_EXTERNAL for a service outside the mesh, MESH_INTERNAL for one that is part of it.'],
    [/^spec\.resolution$/, 'How endpoints are found: NONE (the address asked for), STATIC (the endpoints), DNS or DNS_ROUND_ROBIN.'],
    [/^spec\.endpoints$/, 'Endpoints of the service, for STATIC or DNS resolution.'],
    [/^spec\.workloadSelector$/, 'Pods and WorkloadEntries that serve this entry, by labels (instead of endpoints).'],
  ],
  Gateway: [
    [/^spec\.selector$/, 'Labels of the gateway pods that take this configuration.'],
    [/^spec\.servers$/, 'Listeners of the gateway: a port, the hosts served on it and TLS settings.'],
    [/^spec\.servers\[\]\.port$/, 'Port the gateway listens on.'],
    [/^spec\.servers\[\]\.port\.number$/, 'Port number the gateway pods listen on.'],
    [/^spec\.servers\[\]\.port\.protocol$/, 'Protocol on the port: HTTP, HTTPS, GRPC, GRPC-WEB, HTTP2, MONGO, TCP or TLS.'],
    [/^spec\.servers\[\]\.port\.name$/, 'Name of the port.'],
    [/^spec\.servers\[\]\.hosts$/, 'Hosts served on this port; namespace/host takes only that namespace’s VirtualServices for it.'],
    [/^spec\.servers\[\]\.tls$/, 'TLS of the port: mode (SIMPLE, MUTUAL, PASSTHROUGH, …) and certificate.'],
    [/^spec\.servers\[\]\.tls\.credentialName$/, 'Name of the Secret with the certificate and key, in the gateway pods’ namespace.'],
    [/^spec\.servers\[\]\.tls\.httpsRedirect$/, 'Redirects plain HTTP requests on this port to HTTPS.'],
  ],
  Sidecar: [
    [/^spec\.egress$/, 'Outbound traffic of the sidecars: the hosts they can reach.'],
    [/^spec\.egress\[\]\.hosts$/, 'Hosts the sidecars can reach, as namespace/host (./ for this namespace, */ for any).'],
    [/^spec\.ingress$/, 'Inbound listeners of the sidecars: a port and where to forward its traffic.'],
    [/^spec\.outboundTrafficPolicy$/, 'What happens to traffic to hosts the mesh does not know: ALLOW_ANY or REGISTRY_ONLY.'],
  ],
  WorkloadEntry: [
    [/^spec\.address$/, 'Address of the workload: an IP, a DNS name or a unix:// socket.'],
    [/^spec\.labels$/, 'Labels of the workload, as Service and ServiceEntry selectors match them.'],
    [/^spec\.ports$/, 'Port numbers of the workload, by the names of the service ports they serve.'],
    [/^spec\.weight$/, 'Share of its services’ traffic this endpoint gets, relative to their other endpoints.'],
    [/^spec\.serviceAccount$/, 'Service account the workload runs as.'],
  ],
  common: [
    [/^spec\.exportTo$/, 'Namespaces that see this object: "." for its own, "*" for all; all when omitted.'],
    [/^spec\.workloadSelector$/, 'Workloads this applies to, by labels; all of the namespace’s when omitted.'],
    [/^spec\.workloadSelector\.(labels|matchLabels)$/, 'Labels the workloads must carry.'],
  ],
};

function describer(kind) {
  const entries = [...FIELD_DESCRIPTIONS[kind], ...FIELD_DESCRIPTIONS.common];
  return (fieldPath) => entries.find(([pattern]) => pattern.test(fieldPath))?.[1];
}

// -------------------------------------------------------------------------------- generation --

/** Everything the script writes, as file path → text. */
function generate(options) {
  const { read } = openSource(ISTIO, options);
  const crds = crdsIn(read(CRD_FILE));
  const where = `${label(ISTIO)} ${CRD_FILE}`;
  const outputs = new Map();
  const constraints = {};
  for (const kind of KINDS) {
    const crd = crds.find((c) => c.spec.group === GROUP && c.spec.names.kind === kind);
    if (!crd) throw new Error(`no CRD of ${GROUP}/${kind} in ${where}`);
    for (const version of crd.spec.versions) {
      if (!version.served) continue;
      const { relative, schema, data } = schemaOf(crd, version, folder(version.name), where, {
        script: SCRIPT,
        kindDescriptions: KIND_DESCRIPTIONS,
        describe: describer(kind),
      });
      outputs.set(path.join('schemas', relative), `${JSON.stringify(schema, null, 2)}\n`);
      constraints[relative] = { source: where, fields: data };
    }
  }
  outputs.set(CONSTRAINTS, constraintsJson(constraints));
  outputs.set(SERVED, `${JSON.stringify(served(crds), null, 2)}\n`);
  return outputs;
}

/** group → { source, served: version → kinds }, for every group of the file. */
function served(crds) {
  const groups = {};
  for (const crd of crds) {
    const versions = ((groups[crd.spec.group] ??= { source: label(ISTIO), served: {} }).served ??= {});
    for (const version of crd.spec.versions) if (version.served) (versions[version.name] ??= []).push(crd.spec.names.kind);
  }
  const sorted = (object) => Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
  for (const entry of Object.values(groups)) entry.served = sorted(Object.fromEntries(Object.entries(entry.served).map(([v, kinds]) => [v, kinds.sort()])));
  return sorted(groups);
}

/** The objects of Istio's samples, of the kinds we have schemas for, that the generated schemas refuse. */
function refusedSamples(outputs, options) {
  const Ajv = require('ajv').default;
  const { SCHEMA_COMPILE_OPTIONS } = require('../../out/server/src/engine/schemas.js');
  const { tree, read } = openSource(ISTIO, options);
  const validators = new Map();
  const refused = [];
  let objects = 0;
  for (const file of tree.filter((f) => /^samples\/.*\.ya?ml$/.test(f))) {
    const text = read(file);
    if (!text.includes(GROUP)) continue;
    for (const doc of parseAllDocuments(text)) {
      const object = doc.toJS();
      const [group, version] = String(object?.apiVersion).split('/');
      if (group !== GROUP || !KINDS.includes(object.kind)) continue;
      const schemaFile = path.join('schemas', folder(version), `${String(object.kind).toLowerCase()}.schema.json`);
      if (!validators.has(schemaFile)) {
        const schema = outputs.get(schemaFile);
        validators.set(schemaFile, schema && new Ajv(SCHEMA_COMPILE_OPTIONS).compile(JSON.parse(schema)));
      }
      const validate = validators.get(schemaFile);
      objects++;
      if (!validate) refused.push(`${file}: ${object.apiVersion} ${object.kind} has no schema`);
      else if (!validate(object)) refused.push(`${file}: ${validate.errors.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
    }
  }
  if (objects < 40) refused.push(`only ${objects} sample objects found`);
  return refused;
}

main({ usage: 'istio-crds.mjs generate|check [--mirrors DIR] [--git istio/istio=DIR]', owned: OWNED, generate, refused: refusedSamples });
