import * as path from 'node:path';
import {
  createMeshService,
  diffSide,
  DiffSide,
  GitRevisionSource,
  MeshService,
  renames,
  repositoryRoot,
  resolveCommit,
  trafficDiff,
  Workspace,
} from '../engine';
import { TrafficDiffInfo } from '../protocol';
import { ServerContext } from './context';
import { uriToPath } from './convert';

/**
 * HEAD as one checked service per repository and workspace folder, read from git and checked once
 * per commit (the view asks on every edit; a new commit or checkout replaces it), with each
 * kustomization's side kept once asked.
 */
interface HeadService {
  commit: string;
  source: GitRevisionSource;
  service: MeshService;
  sides: Map<string, DiffSide>;
}
const headServices = new Map<string, HeadService>();
/** A directory's repository root (or none): git is asked once per directory, not per request. */
const repositoryRoots = new Map<string, string | undefined>();

function headService(root: string, scope: string, commit: string): HeadService {
  const key = `${root}\0${scope}`;
  let cached = headServices.get(key);
  if (cached?.commit !== commit) {
    const source = new GitRevisionSource(root, commit);
    cached = { commit, source, service: createMeshService(new Workspace(source, [scope])), sides: new Map() };
    headServices.set(key, cached);
  }
  return cached;
}

export async function trafficDiffOf(context: ServerContext, uri: unknown): Promise<TrafficDiffInfo | null> {
  await context.settled();
  const filePath = typeof uri === 'string' ? uriToPath(uri) : undefined;
  const kustomization = filePath ? context.service.stageView(filePath)?.kustomization : undefined;
  if (!kustomization) return null;
  const directory = path.dirname(kustomization);
  if (!repositoryRoots.has(directory)) repositoryRoots.set(directory, repositoryRoot(directory));
  const root = repositoryRoots.get(directory);
  if (!root) return null;
  let commit: string;
  try {
    commit = resolveCommit(root, 'HEAD');
  } catch {
    return null;
  }
  const scope = context.service.workspace.roots.find((r) => kustomization.startsWith(r + path.sep)) ?? root;
  const head = headService(root, scope, commit);
  // Only a kustomization that HEAD has not under this path can have been renamed: then ask git.
  let oldPath = kustomization;
  if (head.source.kindOf(kustomization) !== 'file') {
    const renamed = renames(root, commit, undefined).get(path.relative(root, kustomization));
    if (renamed !== undefined) oldPath = path.join(root, renamed);
  }
  let before = head.sides.get(oldPath);
  if (!before) head.sides.set(oldPath, (before = diffSide(head.service, oldPath)));
  const diff = trafficDiff(before, diffSide(context.service, kustomization), (p) => (p === oldPath ? kustomization : undefined));
  const own = diff.kustomizations.find((k) => k.kustomization === kustomization);
  if (!own) return null;
  return { base: commit.slice(0, 7), summary: own.summary, diff: own, introduced: diff.introduced, fixed: diff.fixed };
}
