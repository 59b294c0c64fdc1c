import type { Dialect } from './dialect';
import { ManifestObject } from './manifest';
import { Range } from './text';
import { PathSegment } from './yaml';

/**
 * The domain model every mesh dialect fills: services, the versions (workloads) behind them,
 * and the weighted splits that send a service's traffic to its versions.
 */
export interface VersionRef {
  /** Name of the version object the dialect's split names. */
  name: string;
  /** Namespace the reference names explicitly, if any. */
  namespace: string | undefined;
  /** Relative weight; undefined when not a literal number (a `${var}` placeholder, say). */
  weight: number | undefined;
  /** Where the reference's name is written. */
  nameRange: Range;
  weightRange: Range | undefined;
  /**
   * The part of the named object's endpoints the target picks, when the API splits one object's
   * endpoints by labels (an Istio DestinationRule subset): the version is then that part.
   */
  subset?: { name: string; range: Range };
}

/** What a target's version is called in the stage model: the object it names, or its subset of that object ("reviews/v2"). */
export function versionIdOf(target: { name: string; subset?: { name: string } }): string {
  return target.subset ? `${target.name}/${target.subset.name}` : target.name;
}

export interface TrafficRoute {
  name: string | undefined;
  nameRange: Range | undefined;
  /** Where the list of targets is written; findings about the whole split go there. */
  targetsRange: Range;
  targets: VersionRef[];
  /** Path of the route in its document, for findings about its other fields. */
  path: PathSegment[];
  /** Path of the route's whole entry in its document (its item in a list of routes), for outlines. */
  entryPath: PathSegment[];
  /** Path of the list of targets in its document. */
  targetsPath: PathSegment[];
  /** The route's protocol as the API names it (`httpRoute`, `tcp`, …), for outlines. */
  protocol: string;
}

/** An object that splits traffic between versions (a router). */
export interface TrafficSplit {
  object: ManifestObject;
  /** The API it belongs to: what its weights mean and allow. */
  dialect: Dialect;
  /** Kind of the objects its targets name. */
  versionKind: string;
  routes: TrafficRoute[];
  /**
   * The service whose traffic it splits, when the split names it itself (a route attached to a
   * Service); otherwise a service object binds to the split as its provider, or none names it.
   */
  serviceName?: string;
}

/** A service name bound to whatever provides it (a router, or a single version). */
export interface ServiceBinding {
  object: ManifestObject;
  dialect: Dialect;
  provider: ServiceProvider | undefined;
}

export interface ServiceProvider {
  kind: string;
  name: string;
  namespace: string | undefined;
  range: Range;
  /** Whether a split (a router) or a single version provides the service. */
  role: 'split' | 'version';
}

/** Whether the split's API accepts the weight. */
export function inRange(split: TrafficSplit, weight: number): boolean {
  return weight >= split.dialect.weights.min && weight <= split.dialect.weights.max;
}

/** A share of traffic as people read it: "95", "94.7", "5.3" (one decimal at most). */
export function formatPercent(value: number): string {
  return value.toFixed(1).replace(/\.0$/, '');
}
