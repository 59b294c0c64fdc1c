import * as path from 'node:path';
import { DirectoryEntry, FileSource, PathKind, RealPath } from '../engine';

/** The disk, overlaid with the editor's open documents: what the user sees is what is validated. */
export class OverlayFileSource implements FileSource {
  private readonly open = new Map<string, string>();

  constructor(private readonly disk: FileSource) {}

  setOpen(filePath: string, text: string): void {
    this.open.set(filePath, text);
  }

  close(filePath: string): void {
    this.open.delete(filePath);
  }

  isOpen(filePath: string): boolean {
    return this.open.has(filePath);
  }

  readFile(filePath: string): string | undefined {
    return this.open.get(filePath) ?? this.disk.readFile(filePath);
  }

  kindOf(filePath: string): PathKind | undefined {
    return this.open.has(filePath) ? 'file' : this.disk.kindOf(filePath);
  }

  /** An open document's size is measured once read; a file on disk is refused on its size alone. */
  sizeOf(filePath: string): number | undefined {
    return this.open.has(filePath) ? undefined : this.disk.sizeOf?.(filePath);
  }

  /** An open document is the editor's text, not a read of wherever a link leads; files on disk are followed. */
  realPath(filePath: string): RealPath {
    return this.open.has(filePath) ? filePath : this.disk.realPath?.(filePath);
  }

  listDirectory(dirPath: string): DirectoryEntry[] {
    const listing = this.disk.listDirectory(dirPath);
    for (const filePath of this.open.keys()) {
      const name = path.basename(filePath);
      if (path.dirname(filePath) === dirPath && !listing.some((e) => e.name === name)) listing.push({ name, kind: 'file' });
    }
    return listing;
  }
}
