import * as path from 'node:path';
import { Access, AccessBoundary, WorkspaceOptions } from './accessBoundary';
import { ChangeLog } from './changeLog';
import { DirectoryEntry, FileSource, PathKind } from './files';
import { isKustomizationFileName } from './kustomization';
import { FileFailure, readWorkspaceFile, WorkspaceFile } from './workspaceFile';

export { Access, DEFAULT_MAX_FILE_BYTES, WorkspaceOptions } from './accessBoundary';
export { FileFailure, Oversize, WorkspaceFile } from './workspaceFile';

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
const YAML_FILE = /\.ya?ml$/i;

/**
 * The files under the workspace roots, read through a FileSource and cached until `invalidate`.
 * Every path handed out is absolute and normalized. What may be read is the access boundary's to
 * say, what changed the change log's; this class keeps what was read and the file lists.
 */
export class Workspace {
  private readonly files = new Map<string, WorkspaceFile | null>();
  private readonly kinds = new Map<string, PathKind | null>();
  private readonly listings = new Map<string, DirectoryEntry[]>();
  private readonly boundary: AccessBoundary;
  private readonly changes = new ChangeLog();
  private yamlFileList: string[] | undefined;
  private kustomizationFileList: { from: string[]; files: string[] } | undefined;
  private yamlFileSetCache: { from: string[]; set: ReadonlySet<string> } | undefined;
  private pendingFailures: FileFailure[] = [];
  private readonly onFailure = (failure: FileFailure): void => {
    this.pendingFailures.push(failure);
  };

  constructor(
    private readonly source: FileSource,
    roots: string[],
    options: WorkspaceOptions = {},
  ) {
    this.boundary = new AccessBoundary(source, roots, options);
  }

  /** The workspace folders: nothing outside them is ever read, whatever a file names. */
  get roots(): string[] {
    return this.boundary.roots;
  }

  /** Bumped by every invalidation: a cheap check that nothing at all has changed. */
  get generation(): number {
    return this.changes.generation;
  }

  get maxFileBytes(): number {
    return this.boundary.maxFileBytes;
  }

  /** Changes the size limit; files read under the old one are read again. */
  setMaxFileBytes(bytes: number | undefined): void {
    if (!this.boundary.setMaxFileBytes(bytes)) return;
    for (const filePath of [...this.files.keys()]) this.invalidate(filePath);
  }

  /** Takes in a folder outside the roots, such as that of a file opened without a workspace. */
  addRoot(root: string): void {
    this.boundary.addRoot(root);
    this.yamlFileList = undefined;
    this.changes.recordUnknown();
  }

  /** Paths whose stamps changed after `generation`; undefined when that is unknown (too long ago, or a root was added). */
  changesSince(generation: number): readonly string[] | undefined {
    return this.changes.changesSince(generation);
  }

  /**
   * Whether none of these paths changed since generation `checkedAt`, when their stamps were read:
   * through the change log when it is shorter than the list, else stamp by stamp.
   */
  unchangedSince(dependencies: ReadonlyMap<string, number>, checkedAt: number): boolean {
    return this.changes.unchangedSince(dependencies, checkedAt);
  }

  /**
   * Whether a path may be read: inside a workspace folder as written and, once symbolic links are
   * followed, still inside one ('outside' otherwise); 'loop' for a symbolic link loop.
   */
  accessOf(filePath: string): Access {
    return this.boundary.accessOf(filePath);
  }

  /** The path with symbolic links followed, as kustomize compares directories; as written when that cannot be told. */
  realPath(filePath: string): string {
    return this.boundary.realPath(filePath);
  }

  /** The current version of a file, or undefined when it does not exist, is not a file, or lies outside the workspace. */
  file(filePath: string): WorkspaceFile | undefined {
    const cached = this.files.get(filePath);
    if (cached !== undefined) return cached ?? undefined;
    const file =
      this.kindOf(filePath) === 'file' ? readWorkspaceFile(this.source, filePath, this.stamp(filePath), this.boundary.maxFileBytes, this.onFailure) : undefined;
    this.files.set(filePath, file ?? null);
    return file;
  }

  /** Failures since the last call, for the validator to log once. */
  takeFailures(): FileFailure[] {
    const failures = this.pendingFailures;
    this.pendingFailures = [];
    return failures;
  }

  /** What a path is; undefined when it does not exist or lies outside the workspace (which is never looked at). */
  kindOf(filePath: string): PathKind | undefined {
    const cached = this.kinds.get(filePath);
    if (cached !== undefined) return cached ?? undefined;
    let kind: PathKind | undefined;
    try {
      kind = this.boundary.accessOf(filePath) === 'inside' ? this.source.kindOf(filePath) : undefined;
    } catch {
      kind = undefined;
    }
    this.kinds.set(filePath, kind ?? null);
    return kind;
  }

  listDirectory(dirPath: string): DirectoryEntry[] {
    let listing = this.listings.get(dirPath);
    if (!listing) {
      try {
        listing = this.boundary.accessOf(dirPath) === 'inside' ? this.source.listDirectory(dirPath) : [];
      } catch {
        listing = [];
      }
      this.listings.set(dirPath, listing);
      // What a listing tells need not be asked again per path: an entry of a directory inside the
      // workspace that is no symbolic link is inside too, and of the kind listed.
      for (const entry of listing) {
        if (entry.link) continue;
        const child = path.join(dirPath, entry.name);
        this.boundary.knowInside(child);
        if (!this.kinds.has(child)) this.kinds.set(child, entry.kind);
      }
    }
    return listing;
  }

  /** A number that changes whenever `invalidate` is called for the path; builds record it to know when to rerun. */
  stamp(filePath: string): number {
    return this.changes.stamp(filePath);
  }

  /** Forget what is known of a path: its text changed, or it was created or deleted. */
  invalidate(filePath: string): void {
    const existed = this.kinds.get(filePath);
    this.changes.record(filePath);
    this.files.delete(filePath);
    this.kinds.delete(filePath);
    this.boundary.forget(filePath);
    this.listings.delete(filePath);
    const kind = this.kindOf(filePath) ?? null;
    if (existed === undefined || existed !== kind) {
      const parent = path.dirname(filePath);
      this.listings.delete(parent);
      this.changes.record(parent);
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

  /** The same files as yamlFiles(), for membership tests; made once per list. */
  yamlFileSet(): ReadonlySet<string> {
    const files = this.yamlFiles();
    if (this.yamlFileSetCache?.from !== files) this.yamlFileSetCache = { from: files, set: new Set(files) };
    return this.yamlFileSetCache.set;
  }

  kustomizationFiles(): string[] {
    const files = this.yamlFiles();
    if (this.kustomizationFileList?.from !== files) {
      this.kustomizationFileList = { from: files, files: files.filter((file) => isKustomizationFileName(path.basename(file))) };
    }
    return this.kustomizationFileList.files;
  }

  /** The kustomization file of a directory, if it has one (the first by kustomize's order when there are several). */
  kustomizationIn(dirPath: string): string | undefined {
    const names = new Set(
      this.listDirectory(dirPath)
        .filter((e) => e.kind === 'file')
        .map((e) => e.name),
    );
    for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
      if (names.has(name)) return path.join(dirPath, name);
    }
    return undefined;
  }

  /**
   * Whether a file is a Helm chart's template (under `templates/` beside a `Chart.yaml`): Go template
   * text that Helm renders, which kustomize never reads unless a kustomization lists it.
   */
  isHelmTemplate(filePath: string): boolean {
    for (let dir = path.dirname(filePath); this.contains(dir); dir = path.dirname(dir)) {
      if (path.basename(dir) !== 'templates') continue;
      const chart = path.dirname(dir);
      if (this.listDirectory(chart).some((entry) => entry.kind === 'file' && entry.name === 'Chart.yaml')) return true;
    }
    return false;
  }

  contains(filePath: string): boolean {
    return this.boundary.contains(filePath);
  }
}
