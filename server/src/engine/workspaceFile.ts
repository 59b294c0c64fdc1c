import * as path from 'node:path';
import { FileSource } from './files';
import { isKustomizationFileName, Kustomization, parseKustomization } from './kustomization';
import { mayDefineVersions, mentionsMesh } from './dialects';
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
  private mentionsMeshCache: boolean | undefined;
  private namesMeshCache: boolean | undefined;

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

  /** Whether the text mentions a mesh API (a dialect's API group): a cheap test before parsing; scanned once per version. */
  get mentionsMesh(): boolean {
    return (this.mentionsMeshCache ??= mentionsMesh(this.text));
  }

  /**
   * Whether the file may define an object the mesh's references name: a mesh object, or one its
   * splits send traffic to without being the dialect's own (a core Service). Such files are parsed
   * for "is it defined anywhere?" and navigation; only those that mention a mesh API are checked.
   */
  get mayDefineMeshNames(): boolean {
    return (this.namesMeshCache ??= this.mentionsMesh || mayDefineVersions(this.text));
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

/**
 * Reads the current version of a file from the source, under the size limit. A file over the limit
 * or that cannot be read still gets a version (empty, flagged), so that a diagnostic can say why.
 * Undefined when the source no longer has the file.
 */
export function readWorkspaceFile(
  source: FileSource,
  filePath: string,
  stamp: number,
  maxBytes: number,
  onFailure: (failure: FileFailure) => void,
): WorkspaceFile | undefined {
  try {
    const size = source.sizeOf?.(filePath);
    if (size !== undefined && size > maxBytes) {
      return new WorkspaceFile(filePath, '', stamp, { oversize: { bytes: size, limit: maxBytes }, onFailure });
    }
    const text = source.readFile(filePath);
    if (text === undefined) return undefined;
    // Sources that cannot tell the size first (open documents) are measured once read.
    if (text.length > maxBytes / 3) {
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > maxBytes) return new WorkspaceFile(filePath, '', stamp, { oversize: { bytes, limit: maxBytes }, onFailure });
    }
    return new WorkspaceFile(filePath, text, stamp, { onFailure });
  } catch (error) {
    onFailure({ path: filePath, stage: 'reading', error });
    return new WorkspaceFile(filePath, '', stamp, { unreadable: firstLine(error), onFailure });
  }
}
