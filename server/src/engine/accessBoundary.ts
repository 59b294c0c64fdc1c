import * as path from 'node:path';
import { FileSource, PathKind } from './files';

export interface WorkspaceOptions {
  /** Files larger than this many bytes are not read: a diagnostic says so. Default DEFAULT_MAX_FILE_BYTES. */
  maxFileBytes?: number;
}

/** 1 MiB: beyond any App Mesh manifest or kustomization (etcd caps a Kubernetes object at 1.5 MB), and about a second of parsing. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/** Where a path stands with respect to the workspace folders. */
export type Access = 'inside' | 'outside' | 'loop';

/**
 * What a workspace may read: paths inside its folders, as written and once symbolic links are
 * followed, and files no larger than the size limit. Answers are cached per path until `forget`.
 */
export class AccessBoundary {
  /** The workspace folders: nothing outside them is ever read, whatever a file names. */
  readonly roots: string[];
  private readonly access = new Map<string, Access>();
  private readonly realPaths = new Map<string, string>();
  private realRoots: string[] | undefined;
  private folderList: string[] | undefined;
  private maxBytes: number;

  constructor(
    private readonly source: FileSource,
    roots: string[],
    options: WorkspaceOptions,
  ) {
    this.roots = roots.map((root) => path.resolve(root));
    this.maxBytes = validLimit(options.maxFileBytes) ?? DEFAULT_MAX_FILE_BYTES;
  }

  get maxFileBytes(): number {
    return this.maxBytes;
  }

  /** Changes the size limit; true when it changed (files read under the old one must then be read again). */
  setMaxFileBytes(bytes: number | undefined): boolean {
    const limit = validLimit(bytes) ?? DEFAULT_MAX_FILE_BYTES;
    if (limit === this.maxBytes) return false;
    this.maxBytes = limit;
    return true;
  }

  /** Takes in a folder outside the roots; every answer given so far is forgotten. */
  addRoot(root: string): void {
    this.roots.push(path.resolve(root));
    this.realRoots = undefined;
    this.folderList = undefined;
    this.access.clear();
    this.realPaths.clear();
  }

  /** Forgets what is known of a path: it was created, deleted or changed. */
  forget(filePath: string): void {
    this.access.delete(filePath);
    this.realPaths.delete(filePath);
  }

  /** Records what a directory listing told: an entry that is no symbolic link, of a directory inside, is inside too. */
  knowInside(filePath: string): void {
    if (!this.access.has(filePath)) this.access.set(filePath, 'inside');
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

  /** Whether a path is a root or lies under one, as written. */
  contains(filePath: string): boolean {
    return this.roots.some((root) => filePath === root || filePath.startsWith(root + path.sep));
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
}

function validLimit(bytes: number | undefined): number | undefined {
  return typeof bytes === 'number' && Number.isFinite(bytes) && bytes > 0 ? Math.floor(bytes) : undefined;
}

function isWithin(filePath: string, folder: string): boolean {
  return filePath === folder || filePath.startsWith(folder.endsWith(path.sep) ? folder : folder + path.sep);
}
