import { Build, BuildCache, buildKustomization, BuildUnit, isBuildFresh } from '../build';
import { Fresh } from '../fresh';
import { Kustomization } from '../kustomization';
import { partsOf } from '../parts';
import { BuildRule, Finding } from '../rules/rule';
import { Workspace } from '../workspace';
import { FailureLog } from './failures';
import { checkPart, factsKeyOf, isPartReusable, PartResult } from './partResults';

/** What one root's build gave: the build, and the build rules' findings, part by part. */
export type BuildResult = Fresh<{
  build: Build | undefined;
  findings: Finding[];
  /** Each part's findings, to reuse for parts that are the same in the next build of this root. */
  parts: Map<string, PartResult>;
}>;

/**
 * The build results of the roots, reused while nothing they read has changed (the root itself, what
 * the build read, what each part's rules read), and which paths the live builds read: files a build
 * reads are checked by the file rules too.
 */
export class BuildResults {
  private readonly results = new Map<string, BuildResult>();
  private readonly cache = new BuildCache();
  /** How many units and parts of the live builds read each path. */
  private readonly readCounts = new Map<string, number>();
  /** The units whose reads are counted: those of the live builds. */
  private readonly countedUnits = new Set<BuildUnit>();
  /** Paths that started or stopped being read since the last `update`. */
  private readChanged = new Set<string>();

  constructor(
    private readonly workspace: Workspace,
    private readonly rules: readonly BuildRule[],
    private readonly failures: FailureLog,
  ) {}

  /** The current result of a root's build: reused while fresh. */
  of(root: Kustomization): BuildResult {
    const before = this.results.get(root.path);
    if (before && before.isFresh(this.workspace)) return before;
    const result = this.compute(root, before);
    this.results.set(root.path, result);
    this.countReads(before, result);
    return result;
  }

  /**
   * Brings the results up to the given roots, dropping those of former roots. Returns the roots'
   * findings, and the paths that started or stopped being read by a build since the last update.
   */
  update(roots: readonly Kustomization[]): { findings: Finding[]; readChanged: ReadonlySet<string> } {
    const findings: Finding[] = [];
    const live = new Set<string>();
    for (const root of roots) {
      live.add(root.path);
      findings.push(...this.of(root).value.findings);
    }
    for (const [key, result] of this.results) {
      if (live.has(key)) continue;
      this.countReads(result, undefined);
      this.results.delete(key);
    }
    this.cache.prune();
    const readChanged = this.readChanged;
    this.readChanged = new Set();
    return { findings, readChanged };
  }

  /** Whether a live build reads the path. */
  reads(filePath: string): boolean {
    return this.readCounts.has(filePath);
  }

  /** Every path a live build reads. */
  readPaths(): Iterable<string> {
    return this.readCounts.keys();
  }

  /**
   * The build rules' findings on a kustomization built as if it were a root, kept nowhere (the
   * build's units are cached as usual); none when it does not build.
   */
  checkAsRoot(kustomization: Kustomization): Finding[] {
    try {
      const build = buildKustomization(this.workspace, kustomization, this.cache);
      const { facts, parts, hasSyntaxErrors } = partsOf(build, this.workspace);
      if (hasSyntaxErrors) return [];
      return parts.flatMap((part) => checkPart(this.workspace, this.rules, this.failures, kustomization, build, part, facts, '').value.findings);
    } catch (error) {
      this.failures.buildFailed(kustomization.path, error);
      return [];
    }
  }

  private compute(root: Kustomization, before: BuildResult | undefined): BuildResult {
    return Fresh.compute(this.workspace, (reads) => {
      reads.path(root.path);
      let build: Build | undefined;
      const findings: Finding[] = [];
      const parts = new Map<string, PartResult>();
      try {
        build = buildKustomization(this.workspace, root, this.cache);
      } catch (error) {
        this.failures.buildFailed(root.path, error);
      }
      if (build) {
        const built = build;
        reads.input({ isFresh: (workspace) => isBuildFresh(workspace, built) });
      }
      // A kustomization kustomize cannot even parse builds nothing: its syntax error is the one finding worth showing.
      const parted = build && partsOf(build, this.workspace);
      if (build && parted && !parted.hasSyntaxErrors) {
        const { facts } = parted;
        const factsKey = factsKeyOf(facts);
        for (const part of parted.parts) {
          const previous = before?.value.parts.get(part.key);
          const result =
            previous && isPartReusable(this.workspace, previous, part, factsKey)
              ? previous
              : checkPart(this.workspace, this.rules, this.failures, root, build, part, facts, factsKey);
          parts.set(part.key, result);
          reads.input(result);
          findings.push(...result.value.findings);
        }
      }
      return { build, findings, parts };
    });
  }

  /**
   * Moves the read counts from a build result to its successor, noting paths that started or stopped
   * being read. Units are shared between successive builds: only the subtrees that differ are walked.
   */
  private countReads(before: BuildResult | undefined, after: BuildResult | undefined): void {
    const changed = this.readChanged;
    const count = (dependencies: ReadonlyMap<string, number>, delta: 1 | -1): void => {
      for (const p of dependencies.keys()) {
        const next = (this.readCounts.get(p) ?? 0) + delta;
        if (next > 0) this.readCounts.set(p, next);
        else this.readCounts.delete(p);
        if ((delta === 1 && next === 1) || next === 0) changed.add(p);
      }
    };
    const inAfter = new Set<BuildUnit>();
    const add = (unit: BuildUnit): void => {
      inAfter.add(unit);
      if (this.countedUnits.has(unit)) return;
      this.countedUnits.add(unit);
      count(unit.fresh.paths, 1);
      unit.children.forEach(add);
    };
    const remove = (unit: BuildUnit): void => {
      if (inAfter.has(unit) || !this.countedUnits.has(unit)) return;
      this.countedUnits.delete(unit);
      count(unit.fresh.paths, -1);
      unit.children.forEach(remove);
    };
    if (after?.value.build) add(after.value.build.unit);
    if (before?.value.build) remove(before.value.build.unit);
    // A part result is reused under its own key only: comparing by key finds the ones that came or went.
    for (const [key, part] of after?.value.parts ?? []) if (before?.value.parts.get(key) !== part) count(part.paths, 1);
    for (const [key, part] of before?.value.parts ?? []) if (after?.value.parts.get(key) !== part) count(part.paths, -1);
    if (after) count(after.paths, 1);
    if (before) count(before.paths, -1);
  }
}
