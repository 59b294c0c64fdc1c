import * as path from 'node:path';
import { Fresh } from '../fresh';
import { FileRule, Finding } from '../rules/rule';
import { Workspace } from '../workspace';
import { FailureLog } from './failures';

/** The file rules' findings on one file version, and whether the file is ours to check at all. */
export type FileResult = Fresh<{ ours: boolean; findings: Finding[] }>;

/** What the file results need to know of the builds: a file a build reads is ours to check. */
export interface BuildReads {
  reads(filePath: string): boolean;
  readPaths(): Iterable<string>;
}

/**
 * The file rules' results per file, reused while the file, its directory and whatever else its rules
 * read are unchanged; and the findings of the last pass, for files that have any.
 */
export class FileResults {
  private readonly results = new Map<string, FileResult>();
  /** For each file some file rule read besides its own and its directory: the files whose findings depend on it. */
  private readonly readers = new Map<string, Set<string>>();
  /** Findings of file rules, for files that have any. */
  private readonly findingsByFile = new Map<string, Finding[]>();
  /** The generation of the last pass, and the file list it walked; undefined before the first. */
  private lastPass: { generation: number; files: string[] } | undefined;

  constructor(
    private readonly workspace: Workspace,
    private readonly rules: readonly FileRule[],
    private readonly failures: FailureLog,
    private readonly builds: BuildReads,
  ) {}

  /**
   * Checks again the files whose findings may have changed since the last pass (`readChanged`: the
   * paths a build started or stopped reading).
   */
  update(readChanged: ReadonlySet<string>): void {
    const eligible = this.workspace.yamlFileSet();
    for (const filePath of this.filesToCheck(readChanged)) {
      // Checked: every YAML file of the workspace, and any other file a build reads.
      const findings = eligible.has(filePath) || this.builds.reads(filePath) ? (this.of(filePath)?.value.findings ?? []) : [];
      if (findings.length > 0) this.findingsByFile.set(filePath, findings);
      else this.findingsByFile.delete(filePath);
    }
  }

  /** The findings of the last pass, one list per file that has any. */
  findings(): Iterable<Finding[]> {
    return this.findingsByFile.values();
  }

  /** Whether the file was ours to check when it was last checked. */
  checked(filePath: string): boolean {
    return this.results.get(filePath)?.value.ours === true;
  }

  /** The current result of a file: reused while fresh; undefined when there is no such file. */
  of(filePath: string): FileResult | undefined {
    const file = this.workspace.file(filePath);
    const before = this.results.get(filePath);
    if (!file) {
      this.setReaders(filePath, before, undefined);
      this.results.delete(filePath);
      return undefined;
    }
    // Files that are neither kustomizations, App Mesh manifests nor listed by a kustomization are not
    // ours; nor are Helm chart templates that no kustomization lists.
    const ours = this.builds.reads(filePath) || ((file.isKustomization || file.mentionsMesh) && !this.workspace.isHelmTemplate(filePath));
    if (before && before.value.ours === ours && before.isFresh(this.workspace)) return before;
    const result = Fresh.compute(this.workspace, (reads) => {
      reads.path(filePath);
      reads.path(path.dirname(filePath));
      const findings: Finding[] = [];
      if (ours) {
        for (const rule of this.rules) findings.push(...this.failures.guard(rule, filePath, () => rule.check(file, this.workspace, reads.path)));
      }
      return { ours, findings };
    });
    this.setReaders(filePath, before, result);
    this.results.set(filePath, result);
    return result;
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
    if (!last || !changes) return new Set([...this.findingsByFile.keys(), ...files, ...this.builds.readPaths()]);
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

  /** Moves a file from the readers of what it read before to the readers of what it reads now. */
  private setReaders(filePath: string, before: FileResult | undefined, after: FileResult | undefined): void {
    for (const other of othersRead(filePath, before)) {
      const readers = this.readers.get(other);
      readers?.delete(filePath);
      if (readers?.size === 0) this.readers.delete(other);
    }
    for (const other of othersRead(filePath, after)) {
      const readers = this.readers.get(other) ?? new Set<string>();
      readers.add(filePath);
      this.readers.set(other, readers);
    }
  }
}

/**
 * The paths a file's rules read besides the file and its directory (rarely any). The file and its
 * directory need no readers: a change of either already puts the file on the list to check.
 */
function othersRead(filePath: string, result: FileResult | undefined): string[] {
  if (!result || result.paths.size <= 2) return [];
  const dir = path.dirname(filePath);
  return [...result.paths.keys()].filter((p) => p !== filePath && p !== dir);
}
