import type { ManifestObject } from './manifest';
import type { Rule } from './rules/rule';
import type { ServiceBinding, TrafficRoute, TrafficSplit, VersionRef } from './traffic';
import type { Labels } from './workloads';
import type { Workspace } from './workspace';
import type { YamlNode } from './yaml';

/**
 * The seam between the engine and one mesh API (App Mesh today; Gateway API and Istio next). The
 * generic rules, the stage model, the fixes and navigation work over the traffic model
 * (traffic.ts) and ask a dialect only for what differs between APIs. Each dialect is one folder
 * under dialects/ and one line in dialects/index.ts.
 */
export interface Dialect {
  /** Stable identifier, also the dialect's folder under `schemas/` ("appmesh"). */
  id: string;
  /** The API's name for people: "App Mesh". */
  label: string;
  /** The API groups whose objects the dialect reads, its own first. */
  apis: readonly DialectApi[];
  /**
   * Strings of which any file defining the dialect's objects contains one (its API group): a test of
   * the text that is far cheaper than parsing, made before it. Files that contain one are checked
   * wherever they are, listed or not.
   */
  textMarkers: readonly string[];
  /**
   * Text that any file defining the objects its splits name contains, when those are not the
   * dialect's own objects (Gateway API routes name core Services): such files are read to answer
   * "is it defined anywhere?" and for navigation, but not checked unless a build takes them in.
   */
  versionMarkers: readonly RegExp[];
  /** What an object is in the traffic model; undefined when it is none of these (a Mesh, say). */
  roleOf(object: ManifestObject): ObjectRole | undefined;
  /** Kinds that references name: navigation, rename and completion follow them. */
  namedKinds: readonly string[];
  weights: WeightRules;
  /**
   * What happens to the share of traffic a route sends to a version that does not run ("HTTP 500"):
   * said in the findings about it; undefined when the API refuses the whole router instead. The
   * answer may depend on where the route runs (a Gateway's implementation, found in the workspace).
   */
  lostTraffic(split: TrafficSplit, route: TrafficRoute, context: LostTrafficContext): string | undefined;
  /**
   * Where the data plane leaves a target that does not run out of its route, so that its share goes
   * to the others ("VPC Lattice"): the stage then says what runs in effect. Undefined where it does not.
   */
  dropsMissingTargets(split: TrafficSplit, workspace: Workspace, read: (filePath: string) => void): string | undefined;
  /**
   * What must run for a target's version to run, each a test of the objects of the files a user
   * chooses between: the stage model enables and disables files by it. For most APIs that is the
   * object the target names (`objectNamed`); an Istio subset also needs its DestinationRule and the
   * workloads its labels select.
   */
  versionNeeds(split: TrafficSplit, target: VersionRef, candidates: readonly ManifestObject[]): VersionNeed[];
  /**
   * Whether a target names something outside the cluster's Services that the product does not
   * check further (a host an Istio ServiceEntry declares), given the objects that run beside it.
   */
  namesExternal(split: TrafficSplit, target: VersionRef, running: readonly ManifestObject[]): boolean;
  /** The object as a traffic split (a router), when it is one. */
  split(object: ManifestObject): TrafficSplit | undefined;
  /** The object as a service bound to its provider, when it is one. */
  service(object: ManifestObject): ServiceBinding | undefined;
  /** The fields of an object that name other objects of the dialect. */
  references(object: ManifestObject): NameReference[];
  /** Names that live within another object's scope rather than as objects (Istio's subsets); undefined when the API has none. */
  scopedNames?: ScopedNames;
  /**
   * The kind a reference field names, for completion: `key` is the key whose value is asked for,
   * `parent` the key of the map holding it (`virtualNodeRef` for its `name`).
   */
  referencedKindAt(parent: string | undefined, key: string): string | undefined;
  /** Lines a hover adds about an object of a named kind (a version's pod selector, say). */
  describe(object: ManifestObject): string[];
  /** The schema folder of an apiVersion, relative to `schemas/` ("appmesh/v1beta2"); undefined when none is shipped. */
  schemaFolder(apiVersion: string): string | undefined;
  /** A key an API version no longer has, and what replaced it (v1beta1's `virtualNodeName`, say). */
  renamedKey(apiVersion: string, key: string): RenamedKey | undefined;
  /** Rules that only make sense for this API (its admission webhook's own checks, say). */
  rules: readonly Rule[];
}

/** What a dialect may ask to say what happens to a missing version's share. */
export interface LostTrafficContext {
  workspace: Workspace;
  /** The route's targets that do not run (the one asked about among them). */
  missing: readonly VersionRef[];
  /** Records a file read to answer, so that the findings are checked again when it changes. */
  read(filePath: string): void;
}

export interface DialectApi {
  group: string;
  /** Who defines the group, when not the dialect's own API ("AWS Gateway API Controller"). */
  label?: string;
  /** Kinds each served version of the group has. */
  servedKinds: Readonly<Record<string, readonly string[]>>;
  /** The version to suggest for an apiVersion the API does not serve. */
  preferredVersion: string;
}

/** Versions are what splits send traffic to; services are what clients call, bound to a provider. */
export type ObjectRole = 'version' | 'split' | 'service';

/** What a dialect's weights mean and allow. */
export interface WeightRules {
  min: number;
  max: number;
  /** Targets a route may have. */
  maxTargets: number;
  /**
   * Whether people write the weights as percentages (App Mesh's examples and docs do): totals that
   * miss 100 are then worth a warning. When false, weights are plainly relative (share = weight / sum).
   */
  percentages: boolean;
  /** The API refuses routes whose weights add up to more than this; undefined when it sets no limit. */
  maxTotal: number | undefined;
  /**
   * Whether a target of weight 0 may name a version that does not run: no traffic goes to it, so
   * nothing is lost (Gateway API); when false, the API refuses the whole router (App Mesh).
   */
  idleTargetsMayBeMissing: boolean;
  /**
   * Whether what a route whose only target has weight 0 does is left to implementations (Gateway
   * API: some send it all traffic, some none); when false it sends nothing, like any all-zero route.
   */
  soleZeroWeightUndefined: boolean;
  /** Whether a route's only target gets all of its traffic whatever its weight (Istio); when false its weight counts as for any target. */
  soleTargetTakesAll: boolean;
}

/** One thing that must run for a version to run: "DestinationRule subset v2 of reviews". */
export interface VersionNeed {
  /** For people, in stage notes. */
  label: string;
  satisfiedBy(object: ManifestObject): boolean;
}

/** The need of a version that is the object the target names, by kind and name: most APIs' only one. */
export function objectNamed(split: TrafficSplit, target: VersionRef): VersionNeed[] {
  return [{ label: `${split.versionKind} ${target.name}`, satisfiedBy: (object) => object.kind === split.versionKind && object.name === target.name }];
}

/** A field that names another object: what navigation, rename and completion follow. */
export interface NameReference {
  kind: string;
  /** The scalar node holding the name. */
  nameNode: unknown;
  namespace: string | undefined;
  /** For people: "route target", "provider", "backend"… */
  role: string;
}

/**
 * Names defined inside one object and scoped by another's name: an Istio subset is defined by a
 * DestinationRule for a host and named by routes to that host. Navigation, rename, hover and
 * completion follow them as they follow object names, matching kind, scope and name.
 */
export interface ScopedNames {
  /** The kinds of scoped names, for people: "subset". */
  kinds: readonly string[];
  /** The scoped names an object defines or names. */
  of(object: ManifestObject): ScopedName[];
  /**
   * For completion: the kind of scoped name a value field takes and its scope, read from the values
   * written beside it (`sibling`); `parent` is the key of the map holding it. Undefined when it takes none.
   */
  at(parent: string | undefined, key: string, sibling: (key: string) => string | undefined): { kind: string; scope: NameScope } | undefined;
  /** Why a name cannot be given to a scoped name of that kind (for rename); undefined when it can. */
  invalid(kind: string, name: string): string | undefined;
}

/** The named object a scoped name lives in: Service `reviews`. */
export interface NameScope {
  kind: string;
  name: string;
  /** Undefined when written without one: the scope then matches in any namespace. */
  namespace: string | undefined;
}

export interface ScopedName {
  kind: string;
  /** The scalar node holding the name. */
  nameNode: unknown;
  scope: NameScope;
  /** Whether the field defines the name (a DestinationRule's subset) or refers to it (a route's destination). */
  defines: boolean;
  /** For people: "destination subset". */
  role: string;
  /** For a definition: the whole entry (a link's target) and the labels its pods carry besides those its scope selects. */
  entryNode?: YamlNode;
  labels?: Labels;
}

/** Whether two scopes are the same object; a scope without a namespace matches any. */
export function sameScope(a: NameScope | undefined, b: NameScope | undefined): boolean {
  if (!a || !b) return a === b;
  return a.kind === b.kind && a.name === b.name && (!a.namespace || !b.namespace || a.namespace === b.namespace);
}

export interface RenamedKey {
  renamed: string;
  /** What changed besides the name. */
  note: string;
  /** Whether renaming the key is a fix (false when the new field is not written by users). */
  rename: boolean;
}

/** The schema file of a kind in a dialect's schema folder; only a plain name may become part of a path. */
export function schemaFileIn(folder: string | undefined, kind: string): string | undefined {
  return folder && /^[A-Za-z][A-Za-z0-9]*$/.test(kind) ? `${folder}/${kind.toLowerCase()}.schema.json` : undefined;
}
