import { isRecord, ManifestObject } from '../../manifest';
import { isSeq, nodeAt, YamlNode } from '../../yaml';
import { VirtualServiceRoute } from './traffic';

/** One entry of a rule's `match`, as the rules about matches compare it. */
export interface RouteMatch {
  /** Its conditions: every field but `name` (and `statPrefix`), which select nothing. */
  conditions: Record<string, unknown>;
  /** The canonical text of its conditions: equal texts are the same match (istioctl compares the same way). */
  key: string;
  /** `match[i]` as written. */
  node: YamlNode;
  index: number;
}

/**
 * A rule's matches: undefined when it has none (`match` absent or empty), so it takes every request
 * that reaches it; an empty list when `match` cannot be read (not a list, or an entry not a map), so
 * the rules neither report it nor let it hide later ones.
 */
export function matchesOf(object: ManifestObject, route: VirtualServiceRoute): RouteMatch[] | undefined {
  const spec = isRecord(object.value.spec) ? object.value.spec : {};
  const rules = spec[route.list];
  const value = Array.isArray(rules) && isRecord(rules[route.index]) ? rules[route.index].match : undefined;
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return undefined;
  const list = nodeAt(route.node, ['match']);
  if (!Array.isArray(value) || !isSeq(list) || !value.every(isRecord)) return [];
  return value.map((match, index) => {
    const conditions = Object.fromEntries(Object.entries(match).filter(([field]) => field !== 'name' && field !== 'statPrefix'));
    return { conditions, key: canonical(conditions), node: list.items[index] as YamlNode, index };
  });
}

/** JSON with the keys of every map sorted: two matches written in another order compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value))
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/** Fields that are maps of conditions, all of which must hold: a match with more entries asks for more. */
const CONDITION_MAPS = new Set(['headers', 'queryParams', 'withoutHeaders', 'sourceLabels']);

/** A `uri` condition that every request meets: a prefix of "/" (every path starts with it). */
function uriOf(conditions: Record<string, unknown>): Record<string, unknown> | undefined {
  const uri = conditions.uri;
  if (!isRecord(uri)) return undefined;
  return Object.keys(uri).length === 1 && uri.prefix === '/' ? undefined : uri;
}

/**
 * Whether every request that `later` matches is matched by `earlier`, so that `later` never gets one
 * when `earlier` comes first: each condition of `earlier` is one `later` makes too (the same value,
 * or, for header, query, label maps, a subset of its entries), and `earlier`'s uri is a prefix of
 * `later`'s (or none, or "/"). Conditions not understood must be equal, so nothing is claimed that
 * may not hold.
 */
export function covers(earlier: RouteMatch, later: RouteMatch): boolean {
  if (earlier.key === later.key) return true;
  const a = earlier.conditions;
  const b = later.conditions;
  for (const [field, value] of Object.entries(a)) {
    if (field === 'uri' || field === 'ignoreUriCase') continue;
    const other = b[field];
    if (CONDITION_MAPS.has(field) && isRecord(value) && isRecord(other)) {
      if (!Object.entries(value).every(([key, condition]) => key in other && canonical(condition) === canonical(other[key]))) return false;
    } else if (canonical(value) !== canonical(other)) return false;
  }
  const uri = uriOf(a);
  if (!uri) return true;
  if (Boolean(a.ignoreUriCase) !== Boolean(b.ignoreUriCase)) return false;
  const laterUri = b.uri;
  if (!isRecord(laterUri)) return false;
  if (canonical(uri) === canonical(laterUri)) return true;
  const prefix = Object.keys(uri).length === 1 ? uri.prefix : undefined;
  if (typeof prefix !== 'string' || Object.keys(laterUri).length !== 1) return false;
  const path = typeof laterUri.prefix === 'string' ? laterUri.prefix : typeof laterUri.exact === 'string' ? laterUri.exact : undefined;
  return path !== undefined && path.startsWith(prefix);
}

/** A match that takes every request: no condition at all, or only a uri prefix of "/". */
export function isCatchAll(match: RouteMatch): boolean {
  return Object.keys(match.conditions).every((field) => field === 'ignoreUriCase' || (field === 'uri' && uriOf(match.conditions) === undefined));
}
