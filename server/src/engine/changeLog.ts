/**
 * What changed in a workspace, and when: a stamp per path that changes whenever the path may have
 * changed, and a generation counter with the paths each generation changed, so that caches can ask
 * what changed since they were checked instead of checking everything they read.
 */
export class ChangeLog {
  /** Bumped by every change: a cheap check that nothing at all has changed. */
  private current = 0;
  private readonly stamps = new Map<string, number>();
  private nextStamp = 1;
  /** The paths whose stamps each generation changed (undefined: possibly everything). */
  private log: (string | undefined)[] = [];
  /** The generation just before the log's first item. */
  private base = 0;
  /** The last changesSince() answer, valid while the generation stays. */
  private memo: { since: number; at: number; changes: readonly string[] | undefined } | undefined;

  get generation(): number {
    return this.current;
  }

  /** A number that changes whenever the path is recorded as changed; given out on first request. */
  stamp(filePath: string): number {
    let stamp = this.stamps.get(filePath);
    if (stamp === undefined) {
      stamp = this.nextStamp++;
      this.stamps.set(filePath, stamp);
    }
    return stamp;
  }

  /** A path changed: it gets a new stamp, in a new generation. */
  record(filePath: string): void {
    this.stamps.set(filePath, this.nextStamp++);
    this.append(filePath);
  }

  /** Anything may have changed (a root was added): caches older than this check what they read stamp by stamp. */
  recordUnknown(): void {
    this.append(undefined);
  }

  /** Paths whose stamps changed after `generation`; undefined when that is unknown (too long ago, or recordUnknown). */
  changesSince(generation: number): readonly string[] | undefined {
    if (generation < this.base) return undefined;
    // Thousands of caches checked after one edit all ask since the same generation: answered once.
    const memo = this.memo;
    if (memo && memo.since === generation && memo.at === this.current) return memo.changes;
    const slice = this.log.slice(generation - this.base);
    const changes = slice.includes(undefined) ? undefined : (slice as string[]);
    this.memo = { since: generation, at: this.current, changes };
    return changes;
  }

  /**
   * Whether none of these paths changed since generation `checkedAt`, when their stamps were read:
   * through the change log when it is shorter than the list, else stamp by stamp.
   */
  unchangedSince(dependencies: ReadonlyMap<string, number>, checkedAt: number): boolean {
    if (checkedAt === this.current) return true;
    // Each generation logs one change: the log since then is this long (when it reaches back that far).
    if (this.current - checkedAt < dependencies.size) {
      const changes = this.changesSince(checkedAt);
      if (changes) return !changes.some((changed) => dependencies.has(changed));
    }
    for (const [dependency, stamp] of dependencies) if (this.stamp(dependency) !== stamp) return false;
    return true;
  }

  private append(changed: string | undefined): void {
    this.current++;
    this.log.push(changed);
    // Bounded: a cache older than this checks everything it read, as it would without the log.
    if (this.log.length > 20_000) {
      this.log = this.log.slice(10_000);
      this.base += 10_000;
    }
  }
}
