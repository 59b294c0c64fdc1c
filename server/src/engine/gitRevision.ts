import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { DirectoryEntry, FileSource, PathKind, RealPath } from './files';

/** Git failed: not a repository, an unknown revision. The message is git's, for a usage error. */
export class GitError extends Error {}

function git(cwd: string, args: string[], input?: Buffer): Buffer {
  const result = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30 });
  if (result.error) throw new GitError(`git could not be run: ${result.error.message}`);
  if (result.status !== 0) throw new GitError(result.stderr.toString('utf8').trim() || `git ${args[0]} failed`);
  return result.stdout;
}

/** The repository's top folder for a path inside it, undefined outside any repository. */
export function repositoryRoot(dir: string): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** The commit a revision names, as 40 hex digits. */
export function resolveCommit(root: string, revision: string): string {
  try {
    return git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`])
      .toString('utf8')
      .trim();
  } catch {
    throw new GitError(`unknown revision: ${revision}`);
  }
}

/** The branch changes are measured against: origin/HEAD's target when set, else main, else master. */
export function defaultBranch(root: string): string | undefined {
  try {
    return git(root, ['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD']).toString('utf8').trim();
  } catch {
    for (const name of ['main', 'master']) {
      try {
        resolveCommit(root, name);
        return name;
      } catch {
        // next candidate
      }
    }
    return undefined;
  }
}

export function mergeBase(root: string, a: string, b: string): string {
  return git(root, ['merge-base', a, b]).toString('utf8').trim();
}

/** Renamed paths between two commits (or a commit and the working tree, HEAD undefined), new path → old path, relative to the root. */
export function renames(root: string, base: string, head: string | undefined): Map<string, string> {
  const fields = git(root, ['diff', '--find-renames', '-z', '--name-status', base, ...(head ? [head] : []), '--'])
    .toString('utf8')
    .split('\0');
  const result = new Map<string, string>();
  for (let i = 0; i < fields.length;) {
    const status = fields[i++];
    if (!status) break;
    if (status.startsWith('R') || status.startsWith('C')) {
      const from = fields[i++];
      const to = fields[i++];
      if (status.startsWith('R')) result.set(to, from);
    } else i++;
  }
  return result;
}

/** The names a check reads: YAML files and kustomize's extensionless `Kustomization`. */
const EAGER = /\.ya?ml$|^Kustomization$/i;

interface Entry {
  mode: string;
  object: string;
  size: number;
}

/**
 * The files of one commit, under the repository's folder on disk, so that both sides of a diff name the
 * same absolute paths. Read from git's object store in one `git cat-file --batch`: the working tree and
 * the index are never touched.
 */
export class GitRevisionSource implements FileSource {
  private readonly entries = new Map<string, Entry>();
  private readonly directories = new Map<string, DirectoryEntry[]>();
  private readonly texts = new Map<string, string>();

  constructor(
    readonly root: string,
    readonly commit: string,
  ) {
    const listing = git(root, ['ls-tree', '-r', '-z', '--long', '--full-tree', commit]).toString('utf8');
    for (const line of listing.split('\0')) {
      if (!line) continue;
      const tab = line.indexOf('\t');
      const [mode, type, object, size] = line.slice(0, tab).split(/\s+/);
      // Submodules (commit) are other repositories: not read.
      if (type !== 'blob') continue;
      this.entries.set(path.join(root, line.slice(tab + 1)), { mode, object, size: Number(size) });
    }
    this.readAll();
    this.entries.forEach((_, file) => this.addToParents(file));
  }

  /**
   * Every YAML blob (what a check reads) in one process: a request per file would spawn git thousands
   * of times on a big tree. Other files (generator inputs, links' targets aside) are read when asked.
   */
  private readAll(): void {
    const files = [...this.entries.keys()].filter((file) => this.entries.get(file)!.mode === '120000' || EAGER.test(path.basename(file)));
    if (files.length === 0) return;
    const out = git(this.root, ['cat-file', '--batch'], Buffer.from(files.map((f) => this.entries.get(f)!.object).join('\n') + '\n'));
    let offset = 0;
    for (const file of files) {
      const newline = out.indexOf(10, offset);
      const header = out.subarray(offset, newline).toString('utf8').split(' ');
      const size = Number(header[2]);
      const start = newline + 1;
      const text = out.subarray(start, start + size).toString('utf8');
      this.texts.set(file, text.startsWith('\uFEFF') ? text.slice(1) : text);
      offset = start + size + 1;
    }
  }

  private addToParents(file: string): void {
    let child = file;
    let kind: PathKind = 'file';
    while (child !== this.root) {
      const parent = path.dirname(child);
      const listing = this.directories.get(parent);
      const name = path.basename(child);
      const link = kind === 'file' && this.entries.get(child)?.mode === '120000';
      if (link && this.kindOf(child) !== 'file') return;
      const entry: DirectoryEntry = link ? { name, kind, link } : { name, kind };
      if (listing) {
        if (!listing.some((e) => e.name === name)) listing.push(entry);
        return;
      }
      this.directories.set(parent, [entry]);
      child = parent;
      kind = 'directory';
    }
  }

  readFile(filePath: string): string | undefined {
    const real = this.realPath(filePath);
    if (typeof real !== 'string') return undefined;
    const entry = this.entries.get(real);
    if (entry && !this.texts.has(real)) {
      const text = git(this.root, ['cat-file', 'blob', entry.object]).toString('utf8');
      this.texts.set(real, text.startsWith('\uFEFF') ? text.slice(1) : text);
    }
    return this.texts.get(real);
  }

  kindOf(filePath: string): PathKind | undefined {
    if (filePath === this.root || this.directories.has(filePath)) return 'directory';
    const real = this.realPath(filePath);
    if (typeof real !== 'string') return undefined;
    return this.directories.has(real) ? 'directory' : this.entries.has(real) ? 'file' : undefined;
  }

  sizeOf(filePath: string): number | undefined {
    const real = this.realPath(filePath);
    return typeof real === 'string' ? this.entries.get(real)?.size : undefined;
  }

  /** A link (mode 120000) holds its target as text; followed within the commit, at most 40 times. */
  realPath(filePath: string): RealPath {
    let current = filePath;
    for (let hops = 0; hops < 40; hops++) {
      const entry = this.entries.get(current);
      if (!entry) return this.directories.has(current) || current === this.root ? current : undefined;
      if (entry.mode !== '120000') return current;
      current = path.resolve(path.dirname(current), this.texts.get(current) ?? '');
    }
    return 'loop';
  }

  listDirectory(dirPath: string): DirectoryEntry[] {
    return this.directories.get(dirPath) ?? [];
  }
}
