import * as path from 'node:path';
import { createMeshService, diffSide, DiffSide, GitRevisionSource, renames, repositoryRoot, resolveCommit, trafficDiff, Workspace } from '../engine';
import { TrafficDiffInfo } from '../protocol';
import { ServerContext } from './context';
import { uriToPath } from './convert';

/**
 * HEAD's side, per repository and workspace folder: read and checked once per commit, since the
 * view asks on every edit. A new commit (or checkout) replaces it.
 */
const headSides = new Map<string, { commit: string; side: Map<string, DiffSide> }>();

function headSide(root: string, scope: string, commit: string, kustomization: string, renamedFrom: string): DiffSide {
  const key = `${root}\0${scope}`;
  let cached = headSides.get(key);
  if (cached?.commit !== commit) {
    cached = { commit, side: new Map() };
    headSides.set(key, cached);
  }
  let side = cached.side.get(kustomization);
  if (!side) {
    // One service per commit would be cheaper for many kustomizations; the view shows one at a time.
    side = diffSide(createMeshService(new Workspace(new GitRevisionSource(root, commit), [scope])), renamedFrom);
    cached.side.set(kustomization, side);
  }
  return side;
}

export async function trafficDiffOf(context: ServerContext, uri: unknown): Promise<TrafficDiffInfo | null> {
  await context.settled();
  const filePath = typeof uri === 'string' ? uriToPath(uri) : undefined;
  const kustomization = filePath ? context.service.stageView(filePath)?.kustomization : undefined;
  if (!kustomization) return null;
  const root = repositoryRoot(path.dirname(kustomization));
  if (!root) return null;
  let commit: string;
  try {
    commit = resolveCommit(root, 'HEAD');
  } catch {
    return null;
  }
  const scope = context.service.workspace.roots.find((r) => kustomization.startsWith(r + path.sep)) ?? root;
  const renamed = new Map([...renames(root, commit, undefined)].map(([to, from]) => [path.join(root, to), path.join(root, from)]));
  const oldPath = renamed.get(kustomization) ?? kustomization;
  const before = headSide(root, scope, commit, kustomization, oldPath);
  const after = diffSide(context.service, kustomization);
  const diff = trafficDiff(before, after, (p) => (p === oldPath ? kustomization : undefined));
  const own = diff.kustomizations.find((k) => k.kustomization === kustomization);
  if (!own) return null;
  return { base: commit.slice(0, 7), summary: own.summary, diff: own, introduced: diff.introduced, fixed: diff.fixed };
}
