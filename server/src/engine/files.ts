import * as fs from 'node:fs';
import * as path from 'node:path';

/** `special`: it exists but is neither a regular file nor a directory (a FIFO, socket or device): never read, since reading a FIFO blocks. */
export type PathKind = 'file' | 'directory' | 'special';

/** A name in a directory listing. */
export interface DirectoryEntry {
  name: string;
  kind: PathKind;
  /** A symbolic link (to a file: links to directories are not listed); where it leads is asked separately. */
  link?: boolean;
}

/** Where a path really leads once symbolic links are followed; `'loop'` when they never end. */
export type RealPath = string | 'loop' | undefined;

/** Where the engine reads files from: the disk, or the disk overlaid with an editor's open documents. */
export interface FileSource {
  readFile(filePath: string): string | undefined;
  kindOf(filePath: string): PathKind | undefined;
  /** Names in a directory; symbolic links to directories are not listed, so a walk cannot loop. */
  listDirectory(dirPath: string): DirectoryEntry[];
  /** A file's size in bytes, when known without reading it: large files are refused before they are read. */
  sizeOf?(filePath: string): number | undefined;
  /**
   * The path with every symbolic link followed, `'loop'` for a link loop, undefined when it does not
   * exist. Sources without links leave it out: their paths are real as written.
   */
  realPath?(filePath: string): RealPath;
}

const BYTE_ORDER_MARK = '\uFEFF';

export class DiskFileSource implements FileSource {
  /**
   * The text, without a leading byte order mark: editors hide it, so positions must not count it.
   * Undefined when the file is gone; other failures (permissions, I/O) are thrown, for the workspace
   * to report on the file.
   */
  readFile(filePath: string): string | undefined {
    try {
      const text = fs.readFileSync(filePath, 'utf8');
      return text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
    } catch (error) {
      if (['ENOENT', 'ENOTDIR', 'EISDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
      throw error;
    }
  }

  kindOf(filePath: string): PathKind | undefined {
    try {
      const stat = fs.statSync(filePath);
      return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : 'special';
    } catch {
      return undefined;
    }
  }

  sizeOf(filePath: string): number | undefined {
    try {
      return fs.statSync(filePath).size;
    } catch {
      return undefined;
    }
  }

  realPath(filePath: string): RealPath {
    try {
      return fs.realpathSync.native(filePath);
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ELOOP' ? 'loop' : undefined;
    }
  }

  listDirectory(dirPath: string): DirectoryEntry[] {
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(dirPath, { withFileTypes: true });
    } catch {
      return [];
    }
    const result: DirectoryEntry[] = [];
    for (const dirent of dirents) {
      if (dirent.isDirectory()) result.push({ name: dirent.name, kind: 'directory' });
      else if (dirent.isFile()) result.push({ name: dirent.name, kind: 'file' });
      else if (dirent.isSymbolicLink() && this.kindOf(path.join(dirPath, dirent.name)) === 'file') {
        result.push({ name: dirent.name, kind: 'file', link: true });
      }
    }
    return result;
  }
}
