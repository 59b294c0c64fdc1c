import * as path from 'node:path';
import { isRemoteEntry, Kustomization, KustomizationEntry } from './kustomization';
import { ManifestObject } from './manifest';
import { Workspace } from './workspace';

/** An entry of one kustomization file. */
export interface EntryRef {
  kustomization: Kustomization;
  entry: KustomizationEntry;
}

export type EntryTarget =
  | { type: 'file'; path: string }
  | { type: 'directory'; path: string; kustomization: string | undefined }
  /** Nothing there; `loop` when the path is a symbolic link loop. */
  | { type: 'missing'; path: string; loop?: boolean }
  /** Outside the workspace folders, as written or once symbolic links are followed: never read. */
  | { type: 'outside'; path: string }
  | { type: 'remote' };

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

export interface Build {
  root: Kustomization;
  /** Every kustomization read for this build, root first. */
  kustomizations: Kustomization[];
  /** Every entry, enabled or not, of every kustomization read, with what it points at. */
  entries: ResolvedEntry[];
  /** The objects `kubectl kustomize` would output for the root, in order. */
  objects: BuiltObject[];
  /** Paths consulted, with the stamp each had: the build is stale when one changes. */
  dependencies: Map<string, number>;
  /** Directories whose kustomizations include themselves, and inclusions nested deeper than MAX_BUILD_DEPTH: not followed. */
  cycles: EntryRef[];
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

/** Resolves a kustomization the way `kubectl kustomize` does, without ever fetching a remote resource. */
export function buildKustomization(workspace: Workspace, root: Kustomization): Build {
  const build: Build = { root, kustomizations: [], entries: [], objects: [], dependencies: new Map(), cycles: [] };
  const depend = (p: string): void => {
    build.dependencies.set(p, workspace.stamp(p));
  };
  depend(root.path);
  build.objects = collect(workspace, build, root, [], new Set([path.dirname(root.path)]), depend);
  return build;
}

function collect(
  workspace: Workspace,
  build: Build,
  kustomization: Kustomization,
  chain: EntryRef[],
  stack: Set<string>,
  depend: (p: string) => void,
): BuiltObject[] {
  build.kustomizations.push(kustomization);
  const dir = path.dirname(kustomization.path);
  const objects: BuiltObject[] = [];
  const components: BuiltObject[][] = [];

  for (const entry of kustomization.entries) {
    const ref: EntryRef = { kustomization, entry };
    const target = resolveEntry(workspace, dir, entry.value, depend);
    build.entries.push({ ...ref, target });
    if (!entry.enabled || (entry.field !== 'resources' && entry.field !== 'bases' && entry.field !== 'components')) continue;
    const refChain = [...chain, ref];
    let found: BuiltObject[] = [];
    if (target.type === 'file') {
      const file = workspace.file(target.path);
      found = (file?.objects ?? []).map((source) => ({
        source,
        kind: source.kind,
        name: source.name,
        namespace: source.namespace ?? '',
        chain: refChain,
      }));
    } else if (target.type === 'directory' && target.kustomization) {
      const child = workspace.file(target.kustomization)?.kustomization;
      if (!child) continue;
      if (stack.has(target.path) || stack.size >= MAX_BUILD_DEPTH) {
        build.cycles.push(ref);
        continue;
      }
      stack.add(target.path);
      found = collect(workspace, build, child, refChain, stack, depend);
      stack.delete(target.path);
    }
    if (entry.field === 'components') components.push(found);
    else objects.push(...found);
  }
  // Components act on what the kustomization has gathered so far; their own transformations were applied inside.
  for (const found of components) objects.push(...found);

  for (const object of objects) {
    if (kustomization.namespace !== undefined && !CLUSTER_SCOPED_KINDS.has(object.kind)) object.namespace = kustomization.namespace;
    object.name = kustomization.namePrefix + object.name + kustomization.nameSuffix;
  }
  return objects;
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
  return { type: 'missing', path: target };
}
