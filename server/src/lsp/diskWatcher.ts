import * as fs from 'node:fs';
import * as path from 'node:path';

export interface DiskWatcherOptions {
  /** Open documents are the editor's text: their changes on disk are not ours to read. */
  isOpen(filePath: string): boolean;
  changed(filePath: string): void;
  warn(message: string): void;
}

/**
 * For clients that do not watch files for the server (no dynamic registration of
 * didChangeWatchedFiles): watches the workspace folders on disk. Returns what stops it.
 */
export function watchDisk(roots: readonly string[], options: DiskWatcherOptions): { close(): void } {
  const watchers: fs.FSWatcher[] = [];
  for (const root of roots) {
    try {
      const watcher = fs.watch(root, { recursive: true }, (_event, name) => {
        if (!name) return;
        const changed = path.join(root, name.toString());
        if (options.isOpen(changed)) return;
        options.changed(changed);
      });
      watcher.on('error', (error) => options.warn(`Watching ${root} stopped: ${error.message}`));
      watchers.push(watcher);
    } catch (error) {
      options.warn(`Cannot watch ${root}: ${(error as Error).message}`);
    }
  }
  return {
    close: () => {
      for (const watcher of watchers) watcher.close();
    },
  };
}
