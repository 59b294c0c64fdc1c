import { routeIsOnLattice } from '../../lattice';
import { BuiltObject } from '../../../../build';
import { isRecord } from '../../../../manifest';
import { BuildRule, Finding } from '../../../../rules/rule';
import { Range } from '../../../../text';
import { isMap, isSeq, nodeAt, rangeOfNode } from '../../../../yaml';
import { routeTitle, runningRoutes } from './objects';
import { ParentRef, parentsOf } from './parents';

/** The route kinds whose rules match requests, and how one of their matches reads as a key. */
const MATCH_KEYS: Readonly<Record<string, (match: Record<string, unknown>) => string | undefined>> = {
  HTTPRoute: httpMatchKey,
  GRPCRoute: grpcMatchKey,
};

/** Headers or query parameters as a sorted list, with the CRDs' default type; header names are case-insensitive. */
function pairs(value: unknown, lowerNames: boolean): string[] | undefined {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return undefined;
  const found: string[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.name !== 'string') return undefined;
    const name = lowerNames ? item.name.toLowerCase() : item.name;
    found.push(JSON.stringify([typeof item.type === 'string' ? item.type : 'Exact', name, String(item.value)]));
  }
  return found.sort();
}

/** An HTTPRoute match with the CRDs' defaults filled in: a path prefix of "/", Exact headers and query parameters. */
function httpMatchKey(match: Record<string, unknown>): string | undefined {
  const matchPath = match.path === undefined ? {} : match.path;
  if (!isRecord(matchPath)) return undefined;
  const headers = pairs(match.headers, true);
  const query = pairs(match.queryParams, false);
  if (!headers || !query) return undefined;
  const type = typeof matchPath.type === 'string' ? matchPath.type : 'PathPrefix';
  const value = typeof matchPath.value === 'string' ? matchPath.value : '/';
  return JSON.stringify([type, value, typeof match.method === 'string' ? match.method : '', headers, query]);
}

/** A GRPCRoute match with the CRDs' defaults filled in: any service and method, Exact by default. */
function grpcMatchKey(match: Record<string, unknown>): string | undefined {
  const method = match.method === undefined ? {} : match.method;
  if (!isRecord(method)) return undefined;
  const headers = pairs(match.headers, true);
  if (!headers) return undefined;
  const type = typeof method.type === 'string' ? method.type : 'Exact';
  return JSON.stringify([type, String(method.service ?? ''), String(method.method ?? ''), headers]);
}

/** "PathPrefix /", "GET PathPrefix /api, 2 headers": a match as messages name it. */
function describeMatch(kind: string, key: string): string {
  const parsed = JSON.parse(key) as unknown[];
  if (kind === 'GRPCRoute') {
    const [, service, method, headers] = parsed as [string, string, string, string[]];
    const parts = [service || method ? `${service || '*'}/${method || '*'}` : 'every method', ...(headers.length > 0 ? [`${headers.length} header(s)`] : [])];
    return parts.join(', ');
  }
  const [type, value, method, headers, query] = parsed as [string, string, string, string[], string[]];
  const parts = [`${method ? `${method} ` : ''}${type} ${value}`];
  if (headers.length > 0) parts.push(`${headers.length} header(s)`);
  if (query.length > 0) parts.push(`${query.length} query parameter(s)`);
  return parts.join(', ');
}

interface RouteMatches {
  built: BuiltObject;
  /** `{namespace}/{name}`, the order that settles ties between routes when creation times are unknown. */
  order: string;
  parents: ParentRef[];
  /** Hostnames as written; empty for every hostname. */
  hostnames: string[];
  /** Each match's key, with where it is written (the first of equal ones). */
  matches: Map<string, Range>;
}

function readRoute(built: BuiltObject): RouteMatches | undefined {
  const keyOf = MATCH_KEYS[built.kind];
  const spec = built.source.value.spec;
  if (!keyOf || !isRecord(spec)) return undefined;
  const hostnames = spec.hostnames === undefined ? [] : spec.hostnames;
  if (!Array.isArray(hostnames) || !hostnames.every((h) => typeof h === 'string')) return undefined;
  const matches = new Map<string, Range>();
  const rules = nodeAt(built.source.doc.contents, ['spec', 'rules']);
  const ruleValues = Array.isArray(spec.rules) ? spec.rules : [];
  if (isSeq(rules)) {
    rules.items.forEach((ruleNode, index) => {
      const rule = ruleValues[index];
      if (!isRecord(rule) || !isMap(ruleNode)) return;
      const list = rule.matches === undefined || (Array.isArray(rule.matches) && rule.matches.length === 0) ? [{}] : rule.matches;
      if (!Array.isArray(list)) return;
      list.forEach((match, at) => {
        const key = isRecord(match) ? keyOf(match) : undefined;
        const node = rule.matches === undefined || list !== rule.matches ? ruleNode : nodeAt(ruleNode, ['matches', at]);
        const range = rangeOfNode(built.source.lines, node);
        if (key !== undefined && range && !matches.has(key)) matches.set(key, range);
      });
    });
  }
  return { built, order: `${built.namespace}/${built.name}`, parents: parentsOf(built), hostnames: hostnames as string[], matches };
}

/** Whether two parentRefs attach to the same part of the same parent: one without a sectionName (or port) takes all of it. */
function sameAttachment(a: ParentRef, b: ParentRef): boolean {
  return (
    a.kind === b.kind &&
    a.name === b.name &&
    a.namespace === b.namespace &&
    (a.sectionName === undefined || b.sectionName === undefined || a.sectionName === b.sectionName) &&
    (a.ref.port === undefined || b.ref.port === undefined || a.ref.port === b.ref.port)
  );
}

/**
 * The hostnames both routes serve with the same precedence: the API first prefers the route with
 * the longest matching hostname, so only a hostname both write, or both writing none, is a tie.
 */
function tiedHostnames(a: string[], b: string[]): string[] | undefined {
  if (a.length === 0 && b.length === 0) return [];
  const common = a.filter((h) => b.includes(h));
  return common.length > 0 ? common : undefined;
}

function parentLabel(parent: ParentRef): string {
  const section = parent.sectionName !== undefined ? ` ${parent.sectionName}` : parent.ref.port !== undefined ? ` port ${parent.ref.port}` : '';
  return `${parent.kind} ${parent.name}${section}`;
}

/**
 * Two running routes of the same kind attached to the same parent, on hostnames they tie on, with a
 * match in common: only one of them gets those requests. The Gateway API settles such ties by the
 * oldest creation timestamp, then by `{namespace}/{name}` in alphabetical order; files carry no
 * timestamps, so the alphabetical order is what the files can tell. Reported on the route that loses.
 */
export const routesOverlap: BuildRule = {
  code: 'routes-overlap',
  scope: 'build',
  defaultSeverity: 'warning',
  summary: 'Two routes attached to the same parent have a match in common, so only one of them gets those requests.',
  check(analysis) {
    const findings: Finding[] = [];
    const byParent = new Map<string, RouteMatches[]>();
    for (const built of runningRoutes(analysis)) {
      // On VPC Lattice every route is a Lattice service of its own, with its own name: routes do not compete.
      if (routeIsOnLattice(built.source, analysis.workspace, (filePath) => analysis.read(filePath))) continue;
      const route = readRoute(built);
      if (!route) continue;
      for (const key of new Set(route.parents.map((p) => `${built.kind}\0${p.kind}\0${p.namespace}\0${p.name}`))) {
        const list = byParent.get(key);
        if (list) list.push(route);
        else byParent.set(key, [route]);
      }
    }
    const reported = new Set<string>();
    for (const routes of byParent.values()) {
      if (routes.length < 2) continue;
      routes.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
      for (let i = 0; i < routes.length; i++) {
        for (let j = i + 1; j < routes.length; j++) {
          const [winner, loser] = [routes[i], routes[j]];
          if (winner.order === loser.order) continue;
          const parent = loser.parents.find((p) => winner.parents.some((q) => sameAttachment(p, q)));
          const hostnames = parent && tiedHostnames(winner.hostnames, loser.hostnames);
          if (!parent || !hostnames) continue;
          for (const [key, range] of loser.matches) {
            const seen = `${loser.order}\0${loser.built.source.path}\0${range.start.line}\0${key}`;
            const winning = winner.matches.get(key);
            if (!winning || reported.has(seen)) continue;
            reported.add(seen);
            const on = hostnames.length === 0 ? 'every hostname' : `hostname ${hostnames.join(', ')}`;
            findings.push({
              code: this.code,
              path: loser.built.source.path,
              range,
              message:
                `${routeTitle(loser.built)} and ${routeTitle(winner.built)} are both attached to ${parentLabel(parent)} and both match ${describeMatch(loser.built.kind, key)} on ${on}: ` +
                `${routeTitle(winner.built)} gets those requests and this match none. The Gateway API gives such a tie to the oldest route, then to the first by "{namespace}/{name}" in alphabetical order; ` +
                `files carry no creation timestamps, so the alphabetical order decides here (${winner.order} before ${loser.order}).`,
              related: [{ path: winner.built.source.path, range: winning, message: `the same match in ${routeTitle(winner.built)}` }],
            });
          }
        }
      }
    }
    return findings;
  },
};
