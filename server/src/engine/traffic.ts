import { ManifestObject } from './manifest';
import { Range } from './text';
import { PathSegment } from './yaml';

/**
 * The domain model every mesh dialect fills: services, the versions (workloads) behind them,
 * and the weighted splits that send a service's traffic to its versions.
 */
export interface VersionRef {
  /** Name of the version object (an App Mesh VirtualNode). */
  name: string;
  /** Namespace the reference names explicitly, if any. */
  namespace: string | undefined;
  /** Relative weight; undefined when not a literal number (a `${var}` placeholder, say). */
  weight: number | undefined;
  /** Where the reference's name is written. */
  nameRange: Range;
  weightRange: Range | undefined;
}

export interface TrafficRoute {
  name: string | undefined;
  nameRange: Range | undefined;
  /** Where the list of targets is written; findings about the whole split go there. */
  targetsRange: Range;
  targets: VersionRef[];
  /** Path of the route in its document, for findings about its other fields. */
  path: PathSegment[];
}

/** An object that splits traffic between versions: an App Mesh VirtualRouter, or a legacy v1beta1 VirtualService. */
export interface TrafficSplit {
  object: ManifestObject;
  /** Kind of the objects its targets name. */
  versionKind: string;
  routes: TrafficRoute[];
}

/** A service name bound to whatever provides it (a router, or a single version). */
export interface ServiceBinding {
  object: ManifestObject;
  provider: { kind: string; name: string; namespace: string | undefined; range: Range } | undefined;
}

/** A share of traffic as people read it: "95", "94.7", "5.3" (one decimal at most). */
export function formatPercent(value: number): string {
  return value.toFixed(1).replace(/\.0$/, '');
}

/** A mesh API that fills the model: App Mesh first; Gateway API and Istio later. */
export interface Dialect {
  /** The kind of the objects versions are (VirtualNode for App Mesh). */
  versionKind: string;
  split(object: ManifestObject): TrafficSplit | undefined;
  service(object: ManifestObject): ServiceBinding | undefined;
}
