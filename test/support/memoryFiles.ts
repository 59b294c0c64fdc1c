import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileSource, PathKind } from '../../server/src/engine';
import { CASES, REPO } from './cases';

/**
 * Files held in memory, keyed by absolute path: the engine reads them exactly as it reads the disk,
 * with no I/O, so thousands of variations validate quickly. Directories are implied by the paths.
 */
export class MemoryFileSource implements FileSource {
  readonly files = new Map<string, string>();
  /** Every read, for tests that check what the engine touched. */
  readonly reads: string[] = [];
  /** Names in each directory, kept as files are added, so lookups stay cheap with thousands of files. */
  private readonly directories = new Map<string, Map<string, PathKind>>();

  constructor(files: Iterable<[string, string]> = []) {
    for (const [filePath, text] of files) this.set(filePath, text);
  }

  set(filePath: string, text: string): void {
    const resolved = path.resolve(filePath);
    this.files.set(resolved, text);
    let child = resolved;
    let kind: PathKind = 'file';
    for (let dir = path.dirname(child); dir !== child; child = dir, dir = path.dirname(dir), kind = 'directory') {
      let names = this.directories.get(dir);
      if (!names) this.directories.set(dir, (names = new Map()));
      if (names.has(path.basename(child))) break;
      names.set(path.basename(child), kind);
    }
  }

  /** Removes a file (directories that held only it stay, empty). */
  delete(filePath: string): void {
    const resolved = path.resolve(filePath);
    this.files.delete(resolved);
    this.directories.get(path.dirname(resolved))?.delete(path.basename(resolved));
  }

  readFile(filePath: string): string | undefined {
    this.reads.push(filePath);
    return this.files.get(filePath);
  }

  sizeOf(filePath: string): number | undefined {
    const text = this.files.get(filePath);
    return text === undefined ? undefined : Buffer.byteLength(text, 'utf8');
  }

  kindOf(filePath: string): PathKind | undefined {
    if (this.files.has(filePath)) return 'file';
    return this.directories.has(filePath) ? 'directory' : undefined;
  }

  listDirectory(dirPath: string): { name: string; kind: PathKind }[] {
    return [...(this.directories.get(dirPath) ?? [])].map(([name, kind]) => ({ name, kind }));
  }
}

/** Every file of a directory tree, by path relative to it (`/` separators). */
export function readTree(dir: string): Map<string, string> {
  const result = new Map<string, string>();
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) result.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return result;
}

const CASE_META = new Set(['.base', 'expect.txt', 'kustomize-fails']);

/** A fixture case's files as its workspace holds them (base first, then the case's own), by relative path. */
export function caseFiles(name: string, casesDir = CASES): Map<string, string> {
  const source = path.join(casesDir, name);
  const files = new Map<string, string>();
  const basePath = path.join(source, '.base');
  if (fs.existsSync(basePath)) {
    for (const [rel, text] of readTree(path.join(REPO, fs.readFileSync(basePath, 'utf8').trim()))) files.set(rel, text);
  }
  for (const [rel, text] of readTree(source)) if (!CASE_META.has(rel)) files.set(rel, text);
  return files;
}
