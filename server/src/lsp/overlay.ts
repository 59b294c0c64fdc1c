import * as path from 'node:path';
import { FileSource, PathKind } from '../engine';

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

  listDirectory(dirPath: string): { name: string; kind: PathKind }[] {
    const listing = this.disk.listDirectory(dirPath);
    for (const filePath of this.open.keys()) {
      const name = path.basename(filePath);
      if (path.dirname(filePath) === dirPath && !listing.some((e) => e.name === name)) listing.push({ name, kind: 'file' });
    }
    return listing;
  }
}
