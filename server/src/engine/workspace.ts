import * as path from 'node:path';
import { DirectoryEntry, FileSource, PathKind } from './files';
import { isKustomizationFileName, Kustomization, parseKustomization } from './kustomization';
import { mentionsMesh } from './dialects';
import { ManifestObject, manifestObjects } from './manifest';
import { ParsedYaml, parseYaml } from './yaml';

/** A file over the size limit: neither read in full nor parsed. */
export interface Oversize {
  bytes: number;
  limit: number;
}

/** Something that went wrong inside the engine on one file (reading or parsing it): logged once, costs only that file. */
export interface FileFailure {
  path: string;
  stage: 'reading' | 'parsing';
  error: unknown;
}

/** One version of a file; everything derived from its text is computed once and shared. */
export class WorkspaceFile {
  private parsedCache: ParsedYaml | undefined;
  private objectsCache: ManifestObject[] | undefined;
  private kustomizationCache: Kustomization | null | undefined;
  private mentionsAppMeshCache: boolean | undefined;

  /** Set when the file is larger than the workspace's limit: it is then neither read nor parsed. */
  readonly oversize: Oversize | undefined;
  /** Why reading the file failed, when it did: it then reads as empty, with a syntax error saying so. */
  readonly unreadable: string | undefined;
  private readonly onFailure: (failure: FileFailure) => void;

  constructor(
    readonly path: string,
    /** The text; empty for a file over the size limit or that could not be read. */
    readonly text: string,
    /** Changes whenever the text may have changed; rules' caches key on it. */
    readonly stamp: number,
    state: { oversize?: Oversize; unreadable?: string; onFailure?: (failure: FileFailure) => void } = {},
  ) {
    this.oversize = state.oversize;
    this.unreadable = state.unreadable;
    this.onFailure = state.onFailure ?? (() => undefined);
  }

  get isKustomization(): boolean {
    return isKustomizationFileName(path.basename(this.path));
  }

  /** Whether the text mentions App Mesh at all: a cheap test before parsing; scanned once per version. */
  get mentionsAppMesh(): boolean {
    return (this.mentionsAppMeshCache ??= mentionsMesh(this.text));
  }

  /** The parsed text. An exception inside the parser costs this file only: it reads as empty, with a syntax error saying why. */
  get parsed(): ParsedYaml {
    if (!this.parsedCache) {
      if (this.unreadable !== undefined) {
        this.parsedCache = unparsed(this.text, `This file could not be read (${this.unreadable}); it is left out.`);
      } else {
        try {
          this.parsedCache = parseYaml(this.text);
        } catch (error) {
          this.onFailure({ path: this.path, stage: 'parsing', error });
          this.parsedCache = unparsed(this.text, `This file could not be parsed (internal error: ${firstLine(error)}); it is left out.`);
        }
      }
    }
    return this.parsedCache;
  }

  get objects(): ManifestObject[] {
    if (!this.objectsCache) {
      try {
        this.objectsCache = this.isKustomization ? [] : manifestObjects(this.path, this.parsed);
      } catch (error) {
        this.onFailure({ path: this.path, stage: 'parsing', error });
        this.objectsCache = [];
      }
    }
    return this.objectsCache;
  }

  /** The kustomization this file holds; undefined for other files and for kustomizations over the size limit. */
  get kustomization(): Kustomization | undefined {
    if (!this.isKustomization || this.oversize) return undefined;
    if (this.kustomizationCache === undefined) {
      try {
        this.kustomizationCache = parseKustomization(this.path, this.parsed);
      } catch (error) {
        this.onFailure({ path: this.path, stage: 'parsing', error });
        this.kustomizationCache = null;
      }
    }
    return this.kustomizationCache ?? undefined;
  }
}

/** A file that reads as empty, with one syntax error at its start saying why. */
function unparsed(text: string, message: string): ParsedYaml {
  const at = { line: 0, character: 0 };
  return new ParsedYaml(text, [], [], [{ message, range: { start: at, end: at } }]);
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

export interface WorkspaceOptions {
  /** Files larger than this many bytes are not read: a diagnostic says so. Default DEFAULT_MAX_FILE_BYTES. */
  maxFileBytes?: number;
}

/** 1 MiB: beyond any App Mesh manifest or kustomization (etcd caps a Kubernetes object at 1.5 MB), and about a second of parsing. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** Where a path stands with respect to the workspace folders. */
export type Access = 'inside' | 'outside' | 'loop';

const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);
const YAML_FILE = /\.ya?ml$/i;

/**
 * The files under the workspace roots, read through a FileSource and cached until `invalidate`.
 * Every path handed out is absolute and normalized.
 */
export class Workspace {
  private readonly files = new Map<string, WorkspaceFile | null>();
  private readonly kinds = new Map<string, PathKind | null>();
  private readonly listings = new Map<string, DirectoryEntry[]>();
  private readonly stamps = new Map<string, number>();
  private readonly access = new Map<string, Access>();
  private readonly realPaths = new Map<string, string>();
  private realRoots: string[] | undefined;
  private folderList: string[] | undefined;
  private yamlFileList: string[] | undefined;
  private kustomizationFileList: { from: string[]; files: string[] } | undefined;
  private yamlFileSetCache: { from: string[]; set: ReadonlySet<string> } | undefined;
  private nextStamp = 1;
  private pendingFailures: FileFailure[] = [];
  private maxBytes: number;
  /** Bumped by every invalidation: a cheap check that nothing at all has changed. */
  generation = 0;
  /**
   * The paths whose stamps each generation changed (undefined: possibly everything), so that caches
   * can ask what changed since they were checked instead of checking everything they read.
   */
  private changeLog: (string | undefined)[] = [];
  /** The generation just before the log's first item. */
  private changeLogBase = 0;
  /** The last changesSince() answer, valid while the generation stays. */
  private changesMemo: { since: number; at: number; changes: readonly string[] | undefined } | undefined;

  /** The workspace folders: nothing outside them is ever read, whatever a file names. */
  readonly roots: string[];

  constructor(
    private readonly source: FileSource,
    roots: string[],
    options: WorkspaceOptions = {},
  ) {
    this.roots = roots.map((root) => path.resolve(root));
    this.maxBytes = validLimit(options.maxFileBytes) ?? DEFAULT_MAX_FILE_BYTES;
  }

  get maxFileBytes(): number {
    return this.maxBytes;
  }

  /** Changes the size limit; files read under the old one are read again. */
  setMaxFileBytes(bytes: number | undefined): void {
    const limit = validLimit(bytes) ?? DEFAULT_MAX_FILE_BYTES;
    if (limit === this.maxBytes) return;
    this.maxBytes = limit;
    for (const filePath of [...this.files.keys()]) this.invalidate(filePath);
  }

  /** Takes in a folder outside the roots, such as that of a file opened without a workspace. */
  addRoot(root: string): void {
    this.roots.push(path.resolve(root));
    this.realRoots = undefined;
    this.folderList = undefined;
    this.access.clear();
    this.realPaths.clear();
    this.yamlFileList = undefined;
    this.logChange(undefined);
  }

  /** Paths whose stamps changed after `generation`; undefined when that is unknown (too long ago, or a root was added). */
  changesSince(generation: number): readonly string[] | undefined {
    if (generation < this.changeLogBase) return undefined;
    // Thousands of caches checked after one edit all ask since the same generation: answered once.
    const memo = this.changesMemo;
    if (memo && memo.since === generation && memo.at === this.generation) return memo.changes;
    const slice = this.changeLog.slice(generation - this.changeLogBase);
    const changes = slice.includes(undefined) ? undefined : (slice as string[]);
    this.changesMemo = { since: generation, at: this.generation, changes };
    return changes;
  }

  /**
   * Whether none of these paths changed since generation `checkedAt`, when their stamps were read:
   * through the change log when it is shorter than the list, else stamp by stamp.
   */
  unchangedSince(dependencies: ReadonlyMap<string, number>, checkedAt: number): boolean {
    if (checkedAt === this.generation) return true;
    const changes = this.changesSince(checkedAt);
    if (changes && changes.length < dependencies.size) return !changes.some((changed) => dependencies.has(changed));
    for (const [dependency, stamp] of dependencies) if (this.stamp(dependency) !== stamp) return false;
    return true;
  }

  private logChange(changed: string | undefined): void {
    this.generation++;
    this.changeLog.push(changed);
    // Bounded: a cache older than this checks everything it read, as it would without the log.
    if (this.changeLog.length > 20_000) {
      this.changeLog = this.changeLog.slice(10_000);
      this.changeLogBase += 10_000;
    }
  }

  /**
   * Whether a path may be read: inside a workspace folder as written and, once symbolic links are
   * followed, still inside one ('outside' otherwise); 'loop' for a symbolic link loop.
   */
  accessOf(filePath: string): Access {
    let access = this.access.get(filePath);
    if (access === undefined) {
      access = this.computeAccess(filePath);
      this.access.set(filePath, access);
    }
    return access;
  }

  /** The path with symbolic links followed, as kustomize compares directories; as written when that cannot be told. */
  realPath(filePath: string): string {
    let real = this.realPaths.get(filePath);
    if (real === undefined) {
      let resolved;
      try {
        resolved = this.source.realPath?.(filePath);
      } catch {
        resolved = undefined;
      }
      real = typeof resolved === 'string' && resolved !== 'loop' ? resolved : filePath;
      this.realPaths.set(filePath, real);
    }
    return real;
  }

  private computeAccess(filePath: string): Access {
    if (!this.folders().some((folder) => isWithin(filePath, folder))) return 'outside';
    let real;
    try {
      real = this.source.realPath?.(filePath);
    } catch {
      real = undefined;
    }
    if (real === 'loop') return 'loop';
    if (real === undefined) return 'inside';
    this.realRoots ??= this.folders().map((folder) => {
      try {
        const resolved = this.source.realPath?.(folder);
        return typeof resolved === 'string' && resolved !== 'loop' ? resolved : folder;
      } catch {
        return folder;
      }
    });
    return this.realRoots.some((folder) => isWithin(real, folder)) ? 'inside' : 'outside';
  }

  /** The folders that may be read: each root, or for a root that is a file (`mesh-kustomize check kustomization.yaml`), its folder. */
  private folders(): string[] {
    return (this.folderList ??= this.roots.map((root) => {
      let kind: PathKind | undefined;
      try {
        kind = this.source.kindOf(root);
      } catch {
        kind = undefined;
      }
      return kind === 'file' ? path.dirname(root) : root;
    }));
  }

  /** The current version of a file, or undefined when it does not exist, is not a file, or lies outside the workspace. */
  file(filePath: string): WorkspaceFile | undefined {
    const cached = this.files.get(filePath);
    if (cached !== undefined) return cached ?? undefined;
    const file = this.kindOf(filePath) === 'file' ? this.read(filePath) : undefined;
    this.files.set(filePath, file ?? null);
    return file;
  }

  private read(filePath: string): WorkspaceFile | undefined {
    const onFailure = (failure: FileFailure): void => {
      this.pendingFailures.push(failure);
    };
    try {
      const size = this.source.sizeOf?.(filePath);
      if (size !== undefined && size > this.maxBytes) {
        return new WorkspaceFile(filePath, '', this.stamp(filePath), { oversize: { bytes: size, limit: this.maxBytes }, onFailure });
      }
      const text = this.source.readFile(filePath);
      if (text === undefined) return undefined;
      // Sources that cannot tell the size first (open documents) are measured once read.
      if (text.length > this.maxBytes / 3) {
        const bytes = Buffer.byteLength(text, 'utf8');
        if (bytes > this.maxBytes) return new WorkspaceFile(filePath, '', this.stamp(filePath), { oversize: { bytes, limit: this.maxBytes }, onFailure });
      }
      return new WorkspaceFile(filePath, text, this.stamp(filePath), { onFailure });
    } catch (error) {
      onFailure({ path: filePath, stage: 'reading', error });
      return new WorkspaceFile(filePath, '', this.stamp(filePath), { unreadable: firstLine(error), onFailure });
    }
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
      kind = this.accessOf(filePath) === 'inside' ? this.source.kindOf(filePath) : undefined;
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
        listing = this.accessOf(dirPath) === 'inside' ? this.source.listDirectory(dirPath) : [];
      } catch {
        listing = [];
      }
      this.listings.set(dirPath, listing);
      // What a listing tells need not be asked again per path: an entry of a directory inside the
      // workspace that is no symbolic link is inside too, and of the kind listed.
      for (const entry of listing) {
        if (entry.link) continue;
        const child = path.join(dirPath, entry.name);
        if (!this.access.has(child)) this.access.set(child, 'inside');
        if (!this.kinds.has(child)) this.kinds.set(child, entry.kind);
      }
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
    this.logChange(filePath);
    this.files.delete(filePath);
    this.kinds.delete(filePath);
    this.access.delete(filePath);
    this.realPaths.delete(filePath);
    this.listings.delete(filePath);
    this.stamps.set(filePath, this.nextStamp++);
    const kind = this.kindOf(filePath) ?? null;
    if (existed === undefined || existed !== kind) {
      const parent = path.dirname(filePath);
      this.listings.delete(parent);
      this.stamps.set(parent, this.nextStamp++);
      this.logChange(parent);
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
    const names = new Set(this.listDirectory(dirPath).filter((e) => e.kind === 'file').map((e) => e.name));
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
    return this.roots.some((root) => filePath === root || filePath.startsWith(root + path.sep));
  }
}

function validLimit(bytes: number | undefined): number | undefined {
  return typeof bytes === 'number' && Number.isFinite(bytes) && bytes > 0 ? Math.floor(bytes) : undefined;
}

function isWithin(filePath: string, folder: string): boolean {
  return filePath === folder || filePath.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}
