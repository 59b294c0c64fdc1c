import { BuildFacts, BuildPart } from './analysis';
import { Build, BuildUnit, BuiltObject, EntryRef, ResolvedEntry, unitsOf } from './build';
import { dialectOf, servicesOf, splitsOf } from './dialects';
import { Kustomization } from './kustomization';
import { ManifestObject } from './manifest';
import { Workspace, WorkspaceFile } from './workspace';

/** A part of a build with the key its rule results are kept under between validations. */
export interface KeyedPart extends BuildPart {
  key: string;
}

export interface PartedBuild {
  facts: BuildFacts;
  parts: KeyedPart[];
  /** Whether a kustomization of the build has a syntax error (kustomize then builds nothing). */
  hasSyntaxErrors: boolean;
}

/**
 * Splits a build into parts whose rule findings cannot depend on each other, so that a change
 * re-checks only the parts it touched: App Mesh resolves references by name inside a namespace, and
 * kustomize's object ids include the namespace, so the objects of each namespace form one part, and
 * the entries of each kustomization (whose findings depend on what they point at only) form another.
 *
 * When an object has no namespace (it matches any) or refers to another namespace explicitly, the
 * namespaces can see each other: the build is then checked as one part, and so is a build of one
 * namespace. Everything here is summed up per build unit and cached with it, so a change costs the
 * units it touched, not the size of the build.
 */
export function partsOf(build: Build, workspace: Workspace): PartedBuild {
  const summary = summaryOf(workspace, build.unit);
  const entriesOf = new Map<Kustomization, ResolvedEntry[]>();
  for (const unit of unitsOf(build.unit)) {
    const list = entriesOf.get(unit.kustomization);
    // A kustomization included twice: both inclusions' entries, in a list of their own.
    entriesOf.set(unit.kustomization, list ? [...list, ...unit.ownEntries] : unit.ownEntries);
  }
  const renamed = new Map<string, string>();
  for (const object of summary.renamed) {
    const key = `${object.kind}\0${object.source.name}`;
    if (!renamed.has(key)) renamed.set(key, object.name);
  }
  const facts: BuildFacts = { hasUnreadEntries: summary.hasUnreadEntries, renamed, entriesOf };
  const hasSyntaxErrors = summary.hasSyntaxErrors;

  if (summary.crossNamespace || summary.byNamespace.size <= 1) {
    return { facts, hasSyntaxErrors, parts: [{ key: 'whole', objects: build.objects, entries: build.entries, kustomizations: build.kustomizations }] };
  }
  const parts: KeyedPart[] = [];
  for (const [namespace, objects] of summary.byNamespace) {
    parts.push({
      key: `namespace ${namespace}`,
      objects,
      entries: [],
      // The same objects have the same chains: computed only when the part is checked.
      get kustomizations() {
        return chainKustomizations(objects);
      },
    });
  }
  for (const [kustomization, entries] of entriesOf) {
    parts.push({ key: `entries ${kustomization.path}`, objects: [], entries, kustomizations: [] });
  }
  return { facts, parts, hasSyntaxErrors };
}

/** What partitioning needs of a unit's output, summed up from its pieces. */
interface UnitSummary {
  /** The unit's objects by namespace, in build order; lists are shared with the pieces' where they can be. */
  byNamespace: Map<string, BuiltObject[]>;
  /** Whether an object has no namespace or refers to a namespace explicitly. */
  crossNamespace: boolean;
  hasUnreadEntries: boolean;
  hasSyntaxErrors: boolean;
  /** Objects whose name namePrefix/nameSuffix changed, in build order. */
  renamed: BuiltObject[];
}

const summaries = new WeakMap<BuildUnit, UnitSummary>();

function summaryOf(workspace: Workspace, unit: BuildUnit): UnitSummary {
  const cached = summaries.get(unit);
  if (cached) return cached;
  const summary: UnitSummary = {
    byNamespace: new Map(),
    crossNamespace: false,
    hasUnreadEntries: false,
    hasSyntaxErrors: unit.kustomization.parsed.syntaxErrors.length > 0,
    renamed: [],
  };
  const owned = new Set<BuiltObject[]>();
  const addObject = (object: BuiltObject): void => {
    if (object.namespace === '' || refersToNamespace(workspace, object.source)) summary.crossNamespace = true;
    let list = summary.byNamespace.get(object.namespace);
    if (!list || !owned.has(list)) {
      list = list ? [...list] : [];
      owned.add(list);
      summary.byNamespace.set(object.namespace, list);
    }
    list.push(object);
  };

  summary.hasUnreadEntries = unit.ownEntries.some((e) => isUnread(workspace, e));
  if (unit.transforms) {
    // Namespaces and names were rewritten here: the unit's own objects are the truth.
    unit.objects.forEach(addObject);
    summary.renamed = unit.objects.filter((o) => o.name !== o.source.name);
  } else {
    for (const piece of unit.pieces) {
      if (Array.isArray(piece)) {
        piece.forEach(addObject);
        continue;
      }
      const child = summaryOf(workspace, piece);
      summary.crossNamespace ||= child.crossNamespace;
      if (child.renamed.length > 0) summary.renamed = [...summary.renamed, ...child.renamed];
      for (const [namespace, objects] of child.byNamespace) {
        const list = summary.byNamespace.get(namespace);
        if (!list) summary.byNamespace.set(namespace, objects);
        else if (owned.has(list)) list.push(...objects);
        else {
          const merged = [...list, ...objects];
          owned.add(merged);
          summary.byNamespace.set(namespace, merged);
        }
      }
    }
  }
  for (const child of unit.children) {
    const childSummary = summaryOf(workspace, child);
    summary.hasUnreadEntries ||= childSummary.hasUnreadEntries;
    summary.hasSyntaxErrors ||= childSummary.hasSyntaxErrors;
  }
  summaries.set(unit, summary);
  return summary;
}

/** Whether an enabled entry takes in something never read: remote, outside the workspace, not a regular file, too large or unreadable. */
function isUnread(workspace: Workspace, resolved: ResolvedEntry): boolean {
  if (!resolved.entry.enabled) return false;
  if (resolved.target.type === 'remote' || resolved.target.type === 'outside' || resolved.target.type === 'special') return true;
  if (resolved.target.type !== 'file') return false;
  const file = workspace.file(resolved.target.path);
  return file?.oversize !== undefined || file?.unreadable !== undefined;
}

/** The kustomizations on the way from the root to these objects' files, in build order. */
function chainKustomizations(objects: BuiltObject[]): Kustomization[] {
  const chains = new Set<EntryRef[]>();
  for (const object of objects) chains.add(object.chain);
  const found = new Set<Kustomization>();
  for (const chain of chains) for (const ref of chain) found.add(ref.kustomization);
  return [...found];
}

const explicitNamespaces = new WeakMap<ManifestObject, boolean>();

/** Whether an object's routes or provider name a namespace explicitly; once per object version. */
function refersToNamespace(workspace: Workspace, source: ManifestObject): boolean {
  let refers = explicitNamespaces.get(source);
  if (refers === undefined) {
    const file = workspace.file(source.path);
    const split = file ? splitsOf(file).find((s) => s.object === source) : undefined;
    const binding = file ? servicesOf(file).find((s) => s.object === source) : undefined;
    // Any reference that names a namespace (a route's parent or backend, a grant's) reaches across namespaces.
    refers =
      (split?.routes.some((route) => route.targets.some((target) => target.namespace !== undefined)) ?? false) ||
      binding?.provider?.namespace !== undefined ||
      (mayNameNamespaces(file) &&
        dialectOf(source)
          ?.references(source)
          .some((reference) => reference.namespace !== undefined && reference.namespace !== source.namespace)) ||
      false;
    explicitNamespaces.set(source, refers);
  }
  return refers;
}

/**
 * Whether a file may hold a reference naming a namespace: a `namespace:` key indented below an
 * object's metadata, opening a list item (however deep), or in a flow map. Walking every object's references is far dearer than this.
 */
function mayNameNamespaces(file: WorkspaceFile | undefined): boolean {
  if (!file) return false;
  let names = namingNamespaces.get(file);
  if (names === undefined) {
    names = /^[ \t]{3,}namespace:|^[ \t]*(?:- +)+namespace:|[{,][ \t]*namespace:/m.test(file.text);
    namingNamespaces.set(file, names);
  }
  return names;
}

const namingNamespaces = new WeakMap<WorkspaceFile, boolean>();

/** Whether two lists hold the same items in the same order (identity). */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
