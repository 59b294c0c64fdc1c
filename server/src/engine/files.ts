import * as fs from 'node:fs';
import * as path from 'node:path';

export type PathKind = 'file' | 'directory';

/** Where the engine reads files from: the disk, or the disk overlaid with an editor's open documents. */
export interface FileSource {
  readFile(filePath: string): string | undefined;
  kindOf(filePath: string): PathKind | undefined;
  /** Names in a directory; symbolic links to directories are not listed, so a walk cannot loop. */
  listDirectory(dirPath: string): { name: string; kind: PathKind }[];
}

export class DiskFileSource implements FileSource {
  readFile(filePath: string): string | undefined {
    try {
      return fs.readFileSync(filePath, 'utf8');
    } catch {
      return undefined;
    }
  }

  kindOf(filePath: string): PathKind | undefined {
    try {
      const stat = fs.statSync(filePath);
      return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  }

  listDirectory(dirPath: string): { name: string; kind: PathKind }[] {
    let dirents: fs.Dirent[];
    try {
      dirents = fs.readdirSync(dirPath, { withFileTypes: true });
    } catch {
      return [];
    }
    const result: { name: string; kind: PathKind }[] = [];
    for (const dirent of dirents) {
      if (dirent.isDirectory()) result.push({ name: dirent.name, kind: 'directory' });
      else if (dirent.isFile()) result.push({ name: dirent.name, kind: 'file' });
      else if (dirent.isSymbolicLink() && this.kindOf(path.join(dirPath, dirent.name)) === 'file') {
        result.push({ name: dirent.name, kind: 'file' });
      }
    }
    return result;
  }
}
