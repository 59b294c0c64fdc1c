import * as path from 'node:path';
import { stringify } from 'yaml';
import { isRecord, ManifestObject } from '../../../manifest';
import { generationOf } from '../../../stages';
import { Labels, podLabelsOf, selects } from '../../../workloads';
import { MeshNode, MeshRoute, MeshRouter, MeshTree, rangeIn } from './model';
import { MigrationNote, MigrationTarget } from './report';

/** A generated document: a plain object written as YAML in the style of the examples. */
export function yamlDocument(value: Record<string, unknown>, comment?: string): string {
  const body = stringify(value, { lineWidth: 0 });
  return comment ? `${comment.replace(/^/gm, '# ')}\n${body}` : body;
}

/** What the migration writes for one App Mesh tree and target, before it becomes files. */
export class Rendering {
  readonly notes: MigrationNote[] = [];

  constructor(
    readonly tree: MeshTree,
    readonly target: MigrationTarget,
  ) {}

  note(object: ManifestObject, fieldPath: (string | number)[], severity: MigrationNote['severity'], message: string): void {
    const range = rangeIn(object, fieldPath);
    if (this.notes.some((n) => n.path === object.path && n.range.start.line === range.start.line && n.message === message)) return;
    this.notes.push({ path: object.path, range, severity, message });
  }

  /** The Service clients call for a router: the name of the App Mesh VirtualService it provides. */
  apexOf(router: MeshRouter): string {
    return this.tree.servicesByProvider.get(router.object.name)?.apex ?? router.object.name.replace(/-router$/, '');
  }

  /** The Service that is a version on the Gateway API: the one its DNS hostname names, or one named after the node. */
  versionServiceOf(node: string): string {
    return this.tree.nodes.get(node)?.serviceName ?? node;
  }

  /** The port a target is served on: its own, else the router's first listener's. */
  portOf(router: MeshRouter, target: { port: number | undefined }): number {
    return target.port ?? router.ports[0]?.port ?? 80;
  }

  /** The Lattice Gateway (service network): named after the mesh, else the directory. */
  get gatewayName(): string {
    return this.tree.meshName ?? path.basename(this.tree.dir);
  }

  /** The routes of a router in the target's kind, one document per router (several for mixed protocols). */
  routerDocuments(router: MeshRouter): string[] {
    return this.target === 'istio' ? [this.virtualService(router)] : this.gatewayRoutes(router);
  }

  /** On Lattice a route is a service of its own, named after it: the route takes the App Mesh service's name. */
  private routeName(router: MeshRouter): string {
    return this.target === 'lattice' ? this.apexOf(router) : router.object.name.replace(/-router$/, '') + '-route';
  }

  private gatewayRoutes(router: MeshRouter): string[] {
    const byKind = new Map<string, MeshRoute[]>();
    for (const route of router.routes) {
      const kind = route.protocol === 'grpc' ? 'GRPCRoute' : route.protocol === 'tcp' ? 'TCPRoute' : 'HTTPRoute';
      if (this.target === 'lattice' && kind === 'TCPRoute') {
        this.note(
          router.object,
          route.path,
          'warning',
          `VPC Lattice has no TCP routes (only HTTP, gRPC and TLS passthrough): route ${route.name ?? ''} is not migrated; its traffic needs another path.`,
        );
        continue;
      }
      byKind.set(kind, [...(byKind.get(kind) ?? []), route]);
    }
    const apex = this.apexOf(router);
    const docs: string[] = [];
    for (const [kind, routes] of byKind) {
      const name = byKind.size > 1 ? `${this.routeName(router)}-${kind.replace('Route', '').toLowerCase()}` : this.routeName(router);
      const port = router.ports[0]?.port ?? 80;
      const parentRefs =
        this.target === 'lattice'
          ? [{ name: this.gatewayName, sectionName: listenerName(router.ports[0]?.protocol ?? 'http', port) }]
          : [{ group: '', kind: 'Service', name: apex, port }];
      const rules = routes.map((route) => ({
        ...(route.name ? { name: route.name } : {}),
        ...this.gatewayMatches(router, route, kind),
        ...this.gatewayTimeouts(router, route, kind),
        backendRefs: route.targets.map((t) => ({ name: this.versionServiceOf(t.node), port: this.portOf(router, t), weight: t.weight })),
      }));
      if (routes.some((r) => r.priority !== undefined)) {
        const route = routes.find((r) => r.priority !== undefined)!;
        this.note(
          router.object,
          [...route.path.slice(0, -1), 'priority'],
          'warning',
          this.target === 'lattice'
            ? 'Route priorities do not carry over: Lattice orders rules by their index (or the annotation application-networking.k8s.aws/rule-{index}-priority). The rules are written in App Mesh order; check it.'
            : 'Route priorities do not carry over: the Gateway API orders matches by its own precedence rules (exact paths, then longer prefixes, …). Check that the order still gives each request the route you mean.',
        );
      }
      docs.push(yamlDocument({ apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata: { name }, spec: { parentRefs, rules } }));
    }
    return docs;
  }

  private gatewayMatches(router: MeshRouter, route: MeshRoute, kind: string): Record<string, unknown> {
    const match = isRecord(route.body.match) ? route.body.match : undefined;
    if (!match || kind === 'TCPRoute') return {};
    const at = [...route.path, 'match'];
    if (kind === 'GRPCRoute') {
      const method = typeof match.methodName === 'string' ? match.methodName : undefined;
      const service = typeof match.serviceName === 'string' ? match.serviceName : undefined;
      return service || method ? { matches: [{ method: { ...(service ? { service } : {}), ...(method ? { method } : {}) } }] } : {};
    }
    const result: Record<string, unknown> = {};
    if (typeof match.prefix === 'string') result.path = { type: 'PathPrefix', value: match.prefix };
    if (isRecord(match.path)) {
      if (typeof match.path.exact === 'string') result.path = { type: 'Exact', value: match.path.exact };
      else if (typeof match.path.regex === 'string') {
        if (this.target === 'lattice')
          this.note(
            router.object,
            [...at, 'path'],
            'warning',
            'VPC Lattice matches paths by Exact or PathPrefix only: this regex path is not migrated; the rule matches every path.',
          );
        else result.path = { type: 'RegularExpression', value: match.path.regex };
      }
    }
    if (typeof match.method === 'string') result.method = match.method;
    if (Array.isArray(match.headers)) {
      const headers = match.headers.flatMap((h) => {
        if (!isRecord(h) || typeof h.name !== 'string') return [];
        const m = isRecord(h.match) ? h.match : {};
        if (typeof m.exact === 'string') return [{ name: h.name, value: m.exact }];
        if (typeof m.regex === 'string' && this.target !== 'lattice') return [{ type: 'RegularExpression', name: h.name, value: m.regex }];
        this.note(
          router.object,
          [...at, 'headers'],
          'warning',
          `Header match ${h.name}: only exact${this.target === 'lattice' ? '' : ' and regex'} header matches carry over (${Object.keys(m).join(', ') || 'presence'} does not); it is left out, so the rule matches more requests.`,
        );
        return [];
      });
      if (headers.length > 0) result.headers = headers;
      // The Lattice controller refuses a rule with more than five header matches (LATTICE_EXCEED_MAX_HEADER_MATCHES): the whole route fails.
      if (this.target === 'lattice' && headers.length > 5) {
        this.note(
          router.object,
          [...at, 'headers'],
          'warning',
          `VPC Lattice takes at most 5 header matches a rule; this one has ${headers.length}, so the route would fail: split it into rules of 5 or fewer.`,
        );
      }
    }
    if (Array.isArray(match.queryParameters)) {
      if (this.target === 'lattice')
        this.note(
          router.object,
          [...at, 'queryParameters'],
          'warning',
          'VPC Lattice has no query-parameter matches: they are left out, so the rule matches more requests.',
        );
      else {
        result.queryParams = match.queryParameters.flatMap((q) =>
          isRecord(q) && typeof q.name === 'string' && isRecord(q.match) && typeof q.match.exact === 'string' ? [{ name: q.name, value: q.match.exact }] : [],
        );
      }
    }
    if (match.scheme !== undefined)
      this.note(router.object, [...at, 'scheme'], 'warning', 'Matches on the scheme do not carry over: the Gateway API has no such match.');
    return Object.keys(result).length > 0 ? { matches: [result] } : {};
  }

  private gatewayTimeouts(router: MeshRouter, route: MeshRoute, kind: string): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    if (isRecord(route.body.retryPolicy)) {
      this.note(
        router.object,
        [...route.path, 'retryPolicy'],
        'warning',
        this.target === 'lattice'
          ? 'Retries do not carry over: the AWS Gateway API Controller configures none on Lattice.'
          : "Retries do not carry over: the Gateway API's `retry` is in its experimental channel only; configure retries in the mesh (Istio, Linkerd) instead.",
      );
    }
    const timeout = isRecord(route.body.timeout) ? route.body.timeout : undefined;
    if (timeout) {
      const perRequest = isRecord(timeout.perRequest) ? duration(timeout.perRequest) : undefined;
      if (this.target === 'lattice' || kind !== 'HTTPRoute' || !perRequest) {
        this.note(
          router.object,
          [...route.path, 'timeout'],
          'warning',
          this.target === 'lattice'
            ? 'Timeouts do not carry over: the AWS Gateway API Controller configures none on Lattice.'
            : 'This timeout does not carry over (only an HTTP per-request timeout does).',
        );
      } else result.timeouts = { request: perRequest };
      if (isRecord(timeout.idle))
        this.note(router.object, [...route.path, 'timeout', 'idle'], 'warning', 'Idle timeouts do not carry over: the Gateway API has none.');
    }
    return result;
  }

  private virtualService(router: MeshRouter): string {
    const apex = this.apexOf(router);
    const lists: Record<string, unknown[]> = { http: [], tcp: [] };
    // Istio applies the first rule that matches: App Mesh's priorities (0 first, none last) become the order.
    const byPriority = [...router.routes].sort((a, b) => (a.priority ?? Infinity) - (b.priority ?? Infinity));
    for (const route of byPriority) {
      const destinations = route.targets.map((t) => ({
        destination: { host: apex, subset: this.subsetOf(t.node), ...(router.ports.length > 1 ? { port: { number: this.portOf(router, t) } } : {}) },
        weight: t.weight,
      }));
      if (route.protocol === 'tcp') {
        lists.tcp.push({ route: destinations });
        continue;
      }
      const entry: Record<string, unknown> = { ...(route.name ? { name: route.name } : {}) };
      const match = this.istioMatch(router, route);
      if (match) entry.match = [match];
      entry.route = destinations;
      const timeout = isRecord(route.body.timeout) && isRecord(route.body.timeout.perRequest) ? duration(route.body.timeout.perRequest) : undefined;
      if (timeout) entry.timeout = timeout;
      const retry = isRecord(route.body.retryPolicy) ? route.body.retryPolicy : undefined;
      if (retry) {
        const events = [
          ...(Array.isArray(retry.httpRetryEvents) ? retry.httpRetryEvents : []),
          ...(Array.isArray(retry.tcpRetryEvents) ? retry.tcpRetryEvents : []),
        ];
        entry.retries = {
          attempts: typeof retry.maxRetries === 'number' ? retry.maxRetries : 1,
          ...(isRecord(retry.perRetryTimeout) && duration(retry.perRetryTimeout) ? { perTryTimeout: duration(retry.perRetryTimeout) } : {}),
          ...(events.length > 0 ? { retryOn: events.map(String).join(',') } : {}),
        };
      }
      if (route.priority !== undefined) {
        this.note(
          router.object,
          [...route.path.slice(0, -1), 'priority'],
          'warning',
          'Route priorities become the order of `http` rules (Istio applies the first that matches): the rules are written by priority; check that order.',
        );
      }
      lists.http.push(entry);
    }
    const spec: Record<string, unknown> = { hosts: [apex] };
    if (lists.http.length > 0) spec.http = lists.http;
    if (lists.tcp.length > 0) spec.tcp = lists.tcp;
    return yamlDocument({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: apex }, spec });
  }

  private istioMatch(router: MeshRouter, route: MeshRoute): Record<string, unknown> | undefined {
    const match = isRecord(route.body.match) ? route.body.match : undefined;
    if (!match) return undefined;
    const result: Record<string, unknown> = {};
    if (typeof match.prefix === 'string') result.uri = { prefix: match.prefix };
    if (isRecord(match.path)) {
      if (typeof match.path.exact === 'string') result.uri = { exact: match.path.exact };
      if (typeof match.path.regex === 'string') result.uri = { regex: match.path.regex };
    }
    if (typeof match.method === 'string') result.method = { exact: match.method };
    if (typeof match.scheme === 'string') result.scheme = { exact: match.scheme };
    if (Array.isArray(match.headers)) {
      const headers: Record<string, unknown> = {};
      for (const h of match.headers) {
        if (!isRecord(h) || typeof h.name !== 'string' || !isRecord(h.match)) continue;
        const m = h.match;
        if (typeof m.exact === 'string') headers[h.name] = { exact: m.exact };
        else if (typeof m.prefix === 'string') headers[h.name] = { prefix: m.prefix };
        else if (typeof m.regex === 'string') headers[h.name] = { regex: m.regex };
        else
          this.note(
            router.object,
            [...route.path, 'match', 'headers'],
            'warning',
            `Header match ${h.name}: ${Object.keys(m).join(', ')} does not carry over (Istio matches exact, prefix or regex); it is left out.`,
          );
      }
      if (Object.keys(headers).length > 0) result.headers = headers;
    }
    if (Array.isArray(match.queryParameters)) {
      const params: Record<string, unknown> = {};
      for (const q of match.queryParameters)
        if (isRecord(q) && typeof q.name === 'string' && isRecord(q.match) && typeof q.match.exact === 'string') params[q.name] = { exact: q.match.exact };
      if (Object.keys(params).length > 0) result.queryParams = params;
    }
    return Object.keys(result).length > 0 ? result : undefined;
  }

  /** The DestinationRule subset of a version: its generation ("v2"), unless two versions share one. */
  subsetOf(node: string): string {
    return generationOf(node);
  }

  /** What replaces a VirtualNode in its file: a Service for it when none exists, and for Lattice its TargetGroupPolicy. */
  versionDocuments(node: MeshNode, fileHasService: boolean): string[] {
    const docs: string[] = [];
    if (this.target === 'istio') {
      // App Mesh counts a version as there when its VirtualNode is; an Istio subset needs pods to send them to.
      const runs = this.tree.files.some((f) => f.docs.some((d) => d.object && runsPodsOf(node.labels, podLabelsOf(d.object))));
      if (!runs)
        this.note(
          node.object,
          ['spec', 'podSelector'],
          'warning',
          `No workload in this tree runs pods with ${
            Object.entries(node.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ') || 'these labels'
          }: subset ${this.subsetOf(node.object.name)} of the migrated DestinationRule has no endpoints until one does (requests to it get HTTP 503).`,
        );
      return docs;
    }
    const serviceName = this.versionServiceOf(node.object.name);
    if (!fileHasService && !this.tree.coreServices.has(serviceName)) {
      docs.push(
        yamlDocument(
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: serviceName },
            spec: { selector: node.labels, ports: node.listeners.map((l) => ({ name: `${l.protocol}-${l.port}`, port: l.port, targetPort: l.port })) },
          },
          `The version's own Service, from VirtualNode ${node.object.name}'s pod selector and listeners: routes split traffic between such Services.`,
        ),
      );
    }
    if (this.target === 'lattice') {
      const listener = node.listeners.find((l) => l.healthCheck);
      const check = listener?.healthCheck;
      if (listener && check) {
        const seconds = (ms: unknown): number | undefined => (typeof ms === 'number' ? Math.max(1, Math.round(ms / 1000)) : undefined);
        const healthCheck: Record<string, unknown> = { enabled: true };
        if (seconds(check.intervalMillis) !== undefined) healthCheck.intervalSeconds = Math.min(300, Math.max(5, seconds(check.intervalMillis)!));
        if (seconds(check.timeoutMillis) !== undefined) healthCheck.timeoutSeconds = Math.min(120, seconds(check.timeoutMillis)!);
        if (typeof check.healthyThreshold === 'number') healthCheck.healthyThresholdCount = Math.min(10, Math.max(2, check.healthyThreshold));
        if (typeof check.unhealthyThreshold === 'number') healthCheck.unhealthyThresholdCount = Math.min(10, Math.max(2, check.unhealthyThreshold));
        if (typeof check.path === 'string') healthCheck.path = check.path;
        if (typeof check.port === 'number') healthCheck.port = check.port;
        const protocol = String(check.protocol ?? 'http').toLowerCase();
        if (protocol === 'http' || protocol === 'http2') {
          healthCheck.protocol = 'HTTP';
          healthCheck.protocolVersion = protocol === 'http2' ? 'HTTP2' : 'HTTP1';
        } else {
          this.note(
            node.object,
            ['spec', 'listeners', listener.index, 'healthCheck', 'protocol'],
            'warning',
            `A ${protocol} health check does not carry over: Lattice checks over HTTP or HTTPS only.`,
          );
        }
        docs.push(
          yamlDocument(
            {
              apiVersion: 'application-networking.k8s.aws/v1alpha1',
              kind: 'TargetGroupPolicy',
              metadata: { name: serviceName },
              spec: {
                targetRef: { group: '', kind: 'Service', name: serviceName },
                protocol: 'HTTP',
                protocolVersion: listener.protocol === 'http2' || listener.protocol === 'grpc' ? 'HTTP2' : 'HTTP1',
                healthCheck,
              },
            },
            `VirtualNode ${node.object.name}'s health check, for the target group of its Service.`,
          ),
        );
      }
    }
    for (const listener of node.listeners) {
      for (const key of ['outlierDetection', 'connectionPool'] as const) {
        if (listener.listener[key] !== undefined) {
          this.note(
            node.object,
            ['spec', 'listeners', listener.index, key],
            'warning',
            `${key === 'outlierDetection' ? 'Outlier detection' : 'Connection pools'} do not carry over: ${this.target === 'lattice' ? 'Lattice has none' : 'the Gateway API core has none; Istio and Linkerd configure it in their own objects'}.`,
          );
        }
      }
    }
    return docs;
  }
}

/** An App Mesh duration ({unit: ms|s, value}) as the Gateway API and Istio write one ("15s", "500ms"). */
export function duration(value: Record<string, unknown>): string | undefined {
  if (typeof value.value !== 'number' || (value.unit !== 'ms' && value.unit !== 's')) return undefined;
  return `${value.value}${value.unit}`;
}

/** A Gateway listener's name for a port: "http-9080". */
export function listenerName(protocol: string, port: number): string {
  return `${protocol === 'grpc' || protocol === 'http2' ? 'https' : 'http'}-${port}`;
}

/** Whether a workload's pods carry every label of a VirtualNode's pod selector (an empty selector selects nothing here). */
function runsPodsOf(selector: Record<string, string>, labels: Labels | undefined): boolean {
  return labels !== undefined && Object.keys(selector).length > 0 && selects(new Map(Object.entries(selector)), labels);
}
