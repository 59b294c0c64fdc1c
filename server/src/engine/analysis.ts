import * as path from 'node:path';
import { Build, BuiltObject, EntryRef, ResolvedEntry } from './build';
import { Reads, VersionedFact } from './fresh';
import { Kustomization } from './kustomization';
import { ManifestObject } from './manifest';
import { servicesOf, splitsOf } from './dialects';
import { ServiceBinding, TrafficRoute, TrafficSplit, VersionRef } from './traffic';
import { Workspace, WorkspaceFile } from './workspace';

export interface RunningSplit {
  split: TrafficSplit;
  built: BuiltObject;
}

export interface RunningService {
  binding: ServiceBinding;
  built: BuiltObject;
}

export interface MissingTarget {
  running: RunningSplit;
  route: TrafficRoute;
  target: VersionRef;
  /** False when no file of the workspace defines an object of that name at all. */
  definedElsewhere: boolean;
  /** The name the object runs under when namePrefix/nameSuffix renamed it (references are not rewritten). */
  renamedTo: string | undefined;
}

/**
 * What build rules read when they ask about every file of the workspace ("no file defines this
 * node"): the names the workspace defines, versioned by content, so an edit that defines nothing
 * new keeps what read them.
 */
export const workspaceDefinitions: VersionedFact = { version: (workspace) => definitions(workspace).version };

/**
 * What build rules check together: all of a build, or one part of a large build whose parts cannot
 * see each other — the objects of one namespace, or the entries of one kustomization (see parts.ts).
 */
export interface BuildPart {
  objects: BuiltObject[];
  entries: ResolvedEntry[];
  /** The kustomizations whose directories hold the files a user chooses between for these objects. */
  kustomizations: Kustomization[];
}

/** Facts of a whole build that rules on any of its parts may ask. */
export interface BuildFacts {
  /** Whether the build takes in something never read (remote, outside the workspace, too large, unreadable). */
  hasUnreadEntries: boolean;
  /** For objects that namePrefix/nameSuffix renamed: kind and name as written → the first name it runs under. */
  renamed: Map<string, string>;
  /** Each kustomization's entries, with what they point at. */
  entriesOf: Map<Kustomization, ResolvedEntry[]>;
}

/**
 * What build rules ask of a build (or of one part of it): which objects run, which splits and
 * services are active, which targets are missing. Computed lazily, once, and shared by the rules.
 */
export class BuildAnalysis {
  /** Running objects by kind and final name: lookups stay O(1) in large builds. */
  private byName: Map<string, BuiltObject[]> | undefined;
  private splits: RunningSplit[] | undefined;
  private services: RunningService[] | undefined;
  private missing: MissingTarget[] | undefined;
  private local: TrafficSplit[] | undefined;
  /** The objects of the part checked, in build order. */
  readonly objects: BuiltObject[];
  /** The entries of the part checked, in build order. */
  readonly entries: ResolvedEntry[];

  constructor(
    readonly build: Build,
    readonly workspace: Workspace,
    /** Where the rules' reads are recorded, so that their findings are reused only while those hold. */
    private readonly reads: Reads,
    private readonly part: BuildPart,
    private readonly facts: BuildFacts,
  ) {
    this.objects = part.objects;
    this.entries = part.entries;
  }

  /** Records that a rule read a file outside the build (a Gateway, say): its findings are checked again when it changes. */
  read(filePath: string): void {
    this.reads.path(filePath);
  }

  /** Whether an object of that kind and name runs in the namespace; '' on either side matches any. */
  isRunning(kind: string, name: string, namespace: string): boolean {
    if (!this.byName) {
      this.byName = new Map();
      for (const object of this.objects) {
        const key = `${object.kind}\0${object.name}`;
        const list = this.byName.get(key);
        if (list) list.push(object);
        else this.byName.set(key, [object]);
      }
    }
    const named = this.byName.get(`${kind}\0${name}`) ?? [];
    return named.some((o) => o.namespace === namespace || o.namespace === '' || namespace === '');
  }

  get runningSplits(): RunningSplit[] {
    return (this.splits ??= this.objects.flatMap((built) => {
      const file = this.workspace.file(built.source.path);
      const split = file && splitsOf(file).find((s) => s.object === built.source);
      return split ? [{ split, built }] : [];
    }));
  }

  get runningServices(): RunningService[] {
    return (this.services ??= this.objects.flatMap((built) => {
      const file = this.workspace.file(built.source.path);
      const binding = file && servicesOf(file).find((s) => s.object === built.source);
      return binding ? [{ binding, built }] : [];
    }));
  }

  /** The kustomizations whose directories hold the files a user chooses between for the objects checked. */
  get kustomizations(): Kustomization[] {
    return this.part.kustomizations;
  }

  /** Whether the build takes in something whose objects are unknown because it is never read. */
  get hasUnreadEntries(): boolean {
    return this.facts.hasUnreadEntries;
  }

  /**
   * Missing targets that lose traffic: all of them, but those of weight 0 where the split's API lets
   * a target of weight 0 name nothing (see `idleTargetsMayBeMissing`).
   */
  get missingWeightedTargets(): MissingTarget[] {
    return this.missingTargets.filter((missing) => !isIdleMiss(missing));
  }

  /** Missing targets of weight 0 that lose no traffic, where the split's API allows them. */
  get missingIdleTargets(): MissingTarget[] {
    return this.missingTargets.filter(isIdleMiss);
  }

  /**
   * Targets of running splits whose version object does not run in this build. A target defined
   * nowhere in the workspace is left out when an entry that is not read (remote, say) might define it.
   */
  get missingTargets(): MissingTarget[] {
    if (this.missing) return this.missing;
    this.missing = [];
    const remote = this.hasUnreadEntries;
    let sources: ManifestObject[] | undefined;
    for (const running of this.runningSplits) {
      for (const route of running.split.routes) {
        for (const target of route.targets) {
          const kind = running.split.versionKind;
          if (this.isRunning(kind, target.name, target.namespace ?? running.built.namespace)) continue;
          if (running.split.dialect.namesExternal(running.split, target, (sources ??= this.objects.map((o) => o.source)))) continue;
          const definedElsewhere = this.isDefinedAnywhere(kind, target.name);
          if (!definedElsewhere && remote) continue;
          this.missing.push({ running, route, target, definedElsewhere, renamedTo: this.renamedTo(kind, target.name) });
        }
      }
    }
    return this.missing;
  }

  /**
   * Running services whose provider does not run; `definedSomewhere` selects those whose provider
   * some file of the workspace defines (a file that could be enabled) or those defined nowhere.
   */
  unresolvedProviders(definedSomewhere: boolean): RunningService[] {
    return this.runningServices.filter(({ binding, built }) => {
      const provider = binding.provider;
      if (!provider || this.isRunning(provider.kind, provider.name, provider.namespace ?? built.namespace)) return false;
      return this.isDefinedAnywhere(provider.kind, provider.name) === definedSomewhere;
    });
  }

  /**
   * The name a running object written as `name` ended up with, when namePrefix/nameSuffix changed it:
   * kustomize does not rewrite references inside custom resources, so they then point at nothing.
   */
  renamedTo(kind: string, name: string): string | undefined {
    return this.facts.renamed.get(`${kind}\0${name}`);
  }

  /** Whether any file of the workspace, listed or not, defines an object of that kind and name. */
  isDefinedAnywhere(kind: string, name: string): boolean {
    this.reads.fact(workspaceDefinitions);
    return definitions(this.workspace).names(kind).has(name);
  }

  /**
   * Splits in the files a user chooses between for this build: every YAML file in the directories of
   * its kustomizations, listed, commented out or not listed at all.
   */
  get localSplits(): TrafficSplit[] {
    if (this.local) return this.local;
    const files = new Set<string>();
    for (const kustomization of this.part.kustomizations) {
      const dir = path.dirname(kustomization.path);
      this.reads.path(dir);
      for (const entry of this.workspace.listDirectory(dir)) {
        if (entry.kind === 'file' && /\.ya?ml$/i.test(entry.name)) files.add(path.join(dir, entry.name));
      }
    }
    for (const kustomization of this.part.kustomizations) {
      for (const resolved of this.facts.entriesOf.get(kustomization) ?? []) if (resolved.target.type === 'file') files.add(resolved.target.path);
    }
    this.local = [];
    for (const filePath of files) {
      this.reads.path(filePath);
      const file = this.workspace.file(filePath);
      if (file && !file.isKustomization) this.local.push(...splitsOf(file));
    }
    return this.local;
  }
}

function isIdleMiss(missing: MissingTarget): boolean {
  return missing.target.weight === 0 && missing.running.split.dialect.weights.idleTargetsMayBeMissing;
}

/** The entry that names an object's file directly. */
export function listingEntry(object: BuiltObject): EntryRef {
  return object.chain[object.chain.length - 1];
}

/** Kinds and names a file version defines, computed once per version. */
const fileNames = new WeakMap<WorkspaceFile, string[]>();

function namesOf(file: WorkspaceFile): string[] {
  let names = fileNames.get(file);
  if (!names) {
    // Reading the text is cheap; parsing is not: only files that may define what references name are parsed.
    names = file.isKustomization || !file.mayDefineMeshNames ? [] : file.objects.map((o) => `${o.kind}\0${o.name}`);
    fileNames.set(file, names);
  }
  return names;
}

/**
 * The objects every file of the workspace defines, listed or not. Rebuilt from per-file caches when
 * anything changed, and versioned by content: builds that asked "is it defined anywhere?" rerun only
 * when the set of definitions really changed, not on every keystroke.
 */
class Definitions {
  generation = -1;
  version = 0;
  /** Each path's file version and what it defines, to notice what a change really changed. */
  private readonly seen = new Map<string, { file: WorkspaceFile; names: string }>();
  private byKind = new Map<string, Set<string>>();

  constructor(private readonly workspace: Workspace) {}

  refresh(): void {
    if (this.generation === this.workspace.generation) return;
    const changes = this.generation < 0 ? undefined : this.workspace.changesSince(this.generation);
    this.generation = this.workspace.generation;
    // Edits of YAML files of the workspace update their own entries; anything else (a directory, a root) rereads the list.
    const yamlFiles = this.workspace.yamlFileSet();
    const changed = changes?.every((p) => yamlFiles.has(p)) ? this.update(changes) : this.update(undefined);
    if (!changed && this.version > 0) return;
    this.rebuild();
  }

  /** Updates what the given paths (or every YAML file) define; true when a name set changed. */
  private update(paths: readonly string[] | undefined): boolean {
    let changed = false;
    const current = this.workspace.yamlFileSet();
    if (paths === undefined) {
      for (const filePath of [...this.seen.keys()]) {
        if (!current.has(filePath)) {
          changed ||= this.seen.get(filePath)!.names !== '';
          this.seen.delete(filePath);
        }
      }
    }
    for (const filePath of paths ?? current) {
      const file = current.has(filePath) ? this.workspace.file(filePath) : undefined;
      const before = this.seen.get(filePath);
      if (!file) {
        if (before) {
          changed ||= before.names !== '';
          this.seen.delete(filePath);
        }
        continue;
      }
      if (before?.file === file) continue;
      const names = namesOf(file).join('\n');
      changed ||= (before?.names ?? '') !== names;
      this.seen.set(filePath, { file, names });
    }
    return changed;
  }

  private rebuild(): void {
    this.version++;
    const byKind = new Map<string, Set<string>>();
    for (const { names } of this.seen.values()) {
      if (names === '') continue;
      for (const key of names.split('\n')) {
        const [kind, name] = key.split('\0');
        const set = byKind.get(kind) ?? new Set<string>();
        set.add(name);
        byKind.set(kind, set);
      }
    }
    this.byKind = byKind;
  }

  names(kind: string): Set<string> {
    this.refresh();
    return this.byKind.get(kind) ?? new Set();
  }
}

const definitionsByWorkspace = new WeakMap<Workspace, Definitions>();

export function definitions(workspace: Workspace): Definitions {
  let found = definitionsByWorkspace.get(workspace);
  if (!found) {
    found = new Definitions(workspace);
    definitionsByWorkspace.set(workspace, found);
  }
  found.refresh();
  return found;
}
