import * as path from 'node:path';
import { Kustomization } from '../kustomization';
import { Workspace } from '../workspace';

/**
 * Which kustomizations are roots: those no other kustomization includes, the units `kubectl
 * kustomize` would build, and one of each group that only includes each other. Kept while edits
 * leave every kustomization's kind and included directories as they were.
 */
export class Roots {
  private cache: { generation: number; files: string[]; shapes: Map<string, string>; roots: string[] } | undefined;

  constructor(private readonly workspace: Workspace) {}

  current(): Kustomization[] {
    const files = this.workspace.kustomizationFiles();
    const cache = this.cache;
    // Edits that keep every kustomization's kind and included directories keep the roots.
    const changes = cache && cache.files === files ? this.workspace.changesSince(cache.generation) : undefined;
    if (cache && changes && changes.every((changed) => !cache.shapes.has(changed) || cache.shapes.get(changed) === this.shapeOf(changed))) {
      cache.generation = this.workspace.generation;
      return cache.roots.map((root) => this.workspace.file(root)?.kustomization).filter((k): k is Kustomization => k !== undefined);
    }
    const kustomizations = files.map((file) => this.workspace.file(file)?.kustomization).filter((k): k is Kustomization => k !== undefined);
    const included = new Set<string>();
    for (const kustomization of kustomizations) for (const dir of includedDirectories(kustomization)) included.add(dir);
    const roots = kustomizations.filter((k) => k.kind !== 'Component' && !included.has(path.dirname(k.path)));
    // Kustomizations that only include each other (b lists ../c, c lists ../b) have no root above
    // them: the first of each such group that nothing reaches is built as a root, so that its cycle is
    // reported as `kubectl kustomize` reports it.
    const byDirectory = new Map(kustomizations.map((k) => [path.dirname(k.path), k]));
    const reached = new Set<Kustomization>();
    const reach = (from: Kustomization): void => {
      const pending = [from];
      reached.add(from);
      for (let next = pending.pop(); next; next = pending.pop()) {
        for (const dir of includedDirectories(next)) {
          const child = byDirectory.get(dir);
          if (child && !reached.has(child)) {
            reached.add(child);
            pending.push(child);
          }
        }
      }
    };
    roots.forEach(reach);
    for (const kustomization of kustomizations) {
      if (reached.has(kustomization) || kustomization.kind === 'Component') continue;
      roots.push(kustomization);
      reach(kustomization);
    }
    this.cache = {
      generation: this.workspace.generation,
      files,
      shapes: new Map(files.map((file) => [file, this.shapeOf(file)])),
      roots: roots.map((k) => k.path),
    };
    return roots;
  }

  /** What of a kustomization file decides the roots: whether it reads, its kind and the directories it includes. */
  private shapeOf(filePath: string): string {
    const kustomization = this.workspace.file(filePath)?.kustomization;
    if (!kustomization) return '';
    const directories = includedDirectories(kustomization).filter((included) => this.workspace.kindOf(included) !== 'file');
    return `${kustomization.kind}\n${directories.join('\n')}`;
  }
}

/** Whether a kustomization includes a directory (another kustomization) through an enabled entry. */
export function includesDirectories(workspace: Workspace, kustomization: Kustomization): boolean {
  return includedDirectories(kustomization).some((dir) => workspace.kindOf(dir) === 'directory');
}

const includes = new WeakMap<Kustomization, string[]>();

/** The directories a kustomization includes through enabled entries; resolved once per parse. */
function includedDirectories(kustomization: Kustomization): string[] {
  let dirs = includes.get(kustomization);
  if (!dirs) {
    const dir = path.dirname(kustomization.path);
    dirs = kustomization.entries
      .filter((e) => e.enabled && (e.field === 'resources' || e.field === 'bases' || e.field === 'components'))
      .map((e) => path.resolve(dir, e.value));
    includes.set(kustomization, dirs);
  }
  return dirs;
}
