import * as path from 'node:path';
import { FileSource, PathKind } from './files';
import { isKustomizationFileName, Kustomization, parseKustomization } from './kustomization';
import { ManifestObject, manifestObjects } from './manifest';
import { ParsedYaml, parseYaml } from './yaml';

/** One version of a file; everything derived from its text is computed once and shared. */
export class WorkspaceFile {
  private parsedCache: ParsedYaml | undefined;
  private objectsCache: ManifestObject[] | undefined;
  private kustomizationCache: Kustomization | undefined;

  constructor(
    readonly path: string,
    readonly text: string,
    /** Changes whenever the text may have changed; rules' caches key on it. */
    readonly stamp: number,
  ) {}

  get isKustomization(): boolean {
    return isKustomizationFileName(path.basename(this.path));
  }

  get parsed(): ParsedYaml {
    return (this.parsedCache ??= parseYaml(this.text));
  }

  get objects(): ManifestObject[] {
    return (this.objectsCache ??= this.isKustomization ? [] : manifestObjects(this.path, this.parsed));
  }

  get kustomization(): Kustomization | undefined {
    if (!this.isKustomization) return undefined;
    return (this.kustomizationCache ??= parseKustomization(this.path, this.parsed));
  }
}

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
const YAML_FILE = /\.ya?ml$/i;

/**
 * The files under the workspace roots, read through a FileSource and cached until `invalidate`.
 * Every path handed out is absolute and normalized.
 */
export class Workspace {
  private readonly files = new Map<string, WorkspaceFile | null>();
  private readonly kinds = new Map<string, PathKind | null>();
  private readonly listings = new Map<string, { name: string; kind: PathKind }[]>();
  private readonly stamps = new Map<string, number>();
  private yamlFileList: string[] | undefined;
  private nextStamp = 1;
  /** Bumped by every invalidation: a cheap check that nothing at all has changed. */
  generation = 0;

  readonly roots: string[];

  constructor(
    private readonly source: FileSource,
    roots: string[],
  ) {
    this.roots = roots.map((root) => path.resolve(root));
  }

  /** Takes in a folder outside the roots, such as that of a file opened without a workspace. */
  addRoot(root: string): void {
    this.roots.push(path.resolve(root));
    this.yamlFileList = undefined;
    this.generation++;
  }

  /** The current version of a file, or undefined when it does not exist or is not a file. */
  file(filePath: string): WorkspaceFile | undefined {
    const cached = this.files.get(filePath);
    if (cached !== undefined) return cached ?? undefined;
    const text = this.kindOf(filePath) === 'file' ? this.source.readFile(filePath) : undefined;
    const file = text === undefined ? undefined : new WorkspaceFile(filePath, text, this.stamp(filePath));
    this.files.set(filePath, file ?? null);
    return file;
  }

  kindOf(filePath: string): PathKind | undefined {
    const cached = this.kinds.get(filePath);
    if (cached !== undefined) return cached ?? undefined;
    const kind = this.source.kindOf(filePath);
    this.kinds.set(filePath, kind ?? null);
    return kind;
  }

  listDirectory(dirPath: string): { name: string; kind: PathKind }[] {
    let listing = this.listings.get(dirPath);
    if (!listing) {
      listing = this.source.listDirectory(dirPath);
      this.listings.set(dirPath, listing);
    }
    return listing;
  }

  /** A number that changes whenever `invalidate` is called for the path; builds record it to know when to rerun. */
  stamp(filePath: string): number {
    let stamp = this.stamps.get(filePath);
    if (stamp === undefined) {
      stamp = this.nextStamp++;
      this.stamps.set(filePath, stamp);
    }
    return stamp;
  }

  /** Forget what is known of a path: its text changed, or it was created or deleted. */
  invalidate(filePath: string): void {
    const existed = this.kinds.get(filePath);
    this.generation++;
    this.files.delete(filePath);
    this.kinds.delete(filePath);
    this.listings.delete(filePath);
    this.stamps.set(filePath, this.nextStamp++);
    const kind = this.kindOf(filePath) ?? null;
    if (existed === undefined || existed !== kind) {
      const parent = path.dirname(filePath);
      this.listings.delete(parent);
      this.stamps.set(parent, this.nextStamp++);
      this.yamlFileList = undefined;
    }
  }

  /** Every YAML and kustomization file under the roots, skipping node_modules, .git and symlinked directories. */
  yamlFiles(): string[] {
    if (this.yamlFileList) return this.yamlFileList;
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of this.listDirectory(dir)) {
        const full = path.join(dir, entry.name);
        if (entry.kind === 'directory') {
          if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(full);
        } else if (YAML_FILE.test(entry.name) || isKustomizationFileName(entry.name)) {
          found.push(full);
        }
      }
    };
    for (const root of this.roots) {
      if (this.kindOf(root) === 'directory') walk(root);
      else if (this.kindOf(root) === 'file') found.push(root);
    }
    return (this.yamlFileList = found.sort());
  }

  kustomizationFiles(): string[] {
    return this.yamlFiles().filter((file) => isKustomizationFileName(path.basename(file)));
  }

  /** The kustomization file of a directory, if it has one (the first by kustomize's order when there are several). */
  kustomizationIn(dirPath: string): string | undefined {
    const names = new Set(this.listDirectory(dirPath).filter((e) => e.kind === 'file').map((e) => e.name));
    for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
      if (names.has(name)) return path.join(dirPath, name);
    }
    return undefined;
  }

  contains(filePath: string): boolean {
    return this.roots.some((root) => filePath === root || filePath.startsWith(root + path.sep));
  }
}
