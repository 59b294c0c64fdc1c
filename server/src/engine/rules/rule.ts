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
export interface Finding<Data = unknown> {
  code: string;
  path: string;
  range: Range;
  message: string;
  related?: RelatedLocation[];
  /** Facts the rule's quick fixes and severity need (closest existing names, the missing nodes, ...). */
  data?: Data;
}

export type SeveritySetting = Severity | 'off';

/**
 * A setting a rule declares for itself (VS Code: `meshKustomize.<key>`; a dotted key is a nested
 * setting), with its default: a switch, or one of a few named values. Several rules may declare the
 * same option (the same key, type and default): it is one setting.
 */
export type RuleOption = BooleanRuleOption | EnumRuleOption | TextRuleOption;

export interface BooleanRuleOption {
  key: string;
  type: 'boolean';
  default: boolean;
  description: string;
}

export interface EnumRuleOption {
  key: string;
  type: 'string';
  enum: readonly string[];
  default: string;
  description: string;
}

/** A string of a shape rather than of a few values (a version such as "1.14"); '' as default reads as unset. */
export interface TextRuleOption {
  key: string;
  type: 'string';
  /** A regular expression the whole value must match (JSON Schema's `pattern`). */
  pattern: string;
  default: string;
  description: string;
}

/** Whether a value is one the option accepts. */
export function isOptionValue(option: RuleOption, value: unknown): boolean {
  if (option.type === 'boolean') return typeof value === 'boolean';
  if (typeof value !== 'string') return false;
  return 'enum' in option ? option.enum.includes(value) : new RegExp(option.pattern).test(value);
}

/** The values of the options the rules declare, by key (settings.ts reads them, defaults fill the rest). */
export type RuleOptionValues = Readonly<Record<string, unknown>>;

interface RuleInfo<Data> {
  /** Stable identifier, shown with each diagnostic and used in settings. */
  code: string;
  defaultSeverity: Severity;
  /** One sentence for the documentation index and the settings' completion. */
  summary: string;
  options?: readonly RuleOption[];
  /** Whether a finding is reported under the rule's options; when not, it is off whatever severity the code has. */
  reported?(finding: Finding<Data>, options: RuleOptionValues): boolean;
  /** The default severity under the rule's options, when they change it (a severity set for the code still wins). */
  defaultSeverityWith?(options: RuleOptionValues): Severity;
  /** Quick fixes for one of the rule's findings, computed when the user asks for them. */
  fixes?(finding: Finding<Data>, context: FixContext): CodeFix[];
}

/**
 * Called by a file rule for each other file it reads (a sibling, say): the findings are then
 * checked again when that file changes too.
 */
export type ReadRecorder = (filePath: string) => void;

/** A rule over one file version; its findings are cached until the file, its directory or a file it read changes. */
export interface FileRule<Data = unknown> extends RuleInfo<Data> {
  scope: 'file';
  check(file: WorkspaceFile, workspace: Workspace, read: ReadRecorder): Finding<Data>[];
}

/** A rule over one kustomization build: what runs together in the cluster. */
export interface BuildRule<Data = unknown> extends RuleInfo<Data> {
  scope: 'build';
  check(analysis: BuildAnalysis): Finding<Data>[];
}

export type Rule = FileRule | BuildRule;
