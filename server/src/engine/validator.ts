import * as path from 'node:path';
import { BuildAnalysis, BuildFacts, definitions, WHOLE_WORKSPACE } from './analysis';
import { CodeFix } from './fixes';
import { Build, BuildCache, buildKustomization, BuildUnit, isBuildFresh } from './build';
import { Kustomization } from './kustomization';
import { KeyedPart, partsOf, sameItems } from './parts';
import { allRules } from './rules';
import { BuildRule, FileRule, Finding, RelatedLocation, Rule, RuleOptionValues, Severity, SeveritySetting } from './rules/rule';
import { packageDirectory } from './schemas';
import { Range } from './text';
import { Workspace } from './workspace';

export type { SeveritySetting };

/** What a user can set per file (VS Code resource scope, or a CLI config). */
export interface RuleSettings {
  /** Severity per rule code, overriding the rule's default. */
  rules?: Record<string, SeveritySetting>;
  /** Values of the options rules declare (`Rule.options`), by key; unset ones take their default. */
  options?: RuleOptionValues;
}

export interface Diagnostic {
  path: string;
  range: Range;
  severity: Severity;
  code: string;
  message: string;
  related: RelatedLocation[];
  data?: unknown;
}

export interface ValidatorOptions {
  rules?: readonly Rule[];
  /** Where a crash inside a rule or on a file is reported, once per rule, file and error; the rest goes on. */
  log?: (message: string) => void;
}

interface FileResult {
  stamp: number;
  dirStamp: number;
  ours: boolean;
  findings: Finding[];
  /** Other files the rules read, with their stamps then (rarely any). */
  reads: Map<string, number> | undefined;
}

interface BuildResult {
  build: Build | undefined;
  /** The root's own stamp; what the build read is in its units, what the rules read in the parts. */
  dependencies: Map<string, number>;
  findings: Finding[];
  /** Each part's findings, to reuse for parts that are the same in the next build of this root. */
  parts: Map<string, PartResult>;
  /** The workspace generation at which the dependencies were last found unchanged. */
  checkedAt: number;
}

interface PartResult {
  part: KeyedPart;
  /** The build-wide facts the part was checked with. */
  factsKey: string;
  dependencies: Map<string, number>;
  definitions: number | undefined;
  findings: Finding[];
  checkedAt: number;
}

/**
 * The engine's facade: validates every file and kustomization build of a workspace, reusing the
 * results of files and builds that did not change since the last call.
 */
export class Validator {
  private readonly fileRules: FileRule[];
  private readonly buildRules: BuildRule[];
  private readonly rulesByCode: ReadonlyMap<string, Rule>;
  private readonly fileResults = new Map<string, FileResult>();
  /** For each file some file rule read besides its own: the files whose findings depend on it. */
  private readonly readers = new Map<string, Set<string>>();
  private readonly buildResults = new Map<string, BuildResult>();
  private readonly buildCache = new BuildCache();
  /** How many units and parts of the live builds read each path: files read by a build are ours to check. */
  private readonly readCounts = new Map<string, number>();
  /** Findings of file rules, for files that have any. */
  private readonly fileFindings = new Map<string, Finding[]>();
  /** The generation of the last findings() pass, and the file list it walked; undefined before the first. */
  private lastPass: { generation: number; files: string[] } | undefined;
  private rootsCache: { generation: number; files: string[]; shapes: Map<string, string>; roots: string[] } | undefined;
  /** The units whose reads are counted: those of the live builds. */
  private readonly countedUnits = new Set<BuildUnit>();
  private readonly log: (message: string) => void;
  /** What was logged already: a crash repeats on every validation, its log line does not. */
  private readonly logged = new Set<string>();

  constructor(
    readonly workspace: Workspace,
    options: ValidatorOptions = {},
  ) {
    const rules = options.rules ?? allRules;
    this.fileRules = rules.filter((r): r is FileRule => r.scope === 'file');
    this.buildRules = rules.filter((r): r is BuildRule => r.scope === 'build');
    this.rulesByCode = new Map(rules.map((r) => [r.code, r]));
    this.log = options.log ?? (() => undefined);
  }

  /** Kustomizations that no other kustomization includes: the units `kubectl kustomize` would build. */
  roots(): Kustomization[] {
    const files = this.workspace.kustomizationFiles();
    const cache = this.rootsCache;
    // Edits that keep every kustomization's kind and included directories keep the roots.
    const changes = cache && cache.files === files ? this.workspace.changesSince(cache.generation) : undefined;
    if (cache && changes && changes.every((changed) => !cache.shapes.has(changed) || cache.shapes.get(changed) === this.shapeOf(changed))) {
      cache.generation = this.workspace.generation;
      return cache.roots.map((root) => this.workspace.file(root)?.kustomization).filter((k): k is Kustomization => k !== undefined);
    }
    const kustomizations = files.map((file) => this.workspace.file(file)?.kustomization).filter((k): k is Kustomization => k !== undefined);
    const included = new Set<string>();
    for (const kustomization of kustomizations) for (const dir of includedDirectories(kustomization)) included.add(dir);
    const roots = kustomizations.filter((k) => k.kind !== 'Component' && !included.has(path.dirname(k.path)));
    // Kustomizations that only include each other (b lists ../c, c lists ../b) have no root above
    // them: the first of each such group that nothing reaches is built as a root, so that its cycle is
    // reported as `kubectl kustomize` reports it.
    const byDirectory = new Map(kustomizations.map((k) => [path.dirname(k.path), k]));
    const reached = new Set<Kustomization>();
    const reach = (from: Kustomization): void => {
      const pending = [from];
      reached.add(from);
      for (let next = pending.pop(); next; next = pending.pop()) {
        for (const dir of includedDirectories(next)) {
          const child = byDirectory.get(dir);
          if (child && !reached.has(child)) {
            reached.add(child);
            pending.push(child);
          }
        }
      }
    };
    roots.forEach(reach);
    for (const kustomization of kustomizations) {
      if (reached.has(kustomization) || kustomization.kind === 'Component') continue;
      roots.push(kustomization);
      reach(kustomization);
    }
    this.rootsCache = {
      generation: this.workspace.generation,
      files,
      shapes: new Map(files.map((file) => [file, this.shapeOf(file)])),
      roots: roots.map((k) => k.path),
    };
    return roots;
  }

  /** What of a kustomization file decides the roots: whether it reads, its kind and the directories it includes. */
  private shapeOf(filePath: string): string {
    const kustomization = this.workspace.file(filePath)?.kustomization;
    if (!kustomization) return '';
    const directories = includedDirectories(kustomization).filter((included) => this.workspace.kindOf(included) !== 'file');
    return `${kustomization.kind}\n${directories.join('\n')}`;
  }

  /** The builds of the roots, as validated: reused while nothing they read has changed. */
  builds(): Build[] {
    return this.roots().flatMap((root) => this.buildResult(root).build ?? []);
  }

  /** Findings of every rule, by file. Only files and builds changed since the last call are checked again. */
  findings(): Map<string, Finding[]> {
    const byFile = new Map<string, Finding[]>();
    const add = (finding: Finding): void => {
      const list = byFile.get(finding.path);
      if (list) list.push(finding);
      else byFile.set(finding.path, [finding]);
    };
    // Files whose "ours" may have changed: a build started or stopped reading them.
    const readChanged = new Set<string>();
    const liveBuilds = new Set<string>();
    for (const root of this.roots()) {
      liveBuilds.add(root.path);
      const before = this.buildResults.get(root.path);
      const result = this.buildResult(root);
      if (result !== before) this.countReads(before, result, readChanged);
      result.findings.forEach(add);
    }
    for (const [key, result] of this.buildResults) {
      if (liveBuilds.has(key)) continue;
      this.countReads(result, undefined, readChanged);
      this.buildResults.delete(key);
    }
    this.buildCache.prune();

    const eligible = this.workspace.yamlFileSet();
    for (const filePath of this.filesToCheck(readChanged)) {
      // Checked: every YAML file of the workspace, and any other file a build reads.
      const findings = eligible.has(filePath) || this.readCounts.has(filePath) ? (this.fileResult(filePath)?.findings ?? []) : [];
      if (findings.length > 0) this.fileFindings.set(filePath, findings);
      else this.fileFindings.delete(filePath);
    }
    for (const findings of this.fileFindings.values()) findings.forEach(add);
    for (const [file, findings] of byFile) byFile.set(file, dedupe(findings));
    this.logFailures();
    return byFile;
  }

  /**
   * The files the last findings() checked with the file rules: kustomizations, App Mesh manifests and
   * every file a build reads (other YAML files, such as CI workflows, are not ours).
   */
  checkedFiles(): string[] {
    const candidates = new Set([...this.workspace.yamlFiles(), ...this.readCounts.keys()]);
    return [...candidates].filter((filePath) => this.fileResults.get(filePath)?.ours === true).sort();
  }

  /**
   * Findings of a few files (those open in the editor) before the whole workspace is validated, which
   * can take seconds in a large repository: their file rules, and the build rules of the kustomization
   * in their own directory (or theirs, for a kustomization), as if it were the root, when it includes
   * no other kustomization. The next findings() has the last word: builds above may add or clear some.
   */
  provisionalFindings(filePaths: readonly string[]): Map<string, Finding[]> {
    const byFile = new Map<string, Finding[]>();
    for (const filePath of filePaths) {
      const file = this.workspace.file(filePath);
      if (!file) continue;
      const findings = [...(this.fileResult(filePath)?.findings ?? [])];
      const kustomizationPath = file.isKustomization ? filePath : this.workspace.kustomizationIn(path.dirname(filePath));
      const kustomization = kustomizationPath ? this.workspace.file(kustomizationPath)?.kustomization : undefined;
      if (kustomization && kustomization.kind !== 'Component' && !this.includesDirectories(kustomization)) {
        try {
          const build = buildKustomization(this.workspace, kustomization, this.buildCache);
          const { facts, parts, hasSyntaxErrors } = partsOf(build, this.workspace);
          if (!hasSyntaxErrors) {
            for (const part of parts) findings.push(...this.checkPart(kustomization, build, part, facts, '').findings.filter((f) => f.path === filePath));
          }
        } catch (error) {
          this.logOnce(`build|${kustomization.path}|${firstLine(error)}`, `Building ${kustomization.path} failed: ${describe(error)}`);
        }
      }
      byFile.set(filePath, dedupe(findings));
    }
    this.logFailures();
    return byFile;
  }

  private includesDirectories(kustomization: Kustomization): boolean {
    return includedDirectories(kustomization).some((dir) => this.workspace.kindOf(dir) === 'directory');
  }

  /**
   * The files whose file-rule findings may have changed since the last pass: those changed, those in
   * changed directories and those a build started or stopped reading; every file on the first pass,
   * or when the change log cannot tell.
   */
  private filesToCheck(readChanged: ReadonlySet<string>): Iterable<string> {
    const files = this.workspace.yamlFiles();
    const last = this.lastPass;
    this.lastPass = { generation: this.workspace.generation, files };
    const changes = last ? this.workspace.changesSince(last.generation) : undefined;
    if (!last || !changes) return new Set([...this.fileFindings.keys(), ...files, ...this.readCounts.keys()]);
    const check = new Set<string>(readChanged);
    for (const changed of changes) {
      check.add(changed);
      for (const reader of this.readers.get(changed) ?? []) check.add(reader);
      // A directory's change (a file created or deleted) reaches every file in it.
      if (this.workspace.kindOf(changed) === 'directory') {
        for (const entry of this.workspace.listDirectory(changed)) if (entry.kind === 'file') check.add(path.join(changed, entry.name));
      }
    }
    if (files !== last.files) {
      // Files came or went (a directory may have gone with all its files): compare the lists.
      const before = new Set(last.files);
      for (const file of files) if (!before.delete(file)) check.add(file);
      for (const gone of before) check.add(gone);
    }
    return check;
  }

  /**
   * Moves the read counts from a build result to its successor, noting paths that started or stopped
   * being read. Units are shared between successive builds: only the subtrees that differ are walked.
   */
  private countReads(before: BuildResult | undefined, after: BuildResult | undefined, changed: Set<string>): void {
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
      count(unit.ownDependencies, 1);
      unit.children.forEach(add);
    };
    const remove = (unit: BuildUnit): void => {
      if (inAfter.has(unit) || !this.countedUnits.has(unit)) return;
      this.countedUnits.delete(unit);
      count(unit.ownDependencies, -1);
      unit.children.forEach(remove);
    };
    if (after?.build) add(after.build.unit);
    if (before?.build) remove(before.build.unit);
    // A part result is reused under its own key only: comparing by key finds the ones that came or went.
    for (const [key, part] of after?.parts ?? []) if (before?.parts.get(key) !== part) count(part.dependencies, 1);
    for (const [key, part] of before?.parts ?? []) if (after?.parts.get(key) !== part) count(part.dependencies, -1);
    if (after) count(after.dependencies, 1);
    if (before) count(before.dependencies, -1);
  }

  /** Diagnostics by file, with each file's settings applied to the findings (by default, current ones). */
  diagnostics(settingsFor: (filePath: string) => RuleSettings = () => ({}), byFile = this.findings()): Map<string, Diagnostic[]> {
    const result = new Map<string, Diagnostic[]>();
    for (const [file, findings] of byFile) {
      const settings = settingsFor(file);
      const diagnostics = findings.flatMap((finding) => {
        const severity = this.severityOfFinding(finding, settings);
        return severity === 'off' ? [] : [{ ...finding, severity, related: finding.related ?? [] }];
      });
      diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
      if (diagnostics.length > 0) result.set(file, diagnostics);
    }
    return result;
  }

  /** A finding's severity under the settings: off when its rule does not report it under its options. */
  private severityOfFinding(finding: Finding, settings: RuleSettings): SeveritySetting {
    const rule = this.rulesByCode.get(finding.code);
    if (rule?.reported && !rule.reported(finding, optionValues(rule, settings))) return 'off';
    return this.severityOf(finding.code, settings);
  }

  severityOf(code: string, settings: RuleSettings): SeveritySetting {
    const configured = settings.rules?.[code];
    if (configured) return configured;
    const rule = this.rulesByCode.get(code);
    if (!rule) return 'error';
    return rule.defaultSeverityWith?.(optionValues(rule, settings)) ?? rule.defaultSeverity;
  }

  /** Quick fixes for a finding, computed on demand against the current workspace. */
  fixes(finding: Finding): CodeFix[] {
    const rule = this.rulesByCode.get(finding.code);
    if (!rule?.fixes) return [];
    try {
      return rule.fixes(finding, { workspace: this.workspace }).filter((fix) => fix.changes.some((c) => c.edits.length > 0));
    } catch (error) {
      this.logOnce(`fixes|${finding.code}|${finding.path}|${firstLine(error)}`, `Fixes of ${finding.code} failed on ${finding.path}: ${describe(error)}`);
      return [];
    } finally {
      this.logFailures();
    }
  }

  /**
   * The safe fixes of a file's findings together ("fix all"): fixes that cannot change where traffic
   * goes, each taken only when its edits overlap none already taken.
   */
  fixAll(filePath: string, findings: Finding[]): CodeFix | undefined {
    const taken: CodeFix[] = [];
    const ranges: Range[] = [];
    const overlaps = (a: Range, b: Range): boolean => !(before(a.end, b.start) || before(b.end, a.start));
    for (const finding of findings) {
      if (finding.path !== filePath) continue;
      const fix = this.fixes(finding).find((f) => f.safe);
      if (!fix || fix.changes.some((c) => c.path !== filePath)) continue;
      const edits = fix.changes.flatMap((c) => c.edits);
      if (edits.some((e) => ranges.some((r) => overlaps(r, e.range)))) continue;
      taken.push(fix);
      ranges.push(...edits.map((e) => e.range));
    }
    if (taken.length === 0) return undefined;
    return { title: 'Fix all safe problems', safe: true, changes: [{ path: filePath, edits: taken.flatMap((f) => f.changes.flatMap((c) => c.edits)) }] };
  }

  private fileResult(filePath: string): FileResult | undefined {
    const file = this.workspace.file(filePath);
    if (!file) {
      this.setReads(filePath, this.fileResults.get(filePath), undefined);
      this.fileResults.delete(filePath);
      return undefined;
    }
    const dirStamp = this.workspace.stamp(path.dirname(filePath));
    // Files that are neither kustomizations, App Mesh manifests nor listed by a kustomization are not
    // ours; nor are Helm chart templates that no kustomization lists.
    const ours = this.readCounts.has(filePath) || ((file.isKustomization || file.mentionsAppMesh) && !this.workspace.isHelmTemplate(filePath));
    const cached = this.fileResults.get(filePath);
    if (cached && cached.stamp === file.stamp && cached.dirStamp === dirStamp && cached.ours === ours && this.readsUnchanged(cached)) return cached;
    const findings: Finding[] = [];
    let reads: Map<string, number> | undefined;
    const read = (other: string): void => {
      if (other !== filePath) (reads ??= new Map()).set(other, this.workspace.stamp(other));
    };
    if (ours) {
      for (const rule of this.fileRules) findings.push(...this.guard(rule, filePath, () => rule.check(file, this.workspace, read)));
    }
    const result: FileResult = { stamp: file.stamp, dirStamp, ours, findings, reads };
    this.setReads(filePath, cached, reads);
    this.fileResults.set(filePath, result);
    return result;
  }

  private readsUnchanged(result: FileResult): boolean {
    if (!result.reads) return true;
    for (const [other, stamp] of result.reads) if (this.workspace.stamp(other) !== stamp) return false;
    return true;
  }

  /** Moves a file from the readers of what it read before to the readers of what it reads now. */
  private setReads(filePath: string, before: FileResult | undefined, reads: Map<string, number> | undefined): void {
    for (const other of before?.reads?.keys() ?? []) {
      const readers = this.readers.get(other);
      readers?.delete(filePath);
      if (readers?.size === 0) this.readers.delete(other);
    }
    for (const other of reads?.keys() ?? []) {
      const readers = this.readers.get(other) ?? new Set<string>();
      readers.add(filePath);
      this.readers.set(other, readers);
    }
  }


  private buildResult(root: Kustomization): BuildResult {
    const cached = this.buildResults.get(root.path);
    if (cached && this.isFresh(cached)) return cached;
    let build: Build | undefined;
    const findings: Finding[] = [];
    const dependencies = new Map<string, number>([[root.path, this.workspace.stamp(root.path)]]);
    const parts = new Map<string, PartResult>();
    try {
      build = buildKustomization(this.workspace, root, this.buildCache);
    } catch (error) {
      this.logOnce(`build|${root.path}|${firstLine(error)}`, `Building ${root.path} failed: ${describe(error)}`);
    }
    // A kustomization kustomize cannot even parse builds nothing: its syntax error is the one finding worth showing.
    const parted = build && partsOf(build, this.workspace);
    if (build && parted && !parted.hasSyntaxErrors) {
      const { facts, parts: buildParts } = parted;
      const factsKey = `${facts.hasUnreadEntries}|${[...facts.renamed].join(';')}`;
      for (const part of buildParts) {
        const before = cached?.parts.get(part.key);
        const result =
          before && before.factsKey === factsKey && this.isPartReusable(before, part)
            ? before
            : this.checkPart(root, build, part, facts, factsKey);
        parts.set(part.key, result);
        findings.push(...result.findings);
      }
    }
    const result: BuildResult = { build, dependencies, findings, parts, checkedAt: this.workspace.generation };
    this.buildResults.set(root.path, result);
    return result;
  }

  private checkPart(root: Kustomization, build: Build, part: KeyedPart, facts: BuildFacts, factsKey: string): PartResult {
    const result: PartResult = { part, factsKey, dependencies: new Map(), definitions: undefined, findings: [], checkedAt: this.workspace.generation };
    const analysis = new BuildAnalysis(
      build,
      this.workspace,
      (key) => {
        if (key === WHOLE_WORKSPACE) result.definitions = definitions(this.workspace).version;
        else result.dependencies.set(key, this.workspace.stamp(key));
      },
      part,
      facts,
    );
    for (const rule of this.buildRules) result.findings.push(...this.guard(rule, root.path, () => rule.check(analysis)));
    return result;
  }

  /** Whether a part checked before holds the same objects and entries, and nothing else its rules read has changed. */
  private isPartReusable(before: PartResult, part: KeyedPart): boolean {
    // The same objects come with the same chains, hence the same kustomizations.
    if (!sameItems(before.part.objects, part.objects) || !sameItems(before.part.entries, part.entries)) return false;
    if (part.objects.length === 0 && !sameItems(before.part.kustomizations, part.kustomizations)) return false;
    return this.isPartFresh(before);
  }

  /** Whether nothing a part's rules read (files, directories, the workspace's definitions) changed since it was checked. */
  private isPartFresh(part: PartResult): boolean {
    if (part.definitions !== undefined && part.definitions !== definitions(this.workspace).version) return false;
    if (!this.workspace.unchangedSince(part.dependencies, part.checkedAt)) return false;
    part.checkedAt = this.workspace.generation;
    return true;
  }

  /** Whether nothing a build result relied on changed: the root, the build, and what each part's rules read. */
  private isFresh(result: BuildResult): boolean {
    if (result.checkedAt === this.workspace.generation) return true;
    if (!this.workspace.unchangedSince(result.dependencies, result.checkedAt)) return false;
    if (result.build && !isBuildFresh(this.workspace, result.build)) return false;
    for (const part of result.parts.values()) if (!this.isPartFresh(part)) return false;
    result.checkedAt = this.workspace.generation;
    return true;
  }

  /** Runs one rule; a crash is logged with the rule and file, and costs only that rule's findings. */
  private guard(rule: Rule, filePath: string, run: () => Finding[]): Finding[] {
    try {
      return run();
    } catch (error) {
      this.logOnce(`rule|${rule.code}|${filePath}|${firstLine(error)}`, `Rule ${rule.code} failed on ${filePath}: ${describe(error)}`);
      return [];
    }
  }

  /** Logs what went wrong reading or parsing files since the last call (each file then reads as empty or unreadable). */
  private logFailures(): void {
    for (const failure of this.workspace.takeFailures()) {
      const verb = failure.stage === 'reading' ? 'Reading' : 'Parsing';
      this.logOnce(`${failure.stage}|${failure.path}|${firstLine(failure.error)}`, `${verb} ${failure.path} failed: ${describe(failure.error)}`);
    }
  }

  private logOnce(key: string, message: string): void {
    if (this.logged.has(key)) return;
    // Bounded: a long session with ever new crashes logs them again rather than growing without end.
    if (this.logged.size >= 10_000) this.logged.clear();
    this.logged.add(key);
    this.log(message);
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

const includes = new WeakMap<Kustomization, string[]>();

/** The directories a kustomization includes through enabled entries; resolved once per parse. */
function includedDirectories(kustomization: Kustomization): string[] {
  let dirs = includes.get(kustomization);
  if (!dirs) {
    const dir = path.dirname(kustomization.path);
    dirs = kustomization.entries
      .filter((e) => e.enabled && (e.field === 'resources' || e.field === 'bases' || e.field === 'components'))
      .map((e) => path.resolve(dir, e.value));
    includes.set(kustomization, dirs);
  }
  return dirs;
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}|${f.range.start.line}:${f.range.start.character}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The documentation page of a rule, shipped in `docs/rules/`. */
/** A rule's options under the settings, defaults filling what is not set. */
function optionValues(rule: Rule, settings: RuleSettings): RuleOptionValues {
  if (!rule.options) return {};
  return Object.fromEntries(rule.options.map((option) => [option.key, settings.options?.[option.key] ?? option.default]));
}

export function ruleDocumentation(code: string): string {
  return path.join(packageDirectory('docs', path.join('rules', 'README.md')), 'rules', `${code}.md`);
}

export { allRules };
