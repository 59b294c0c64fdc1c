import type { Workspace } from './workspace';

/**
 * A fact summed up from many files whose version changes only when the fact itself does, such as
 * the names every file of the workspace defines: what read it stays fresh across edits that leave it.
 */
export interface VersionedFact {
  version(workspace: Workspace): number;
}

/** Anything that can tell whether what it holds is still up to date: a Fresh value, or a cache with a check of its own. */
export interface FreshnessCheck {
  isFresh(workspace: Workspace): boolean;
}

/** What a computation tells its Fresh value it read. */
export interface Reads {
  /** A file or directory (its listing): stale once the path's stamp changes. */
  path(filePath: string): void;
  /** A fact summed up from many files: stale once its version changes. */
  fact(fact: VersionedFact): void;
  /** Another cached result this one was made from: stale when that one is. */
  input(input: FreshnessCheck): void;
}

/**
 * A computed value, with what it read and the workspace generation at which it was last found
 * fresh. Checking it asks the change log what changed since then (or compares the stamps it read,
 * when the log cannot tell or is longer), then its facts and inputs; found fresh, it is stamped with
 * the current generation, so that a second check in the same generation costs nothing.
 */
export class Fresh<T> implements FreshnessCheck {
  /** The paths read, with their stamps then. */
  readonly paths = new Map<string, number>();
  private facts: Map<VersionedFact, number> | undefined;
  private inputs: FreshnessCheck[] | undefined;
  private freshAt: number;
  readonly value: T;

  private constructor(workspace: Workspace, make: (reads: Reads) => T) {
    this.freshAt = workspace.generation;
    this.value = make({
      path: (filePath) => {
        this.paths.set(filePath, workspace.stamp(filePath));
      },
      fact: (fact) => {
        (this.facts ??= new Map()).set(fact, fact.version(workspace));
      },
      input: (input) => {
        (this.inputs ??= []).push(input);
      },
    });
  }

  /** Computes a value, recording what it reads. */
  static compute<T>(workspace: Workspace, make: (reads: Reads) => T): Fresh<T> {
    return new Fresh(workspace, make);
  }

  /** Whether nothing the value was computed from has changed since it was last found fresh. */
  isFresh(workspace: Workspace): boolean {
    const generation = workspace.generation;
    if (this.freshAt === generation) return true;
    if (!workspace.unchangedSince(this.paths, this.freshAt)) return false;
    if (this.facts) for (const [fact, version] of this.facts) if (fact.version(workspace) !== version) return false;
    if (this.inputs) for (const input of this.inputs) if (!input.isFresh(workspace)) return false;
    this.freshAt = generation;
    return true;
  }
}
