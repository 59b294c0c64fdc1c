import * as path from 'node:path';
import { Build, BuiltObject, EntryRef } from './build';
import { servicesOf, splitsOf } from './dialects';
import { ServiceBinding, TrafficSplit, VersionRef } from './traffic';
import { Workspace } from './workspace';

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
  target: VersionRef;
  /** False when no file of the workspace defines an object of that name at all. */
  definedElsewhere: boolean;
  /** The name the object runs under when namePrefix/nameSuffix renamed it (references are not rewritten). */
  renamedTo: string | undefined;
}

/** A dependency on every file of the workspace, for facts such as "no file defines this node". */
export const WHOLE_WORKSPACE = '*';

/**
 * What build rules ask of a build: which objects run, which splits and services are active,
 * which targets are missing. Computed lazily, once per build, and shared by the rules.
 */
export class BuildAnalysis {
  private byKind: Map<string, BuiltObject[]> | undefined;
  private splits: RunningSplit[] | undefined;
  private services: RunningService[] | undefined;
  private missing: MissingTarget[] | undefined;
  private local: TrafficSplit[] | undefined;

  constructor(
    readonly build: Build,
    readonly workspace: Workspace,
    private readonly depend: (key: string) => void,
  ) {}

  running(kind: string): BuiltObject[] {
    if (!this.byKind) {
      this.byKind = new Map();
      for (const object of this.build.objects) {
        const list = this.byKind.get(object.kind) ?? [];
        list.push(object);
        this.byKind.set(object.kind, list);
      }
    }
    return this.byKind.get(kind) ?? [];
  }

  /** Whether an object of that kind and name runs in the namespace; '' on either side matches any. */
  isRunning(kind: string, name: string, namespace: string): boolean {
    return this.running(kind).some((o) => o.name === name && (o.namespace === namespace || o.namespace === '' || namespace === ''));
  }

  get runningSplits(): RunningSplit[] {
    return (this.splits ??= this.build.objects.flatMap((built) => {
      const file = this.workspace.file(built.source.path);
      const split = file && splitsOf(file).find((s) => s.object === built.source);
      return split ? [{ split, built }] : [];
    }));
  }

  get runningServices(): RunningService[] {
    return (this.services ??= this.build.objects.flatMap((built) => {
      const file = this.workspace.file(built.source.path);
      const binding = file && servicesOf(file).find((s) => s.object === built.source);
      return binding ? [{ binding, built }] : [];
    }));
  }

  /** Whether the build takes in a remote resource, whose objects are unknown since it is never fetched. */
  get hasRemoteEntries(): boolean {
    return this.build.entries.some((e) => e.entry.enabled && e.target.type === 'remote');
  }

  /**
   * Targets of running splits whose version object does not run in this build. A target defined
   * nowhere in the workspace is left out when a remote resource might define it.
   */
  get missingTargets(): MissingTarget[] {
    if (this.missing) return this.missing;
    this.missing = [];
    const remote = this.hasRemoteEntries;
    for (const running of this.runningSplits) {
      for (const route of running.split.routes) {
        for (const target of route.targets) {
          const kind = running.split.versionKind;
          if (this.isRunning(kind, target.name, target.namespace ?? running.built.namespace)) continue;
          const definedElsewhere = this.isDefinedAnywhere(kind, target.name);
          if (!definedElsewhere && remote) continue;
          this.missing.push({ running, target, definedElsewhere, renamedTo: this.renamedTo(kind, target.name) });
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
   * kustomize does not rewrite references inside App Mesh resources, so they then point at nothing.
   */
  renamedTo(kind: string, name: string): string | undefined {
    return this.running(kind).find((o) => o.source.name === name && o.name !== name)?.name;
  }

  /** Whether any file of the workspace, listed or not, defines an object of that kind and name. */
  isDefinedAnywhere(kind: string, name: string): boolean {
    this.depend(WHOLE_WORKSPACE);
    return definedNames(this.workspace, kind).has(name);
  }

  /**
   * Splits in the files a user chooses between for this build: every YAML file in the directories of
   * its kustomizations, listed, commented out or not listed at all.
   */
  get localSplits(): TrafficSplit[] {
    if (this.local) return this.local;
    const files = new Set<string>();
    for (const kustomization of this.build.kustomizations) {
      const dir = path.dirname(kustomization.path);
      this.depend(dir);
      for (const entry of this.workspace.listDirectory(dir)) {
        if (entry.kind === 'file' && /\.ya?ml$/i.test(entry.name)) files.add(path.join(dir, entry.name));
      }
    }
    for (const resolved of this.build.entries) if (resolved.target.type === 'file') files.add(resolved.target.path);
    this.local = [];
    for (const filePath of files) {
      this.depend(filePath);
      const file = this.workspace.file(filePath);
      if (file && !file.isKustomization) this.local.push(...splitsOf(file));
    }
    return this.local;
  }
}

/** The entry that names an object's file directly. */
export function listingEntry(object: BuiltObject): EntryRef {
  return object.chain[object.chain.length - 1];
}

const nameIndex = new WeakMap<Workspace, { generation: number; byKind: Map<string, Set<string>> }>();

function definedNames(workspace: Workspace, kind: string): Set<string> {
  let index = nameIndex.get(workspace);
  if (!index || index.generation !== workspace.generation) {
    index = { generation: workspace.generation, byKind: new Map() };
    nameIndex.set(workspace, index);
  }
  let names = index.byKind.get(kind);
  if (!names) {
    names = new Set();
    for (const filePath of workspace.yamlFiles()) {
      const file = workspace.file(filePath);
      // Reading the text is cheap; parsing is not: only files that mention the kind are parsed.
      if (!file || file.isKustomization || !file.text.includes(kind)) continue;
      for (const object of file.objects) if (object.kind === kind) names.add(object.name);
    }
    index.byKind.set(kind, names);
  }
  return names;
}
