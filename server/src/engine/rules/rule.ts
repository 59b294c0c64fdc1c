import { BuildAnalysis } from '../analysis';
import { CodeFix, FixContext } from '../fixes';
import { Range } from '../text';
import { Workspace, WorkspaceFile } from '../workspace';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedLocation {
  path: string;
  range: Range;
  message: string;
}

/** What a rule reports, before the user's severity settings are applied. */
export interface Finding {
  code: string;
  path: string;
  range: Range;
  message: string;
  related?: RelatedLocation[];
  /** Facts a quick fix needs (closest existing names, the missing nodes, ...). */
  data?: Record<string, unknown>;
  /**
   * Shown only when the user asks for the strict reading (`weightTotalMustBe100`): what the tree
   * shows is valid and meant (relative weights, say), a fact worth an error only to those who ask.
   */
  strictOnly?: boolean;
}

interface RuleInfo {
  /** Stable identifier, shown with each diagnostic and used in settings. */
  code: string;
  defaultSeverity: Severity;
  /** One sentence for the documentation index. */
  summary: string;
  /** Quick fixes for one of the rule's findings, computed when the user asks for them. */
  fixes?(finding: Finding, context: FixContext): CodeFix[];
}

/**
 * Called by a file rule for each other file it reads (a sibling, say): the findings are then
 * checked again when that file changes too.
 */
export type ReadRecorder = (filePath: string) => void;

/** A rule over one file version; its findings are cached until the file, its directory or a file it read changes. */
export interface FileRule extends RuleInfo {
  scope: 'file';
  check(file: WorkspaceFile, workspace: Workspace, read: ReadRecorder): Finding[];
}

/** A rule over one kustomization build: what runs together in the cluster. */
export interface BuildRule extends RuleInfo {
  scope: 'build';
  check(analysis: BuildAnalysis): Finding[];
}

export type Rule = FileRule | BuildRule;
