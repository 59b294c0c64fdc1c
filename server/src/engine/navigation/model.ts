import * as path from 'node:path';
import { Build } from '../build';
import { Kustomization, KustomizationEntry, isRemoteEntry } from '../kustomization';
import { Dialect, NameScope, sameScope } from '../dialect';
import { dialectOf, isNamedKind } from '../dialects';
import { ManifestObject } from '../manifest';
import { Range } from '../text';
import { Labels, runsPods } from '../workloads';
import { Workspace, WorkspaceFile } from '../workspace';
import { isScalar, pairOf, rangeOfNode, scalarText } from '../yaml';
import { innerRange } from './position';

/**
 * A mesh object's `metadata.name`, as written in its file (of a kind that references name), or a
 * name an object defines within another's scope (dialect.ts, ScopedNames).
 */
export interface MeshDefinition {
  kind: string;
  name: string;
  path: string;
  /** The object that defines the name. */
  object: ManifestObject;
  /** The value's range, quotes included. */
  range: Range;
  /** The name's text without quotes: what a rename replaces. */
  editRange: Range;
  /** For a scoped name: its scope, its entry's range and the labels its pods carry. */
  scoped?: { scope: NameScope; entryRange: Range | undefined; labels: Labels | undefined };
}

/** A field naming a mesh object (its dialect says which fields do). */
export interface MeshReference {
  kind: string;
  name: string;
  namespace: string | undefined;
  path: string;
  /** The object holding the reference. */
  object: ManifestObject;
  /** What the reference is, for people: "route target", "provider", "backend"… */
  role: string;
  range: Range;
  editRange: Range;
  /** For a reference to a scoped name: the scope it is looked up in. */
  scope?: NameScope;
}

/** What a kustomization entry names, once resolved. */
export type EntryTargetInfo =
  | { type: 'file'; path: string }
  | { type: 'directory'; path: string; kustomization: string | undefined }
  | { type: 'missing'; path: string }
  /** A FIFO, socket or device: never read. */
  | { type: 'special'; path: string }
  | { type: 'remote' };

/** Where an object or entry runs: the root kustomizations whose builds take it in. */
export interface RunningState {
  running: boolean;
  /** Root kustomizations (paths) whose build includes it. */
  roots: string[];
}

/**
 * The workspace seen for navigation: every mesh object of every file (listed or not), every
 * reference to one, and what the builds of the root kustomizations run. Made once per workspace
 * generation and shared by every request until something changes; each part is computed when first
 * asked for, from per-file results kept with each file version (a document link needs none of it).
 */
export class NavigationModel {
  private symbols: { definitions: MeshDefinition[]; references: MeshReference[] } | undefined;
  private buildList: Build[] | undefined;
  private runningObjects: Map<string, string[]> | undefined;
  private runningEntries: Map<string, string[]> | undefined;
  private builtKustomizations: Map<string, string[]> | undefined;
  private workloadList: ManifestObject[] | undefined;

  constructor(
    readonly workspace: Workspace,
    /** The root builds, as the validator has them (built once, shared with the diagnostics). */
    private readonly buildsOf: () => Build[],
  ) {}

  /** Every mesh object's name as written, in every file of the workspace. */
  get definitions(): MeshDefinition[] {
    return this.allSymbols().definitions;
  }

  /** Every reference to a mesh object, in every file of the workspace. */
  get references(): MeshReference[] {
    return this.allSymbols().references;
  }

  private allSymbols(): { definitions: MeshDefinition[]; references: MeshReference[] } {
    if (this.symbols) return this.symbols;
    const all = { definitions: [] as MeshDefinition[], references: [] as MeshReference[] };
    for (const filePath of this.workspace.yamlFiles()) {
      const file = this.workspace.file(filePath);
      if (!file || file.isKustomization || !file.mayDefineMeshNames) continue;
      const symbols = meshSymbolsOf(file);
      all.definitions.push(...symbols.definitions);
      all.references.push(...symbols.references);
    }
    return (this.symbols = all);
  }

  /** Definitions of a kind and name (within a scope, for scoped names); alternatives (one per router file, say) are all listed. */
  definitionsOf(kind: string, name: string, scope?: NameScope): MeshDefinition[] {
    return this.definitions.filter((d) => d.kind === kind && d.name === name && sameScope(d.scoped?.scope, scope));
  }

  referencesTo(kind: string, name: string, scope?: NameScope): MeshReference[] {
    return this.references.filter((r) => r.kind === kind && r.name === name && sameScope(r.scope, scope));
  }

  /** Every object of the workspace that runs pods (Deployments and the like), listed or not. */
  get workloads(): ManifestObject[] {
    if (this.workloadList) return this.workloadList;
    const found: ManifestObject[] = [];
    for (const filePath of this.workspace.yamlFiles()) {
      const file = this.workspace.file(filePath);
      // Pods a selector could pick have labels: files without the word are not parsed.
      if (!file || file.isKustomization || file.oversize || !file.text.includes('labels')) continue;
      found.push(...file.objects.filter(runsPods));
    }
    return (this.workloadList = found);
  }

  /** The builds of the root kustomizations, asked for on first use. */
  get builds(): Build[] {
    return (this.buildList ??= this.buildsOf());
  }

  /** Whether an object as written runs in some root build (after namespace and name changes). */
  objectState(object: ManifestObject): RunningState {
    if (!this.runningObjects) {
      this.runningObjects = new Map();
      for (const build of this.builds) {
        for (const built of build.objects) add(this.runningObjects, objectKey(built.source), build.root.path);
      }
    }
    const roots = this.runningObjects.get(objectKey(object)) ?? [];
    return { running: roots.length > 0, roots };
  }

  /** Whether an enabled entry of a kustomization is part of some root build. */
  entryState(kustomization: Kustomization, entry: KustomizationEntry): RunningState {
    if (!entry.enabled) return { running: false, roots: [] };
    if (!this.runningEntries) {
      this.runningEntries = new Map();
      for (const build of this.builds) {
        for (const resolved of build.entries) {
          if (resolved.entry.enabled) add(this.runningEntries, entryKey(resolved.kustomization.path, resolved.entry), build.root.path);
        }
      }
    }
    const roots = this.runningEntries.get(entryKey(kustomization.path, entry)) ?? [];
    return { running: roots.length > 0, roots };
  }

  /** The root builds that read a kustomization. */
  kustomizationRoots(kustomizationPath: string): string[] {
    if (!this.builtKustomizations) {
      this.builtKustomizations = new Map();
      for (const build of this.builds) for (const k of build.kustomizations) add(this.builtKustomizations, k.path, build.root.path);
    }
    return this.builtKustomizations.get(kustomizationPath) ?? [];
  }

  /** Every kustomization entry (enabled or commented out) that names a file or directory. */
  entriesNaming(targetPath: string): { kustomization: Kustomization; entry: KustomizationEntry }[] {
    const found: { kustomization: Kustomization; entry: KustomizationEntry }[] = [];
    for (const kustomizationPath of this.workspace.kustomizationFiles()) {
      const kustomization = this.workspace.file(kustomizationPath)?.kustomization;
      if (!kustomization) continue;
      const dir = path.dirname(kustomizationPath);
      for (const entry of kustomization.entries) {
        if (!isRemoteEntry(entry.value) && path.resolve(dir, entry.value) === targetPath) found.push({ kustomization, entry });
      }
    }
    return found;
  }

  /** What an entry names: a file, a directory (with its kustomization file), something else (a FIFO, a device), nothing, or a remote resource. */
  resolveEntry(kustomization: Kustomization, entry: KustomizationEntry): EntryTargetInfo {
    if (isRemoteEntry(entry.value)) return { type: 'remote' };
    const target = path.resolve(path.dirname(kustomization.path), entry.value);
    const kind = this.workspace.kindOf(target);
    if (kind === 'file') return { type: 'file', path: target };
    if (kind === 'directory') return { type: 'directory', path: target, kustomization: this.workspace.kustomizationIn(target) };
    if (kind === 'special') return { type: 'special', path: target };
    return { type: 'missing', path: target };
  }

  /** A path for people: relative to the workspace folder holding it, with `/` separators. */
  display(filePath: string): string {
    const root = this.workspace.roots
      .filter((r) => filePath === r || filePath.startsWith(r.endsWith(path.sep) ? r : r + path.sep))
      .sort((a, b) => b.length - a.length)[0];
    const relative = root ? path.relative(root, filePath) : filePath;
    return (relative === '' ? path.basename(filePath) : relative).split(path.sep).join('/');
  }
}

const fileSymbols = new WeakMap<WorkspaceFile, { definitions: MeshDefinition[]; references: MeshReference[] }>();

/** The mesh names a file version defines and references; read once per version. */
function meshSymbolsOf(file: WorkspaceFile): { definitions: MeshDefinition[]; references: MeshReference[] } {
  let symbols = fileSymbols.get(file);
  if (!symbols) {
    symbols = { definitions: [], references: [] };
    for (const object of file.objects) {
      // Objects outside every dialect's groups (core Services) are named by references too.
      readDefinition(object, symbols.definitions);
      const dialect = dialectOf(object);
      if (dialect) readReferences(object, dialect, symbols.references);
      if (dialect?.scopedNames) readScopedNames(object, dialect, symbols);
    }
    fileSymbols.set(file, symbols);
  }
  return symbols;
}

function readDefinition(object: ManifestObject, definitions: MeshDefinition[]): void {
  if (!isNamedKind(object.kind)) return;
  const nameNode = pairOf(pairOf(object.doc.contents, 'metadata')?.value, 'name')?.value;
  if (!isScalar(nameNode)) return;
  const range = rangeOfNode(object.lines, nameNode);
  const editRange = innerRange(object.lines, nameNode);
  const name = scalarText(nameNode);
  if (!range || !editRange || name === undefined) return;
  definitions.push({ kind: object.kind, name, path: object.path, object, range, editRange });
}

function readReferences(object: ManifestObject, dialect: Dialect, references: MeshReference[]): void {
  for (const reference of dialect.references(object)) {
    const nameNode = reference.nameNode;
    if (!isScalar(nameNode)) continue;
    const name = scalarText(nameNode);
    const range = rangeOfNode(object.lines, nameNode);
    const editRange = innerRange(object.lines, nameNode);
    if (name === undefined || !range || !editRange) continue;
    references.push({ kind: reference.kind, name, namespace: reference.namespace, path: object.path, object, role: reference.role, range, editRange });
  }
}

function readScopedNames(object: ManifestObject, dialect: Dialect, symbols: { definitions: MeshDefinition[]; references: MeshReference[] }): void {
  for (const scoped of dialect.scopedNames?.of(object) ?? []) {
    const nameNode = scoped.nameNode;
    if (!isScalar(nameNode)) continue;
    const name = scalarText(nameNode);
    const range = rangeOfNode(object.lines, nameNode);
    const editRange = innerRange(object.lines, nameNode);
    if (name === undefined || !range || !editRange) continue;
    const { kind, scope, role } = scoped;
    if (scoped.defines) {
      const entryRange = rangeOfNode(object.lines, scoped.entryNode);
      symbols.definitions.push({ kind, name, path: object.path, object, range, editRange, scoped: { scope, entryRange, labels: scoped.labels } });
    } else symbols.references.push({ kind, name, namespace: scope.namespace, path: object.path, object, role, range, editRange, scope });
  }
}

function objectKey(object: ManifestObject): string {
  return `${object.path}#${object.docIndex}`;
}

function entryKey(kustomizationPath: string, entry: KustomizationEntry): string {
  return `${kustomizationPath}:${entry.line}:${entry.range.start.character}`;
}

function add(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

const models = new WeakMap<Workspace, { generation: number; model: NavigationModel }>();

/** The navigation model of a workspace as it is now; reused until the workspace changes. */
export function navigationModel(workspace: Workspace, builds: () => Build[]): NavigationModel {
  const cached = models.get(workspace);
  if (cached && cached.generation === workspace.generation) return cached.model;
  const model = new NavigationModel(workspace, builds);
  models.set(workspace, { generation: workspace.generation, model });
  return model;
}
