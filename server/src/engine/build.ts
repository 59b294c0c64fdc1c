import * as path from 'node:path';
import { isRemoteEntry, Kustomization, KustomizationEntry } from './kustomization';
import { ManifestObject } from './manifest';
import { Fresh } from './fresh';
import { Workspace } from './workspace';

/** An entry of one kustomization file. */
export interface EntryRef {
  kustomization: Kustomization;
  entry: KustomizationEntry;
}

export type EntryTarget =
  | { type: 'file'; path: string }
  | {
      type: 'directory';
      path: string;
      kustomization: string | undefined;
      /** Set when the directory is, or contains, one whose kustomization is being built through this entry's chain: kustomize stops there ("cycle detected"), and so does the build. */
      cycle?: KustomizationCycle;
    }
  /** Nothing there; `loop` when the path is a symbolic link loop. */
  | { type: 'missing'; path: string; loop?: boolean }
  /** It exists, but is neither a file nor a directory (a FIFO, socket or device): never read. */
  | { type: 'special'; path: string }
  /** Outside the workspace folders, as written or once symbolic links are followed: never read. */
  | { type: 'outside'; path: string }
  | { type: 'remote' };

/** An inclusion kustomize refuses because it leads back to a kustomization already being built. */
export interface KustomizationCycle {
  /** The directory being built that the entry's directory is or contains, as kustomize names it ("contains visited root"). */
  visited: string;
  /** The directories being built, from the root's down to the entry's own kustomization's (real paths). */
  chain: string[];
}

export interface ResolvedEntry extends EntryRef {
  target: EntryTarget;
}

/** An object of the build's output, after namespace and name transformations. */
export interface BuiltObject {
  source: ManifestObject;
  kind: string;
  name: string;
  /** '' when neither the object nor any kustomization sets one (the cluster's default applies). */
  namespace: string;
  /** The entries that brought the object in, from the root kustomization down to the one naming its file. */
  chain: EntryRef[];
}

/** The first entries at which two objects' inclusion chains part: the lines a user would change. */
export function divergingEntries(a: BuiltObject, b: BuiltObject): [EntryRef | undefined, EntryRef | undefined] {
  for (let i = 0; i < Math.min(a.chain.length, b.chain.length); i++) {
    if (a.chain[i] !== b.chain[i]) return [a.chain[i], b.chain[i]];
  }
  return [undefined, undefined];
}

export interface Build {
  root: Kustomization;
  /** What the root and each kustomization under it contributed, as collected (and cached). */
  unit: BuildUnit;
  /** Every kustomization read for this build, root first. */
  readonly kustomizations: Kustomization[];
  /** Every entry, enabled or not, of every kustomization read, with what it points at. */
  readonly entries: ResolvedEntry[];
  /** The objects `kubectl kustomize` would output for the root, in order. */
  readonly objects: BuiltObject[];
}

/** Kinds that have no namespace; kustomize leaves their namespace unset. Unknown kinds are namespaced. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'APIService',
  'CSIDriver',
  'CSINode',
  'Node',
  'VolumeAttachment',
  'CertificateSigningRequest',
]);

/** Kustomizations including kustomizations this deep are not followed further (the build recurses). */
export const MAX_BUILD_DEPTH = 200;

/**
 * What one kustomization contributes to a build when reached through one chain of entries: its
 * objects (transformed by it and its descendants), entries and what it read. Kept in a BuildCache and
 * reused while nothing it read has changed, so a change in one directory of a large repository
 * re-collects only the kustomizations on the way from that directory to the root.
 */
export interface BuildUnit {
  kustomization: Kustomization;
  /** This kustomization's own entries, with what they point at. */
  ownEntries: ResolvedEntry[];
  /** Included kustomizations, in entry order. */
  children: BuildUnit[];
  /** The entry through which each child was included. */
  childEntries: ResolvedEntry[];
  /** The objects of files listed here and of included kustomizations, in the order they were gathered, before this kustomization's transformations. */
  pieces: (BuiltObject[] | BuildUnit)[];
  /** Whether this kustomization sets a namespace, prefix or suffix (its objects are then copies). */
  transforms: boolean;
  /** The objects this kustomization outputs; gathered when first asked for (a partitioned build of a large tree never asks the root's). */
  readonly objects: BuiltObject[];
  /** What this kustomization itself read (its paths; its children as inputs): stale when any of it changed. */
  fresh: Fresh<void>;
}

/** Every unit of a tree, parents before children. */
export function unitsOf(root: BuildUnit): BuildUnit[] {
  const units: BuildUnit[] = [];
  const visit = (unit: BuildUnit): void => {
    units.push(unit);
    unit.children.forEach(visit);
  };
  visit(root);
  return units;
}

/** A build read from its unit tree; the flat lists are made when first asked for. */
class UnitBuild implements Build {
  private lists: { kustomizations: Kustomization[]; entries: ResolvedEntry[] } | undefined;

  constructor(
    readonly root: Kustomization,
    readonly unit: BuildUnit,
  ) {}

  get objects(): BuiltObject[] {
    return this.unit.objects;
  }

  get kustomizations(): Kustomization[] {
    return this.flat().kustomizations;
  }

  get entries(): ResolvedEntry[] {
    return this.flat().entries;
  }

  private flat(): NonNullable<UnitBuild['lists']> {
    if (this.lists) return this.lists;
    const lists = { kustomizations: [] as Kustomization[], entries: [] as ResolvedEntry[] };
    // Entries in the order kustomize reads them: each included kustomization's right after the entry naming it.
    const visit = (unit: BuildUnit): void => {
      lists.kustomizations.push(unit.kustomization);
      let child = 0;
      for (const resolved of unit.ownEntries) {
        lists.entries.push(resolved);
        if (unit.childEntries[child] === resolved) visit(unit.children[child++]);
      }
    };
    visit(this.unit);
    return (this.lists = lists);
  }
}

/** Collected units by kustomization and chain; units not used by the latest builds are dropped by `prune`. */
export class BuildCache {
  private units = new Map<string, BuildUnit>();
  private used = new Map<string, BuildUnit>();

  get(key: string): BuildUnit | undefined {
    const unit = this.used.get(key) ?? this.units.get(key);
    if (unit) this.used.set(key, unit);
    return unit;
  }

  set(key: string, unit: BuildUnit): void {
    this.used.set(key, unit);
  }

  /** Keeps only the units used since the last prune. */
  prune(): void {
    this.units = this.used;
    this.used = new Map();
  }
}

/** The entry references of a kustomization version, made once so that chains of them can key the cache. */
const entryRefs = new WeakMap<Kustomization, EntryRef[]>();
const refIds = new WeakMap<EntryRef, number>();
let nextRefId = 1;

function refsOf(kustomization: Kustomization): EntryRef[] {
  let refs = entryRefs.get(kustomization);
  if (!refs) {
    refs = kustomization.entries.map((entry) => ({ kustomization, entry }));
    for (const ref of refs) refIds.set(ref, nextRefId++);
    entryRefs.set(kustomization, refs);
  }
  return refs;
}

/** Resolves a kustomization the way `kubectl kustomize` does, without ever fetching a remote resource. */
export function buildKustomization(workspace: Workspace, root: Kustomization, cache = new BuildCache()): Build {
  return new UnitBuild(root, collect(workspace, cache, root, [], '', [workspace.realPath(path.dirname(root.path))]));
}

/** Whether nothing a build read has changed since it was made. */
export function isBuildFresh(workspace: Workspace, build: Build): boolean {
  return build.unit.fresh.isFresh(workspace);
}

/**
 * `stack` holds the real directories of the kustomizations being built, from the root's down to this
 * one's: it follows from the chain, so the cached unit of a chain saw the same stack.
 */
function collect(workspace: Workspace, cache: BuildCache, kustomization: Kustomization, chain: EntryRef[], chainKey: string, stack: string[]): BuildUnit {
  const key = `${kustomization.path}\n${chainKey}`;
  const cached = cache.get(key);
  // The cached unit must be of this very kustomization version: its file's stamp is among what it read.
  if (cached && cached.kustomization === kustomization && cached.fresh.isFresh(workspace)) return cached;

  const { namespace, namePrefix, nameSuffix } = kustomization;
  let objects: BuiltObject[] | undefined;
  // `fresh` is what the filling below reads, set once it is done.
  const unit = {
    kustomization,
    ownEntries: [],
    children: [],
    childEntries: [],
    pieces: [],
    transforms: namespace !== undefined || namePrefix !== '' || nameSuffix !== '',
    get objects() {
      return (objects ??= outputOf(unit));
    },
  } as Omit<BuildUnit, 'fresh'> as BuildUnit;
  unit.fresh = Fresh.compute(workspace, (reads) => fill(workspace, cache, unit, chain, chainKey, stack, reads.path, (child) => reads.input(child.fresh)));
  cache.set(key, unit);
  return unit;
}

/** Resolves a unit's entries and gathers its pieces, telling what it read. */
function fill(
  workspace: Workspace,
  cache: BuildCache,
  unit: BuildUnit,
  chain: EntryRef[],
  chainKey: string,
  stack: string[],
  depend: (p: string) => void,
  included: (child: BuildUnit) => void,
): void {
  const { kustomization } = unit;
  depend(kustomization.path);
  const dir = path.dirname(kustomization.path);
  const components: (BuiltObject[] | BuildUnit)[] = [];

  for (const ref of refsOf(kustomization)) {
    const { entry } = ref;
    let target = resolveEntry(workspace, dir, entry.value, depend);
    const includes = entry.enabled && (entry.field === 'resources' || entry.field === 'bases' || entry.field === 'components');
    if (includes && target.type === 'directory' && target.kustomization) {
      const visited = visitedWithin(stack, workspace.realPath(target.path));
      if (visited !== undefined) target = { ...target, cycle: { visited, chain: [...stack] } };
    }
    const resolved: ResolvedEntry = { ...ref, target };
    unit.ownEntries.push(resolved);
    if (!entry.enabled || (entry.field !== 'resources' && entry.field !== 'bases' && entry.field !== 'components')) continue;
    let piece: BuiltObject[] | BuildUnit | undefined;
    if (target.type === 'file') {
      const refChain = [...chain, ref];
      piece = (workspace.file(target.path)?.objects ?? []).map((source) => ({
        source,
        kind: source.kind,
        name: source.name,
        namespace: source.namespace ?? '',
        chain: refChain,
      }));
    } else if (target.type === 'directory' && target.kustomization) {
      const child = workspace.file(target.kustomization)?.kustomization;
      if (!child) continue;
      // Cycles (reported by kustomization-cycle), and inclusions nested deeper than MAX_BUILD_DEPTH, are not followed.
      if (target.cycle || stack.length >= MAX_BUILD_DEPTH) continue;
      stack.push(workspace.realPath(target.path));
      piece = collect(workspace, cache, child, [...chain, ref], `${chainKey},${refIds.get(ref)}`, stack);
      stack.pop();
      included(piece);
      unit.children.push(piece);
      unit.childEntries.push(resolved);
    }
    if (!piece) continue;
    // Components act on what the kustomization has gathered so far; their own transformations were applied inside.
    if (entry.field === 'components') components.push(piece);
    else unit.pieces.push(piece);
  }
  unit.pieces.push(...components);
}

/** What a unit outputs: its pieces' objects in order, transformed by its namespace, prefix and suffix. */
function outputOf(unit: BuildUnit): BuiltObject[] {
  const objects: BuiltObject[] = [];
  for (const piece of unit.pieces) for (const object of Array.isArray(piece) ? piece : piece.objects) objects.push(object);
  if (!unit.transforms) return objects;
  // Objects of descendants are shared with their cached units: transformed ones are copies.
  const { namespace, namePrefix, nameSuffix } = unit.kustomization;
  return objects.map((object) => ({
    ...object,
    namespace: namespace !== undefined && !CLUSTER_SCOPED_KINDS.has(object.kind) ? namespace : object.namespace,
    name: namePrefix + object.name + nameSuffix,
  }));
}

/**
 * The directory being built that `candidate` is or contains, as kustomize's loader tests it: a
 * kustomization may include neither one on its chain nor any directory above one.
 */
function visitedWithin(stack: readonly string[], candidate: string): string | undefined {
  const prefix = candidate.endsWith(path.sep) ? candidate : candidate + path.sep;
  // Kustomize asks the innermost loader first, then those that referred to it: the first match names it.
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i] === candidate || stack[i].startsWith(prefix)) return stack[i];
  return undefined;
}

function resolveEntry(workspace: Workspace, dir: string, value: string, depend: (p: string) => void): EntryTarget {
  if (isRemoteEntry(value)) return { type: 'remote' };
  const target = path.resolve(dir, value);
  depend(target);
  const access = workspace.accessOf(target);
  if (access === 'outside') return { type: 'outside', path: target };
  if (access === 'loop') return { type: 'missing', path: target, loop: true };
  const kind = workspace.kindOf(target);
  if (kind === 'file') {
    workspace.file(target);
    return { type: 'file', path: target };
  }
  if (kind === 'directory') {
    const kustomization = workspace.kustomizationIn(target);
    if (kustomization) depend(kustomization);
    // A kustomization file that is a symbolic link out of the workspace is not read either.
    if (kustomization && workspace.accessOf(kustomization) === 'outside') return { type: 'outside', path: kustomization };
    return { type: 'directory', path: target, kustomization };
  }
  if (kind === 'special') return { type: 'special', path: target };
  return { type: 'missing', path: target };
}
