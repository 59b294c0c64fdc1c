import * as path from 'node:path';
import { BuildAnalysis, definitions, WHOLE_WORKSPACE } from './analysis';
import { CodeFix } from './fixes';
import { Build, buildKustomization } from './build';
import { Kustomization } from './kustomization';
import { allRules } from './rules';
import { BuildRule, FileRule, Finding, RelatedLocation, Rule, Severity } from './rules/rule';
import { packageDirectory } from './schemas';
import { Range } from './text';
import { Workspace } from './workspace';

export type SeveritySetting = Severity | 'off';

/** What a user can set per file (VS Code resource scope, or a CLI config). */
export interface RuleSettings {
  /** Severity per rule code, overriding the rule's default. */
  rules?: Record<string, SeveritySetting>;
  /** Report weights that do not add up to 100 as errors. */
  weightTotalMustBe100?: boolean;
}

export interface Diagnostic {
  path: string;
  range: Range;
  severity: Severity;
  code: string;
  message: string;
  related: RelatedLocation[];
  data?: Record<string, unknown>;
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
}

interface BuildResult {
  build: Build | undefined;
  dependencies: Map<string, number>;
  /** Version of the workspace's definitions the build's rules relied on, if they asked. */
  definitions: number | undefined;
  findings: Finding[];
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
  private readonly buildResults = new Map<string, BuildResult>();
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
    const kustomizations = this.workspace
      .kustomizationFiles()
      .map((file) => this.workspace.file(file)?.kustomization)
      .filter((k): k is Kustomization => k !== undefined);
    const included = new Set<string>();
    for (const kustomization of kustomizations) for (const dir of includedDirectories(kustomization)) included.add(dir);
    return kustomizations.filter((k) => k.kind !== 'Component' && !included.has(path.dirname(k.path)));
  }

  /** The builds of the roots, as validated: reused while nothing they read has changed. */
  builds(): Build[] {
    return this.roots().flatMap((root) => this.buildResult(root).build ?? []);
  }

  /** Findings of every rule, by file. Only files and builds changed since the last call are checked again. */
  findings(): Map<string, Finding[]> {
    const byFile = new Map<string, Finding[]>();
    const add = (finding: Finding): void => {
      const list = byFile.get(finding.path) ?? [];
      list.push(finding);
      byFile.set(finding.path, list);
    };
    // Files a build read: listed files are ours to check even when they are not App Mesh manifests.
    const listed = new Set<string>();
    const liveBuilds = new Set<string>();
    for (const root of this.roots()) {
      liveBuilds.add(root.path);
      const result = this.buildResult(root);
      result.findings.forEach(add);
      for (const dependency of result.dependencies.keys()) listed.add(dependency);
    }
    const checkedFiles = new Set([...listed, ...this.workspace.yamlFiles()]);
    for (const filePath of checkedFiles) {
      if (filePath === WHOLE_WORKSPACE) continue;
      this.fileResult(filePath, listed)?.findings.forEach(add);
    }
    for (const key of this.buildResults.keys()) if (!liveBuilds.has(key)) this.buildResults.delete(key);
    for (const [file, findings] of byFile) byFile.set(file, dedupe(findings));
    this.logFailures();
    return byFile;
  }

  /** Diagnostics by file, with each file's settings applied to the findings (by default, current ones). */
  diagnostics(settingsFor: (filePath: string) => RuleSettings = () => ({}), byFile = this.findings()): Map<string, Diagnostic[]> {
    const result = new Map<string, Diagnostic[]>();
    for (const [file, findings] of byFile) {
      const settings = settingsFor(file);
      const diagnostics = findings.flatMap((finding) => {
        const severity = this.severityOf(finding.code, settings);
        return severity === 'off' ? [] : [{ ...finding, severity, related: finding.related ?? [] }];
      });
      diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
      if (diagnostics.length > 0) result.set(file, diagnostics);
    }
    return result;
  }

  severityOf(code: string, settings: RuleSettings): SeveritySetting {
    const configured = settings.rules?.[code];
    if (configured) return configured;
    if (code === 'weight-total-not-100' && settings.weightTotalMustBe100) return 'error';
    return this.rulesByCode.get(code)?.defaultSeverity ?? 'error';
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

  private fileResult(filePath: string, listed: ReadonlySet<string>): FileResult | undefined {
    const file = this.workspace.file(filePath);
    if (!file) {
      this.fileResults.delete(filePath);
      return undefined;
    }
    const dirStamp = this.workspace.stamp(path.dirname(filePath));
    // Files that are neither kustomizations, App Mesh manifests nor listed by a kustomization are not ours.
    const ours = file.isKustomization || listed.has(filePath) || file.mentionsAppMesh;
    const cached = this.fileResults.get(filePath);
    if (cached && cached.stamp === file.stamp && cached.dirStamp === dirStamp && cached.ours === ours) return cached;
    const findings: Finding[] = [];
    if (ours) {
      for (const rule of this.fileRules) findings.push(...this.guard(rule, filePath, () => rule.check(file, this.workspace)));
    }
    const result = { stamp: file.stamp, dirStamp, ours, findings };
    this.fileResults.set(filePath, result);
    return result;
  }


  private buildResult(root: Kustomization): BuildResult {
    const cached = this.buildResults.get(root.path);
    if (cached && this.isFresh(cached)) return cached;
    let build: Build | undefined;
    const findings: Finding[] = [];
    const dependencies = new Map<string, number>([[root.path, this.workspace.stamp(root.path)]]);
    let definitionsVersion: number | undefined;
    try {
      build = buildKustomization(this.workspace, root);
      for (const [dependency, stamp] of build.dependencies) dependencies.set(dependency, stamp);
    } catch (error) {
      this.logOnce(`build|${root.path}|${firstLine(error)}`, `Building ${root.path} failed: ${describe(error)}`);
    }
    // A kustomization kustomize cannot even parse builds nothing: its syntax error is the one finding worth showing.
    if (build && !build.kustomizations.some((k) => k.parsed.syntaxErrors.length > 0)) {
      const analysis = new BuildAnalysis(build, this.workspace, (key) => {
        if (key === WHOLE_WORKSPACE) definitionsVersion = definitions(this.workspace).version;
        else dependencies.set(key, this.workspace.stamp(key));
      });
      for (const rule of this.buildRules) findings.push(...this.guard(rule, root.path, () => rule.check(analysis)));
    }
    const result = { build, dependencies, definitions: definitionsVersion, findings };
    this.buildResults.set(root.path, result);
    return result;
  }

  private isFresh(result: BuildResult): boolean {
    if (result.definitions !== undefined && result.definitions !== definitions(this.workspace).version) return false;
    for (const [dependency, stamp] of result.dependencies) if (this.workspace.stamp(dependency) !== stamp) return false;
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
export function ruleDocumentation(code: string): string {
  return path.join(packageDirectory('docs', path.join('rules', 'README.md')), 'rules', `${code}.md`);
}

export { allRules };
