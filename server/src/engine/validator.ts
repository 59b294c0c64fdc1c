import * as path from 'node:path';
import { Build } from './build';
import { CodeFix } from './fixes';
import { Kustomization } from './kustomization';
import { allRules } from './rules';
import { BuildRule, FileRule, Finding, RelatedLocation, Rule, Severity } from './rules/rule';
import { packageDirectory } from './schemas';
import { Range } from './text';
import { BuildResults } from './validation/buildResults';
import { FailureLog } from './validation/failures';
import { FileResults } from './validation/fileResults';
import { includesDirectories, Roots } from './validation/roots';
import { RuleSettings, Severities, SeveritySetting } from './validation/severities';
import { Workspace } from './workspace';

export { RuleSettings, SeveritySetting } from './validation/severities';

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

/**
 * The engine's facade: validates every file and kustomization build of a workspace, reusing the
 * results of files and builds that did not change since the last call. The roots, the build and
 * file results and the severities are each kept by a module of validation/; this class runs a pass.
 */
export class Validator {
  private readonly rulesByCode: ReadonlyMap<string, Rule>;
  private readonly severities: Severities;
  private readonly failures: FailureLog;
  private readonly rootList: Roots;
  private readonly buildResults: BuildResults;
  private readonly fileResults: FileResults;

  constructor(
    readonly workspace: Workspace,
    options: ValidatorOptions = {},
  ) {
    const rules = options.rules ?? allRules;
    this.rulesByCode = new Map(rules.map((r) => [r.code, r]));
    this.severities = new Severities(rules);
    this.failures = new FailureLog(options.log ?? (() => undefined));
    this.rootList = new Roots(workspace);
    const buildRules = rules.filter((r): r is BuildRule => r.scope === 'build');
    const fileRules = rules.filter((r): r is FileRule => r.scope === 'file');
    this.buildResults = new BuildResults(workspace, buildRules, this.failures);
    this.fileResults = new FileResults(workspace, fileRules, this.failures, this.buildResults);
  }

  /** Kustomizations that no other kustomization includes: the units `kubectl kustomize` would build. */
  roots(): Kustomization[] {
    return this.rootList.current();
  }

  /** The builds of the roots, as validated: reused while nothing they read has changed. */
  builds(): Build[] {
    return this.roots().flatMap((root) => this.buildResults.of(root).value.build ?? []);
  }

  /** Findings of every rule, by file. Only files and builds changed since the last call are checked again. */
  findings(): Map<string, Finding[]> {
    const byFile = new Map<string, Finding[]>();
    const add = (finding: Finding): void => {
      const list = byFile.get(finding.path);
      if (list) list.push(finding);
      else byFile.set(finding.path, [finding]);
    };
    // Builds first: the files they read are ours to check, and those they started or stopped reading are checked again.
    const { findings, readChanged } = this.buildResults.update(this.roots());
    findings.forEach(add);
    this.fileResults.update(readChanged);
    for (const fileFindings of this.fileResults.findings()) fileFindings.forEach(add);
    for (const [file, list] of byFile) byFile.set(file, dedupe(list));
    this.failures.workspaceFailures(this.workspace);
    return byFile;
  }

  /**
   * The files the last findings() checked with the file rules: kustomizations, App Mesh manifests and
   * every file a build reads (other YAML files, such as CI workflows, are not ours).
   */
  checkedFiles(): string[] {
    const candidates = new Set([...this.workspace.yamlFiles(), ...this.buildResults.readPaths()]);
    return [...candidates].filter((filePath) => this.fileResults.checked(filePath)).sort();
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
      const findings = [...(this.fileResults.of(filePath)?.value.findings ?? [])];
      const kustomizationPath = file.isKustomization ? filePath : this.workspace.kustomizationIn(path.dirname(filePath));
      const kustomization = kustomizationPath ? this.workspace.file(kustomizationPath)?.kustomization : undefined;
      if (kustomization && kustomization.kind !== 'Component' && !includesDirectories(this.workspace, kustomization)) {
        findings.push(...this.buildResults.checkAsRoot(kustomization).filter((f) => f.path === filePath));
      }
      byFile.set(filePath, dedupe(findings));
    }
    this.failures.workspaceFailures(this.workspace);
    return byFile;
  }

  /** Diagnostics by file, with each file's settings applied to the findings (by default, current ones). */
  diagnostics(settingsFor: (filePath: string) => RuleSettings = () => ({}), byFile = this.findings()): Map<string, Diagnostic[]> {
    const result = new Map<string, Diagnostic[]>();
    for (const [file, findings] of byFile) {
      const settings = settingsFor(file);
      const diagnostics = findings.flatMap((finding) => {
        const severity = this.severities.ofFinding(finding, settings);
        return severity === 'off' ? [] : [{ ...finding, severity, related: finding.related ?? [] }];
      });
      diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
      if (diagnostics.length > 0) result.set(file, diagnostics);
    }
    return result;
  }

  severityOf(code: string, settings: RuleSettings): SeveritySetting {
    return this.severities.of(code, settings);
  }

  /** Quick fixes for a finding, computed on demand against the current workspace. */
  fixes(finding: Finding): CodeFix[] {
    const rule = this.rulesByCode.get(finding.code);
    if (!rule?.fixes) return [];
    try {
      return rule.fixes(finding, { workspace: this.workspace }).filter((fix) => fix.changes.some((c) => c.edits.length > 0));
    } catch (error) {
      this.failures.fixesFailed(finding, error);
      return [];
    } finally {
      this.failures.workspaceFailures(this.workspace);
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
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
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
