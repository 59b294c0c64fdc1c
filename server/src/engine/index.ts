/**
 * The engine's public surface, free of LSP and VS Code: the service (createMeshService) and the
 * plain data it takes and gives. The language server and the CLI import this module only.
 */
export {
  createMeshService,
  MeshService,
  MeshServiceOptions,
  CheckResult,
  SettingsFor,
  KustomizationStage,
  StageMoveOffer,
  PlannedMove,
  DefinitionAnswer,
  DefinitionTarget,
} from './service';
export { DirectoryEntry, DiskFileSource, FileSource, PathKind, RealPath } from './files';
export { Workspace, WorkspaceFile, WorkspaceOptions, DEFAULT_MAX_FILE_BYTES } from './workspace';
export { Validator, Diagnostic, RuleSettings, SeveritySetting, ruleDocumentation, allRules } from './validator';
export { Finding, isOptionValue, Rule, RuleOption, Severity, RelatedLocation } from './rules/rule';
export { Position, Range, LineIndex } from './text';
export { TextEdit } from './edits';
export { CodeFix, FileEdit } from './fixes';
export { StageKind, StageTarget, RouterProposal } from './stages';
export {
  EntryLink,
  FileLocation,
  RenameResult,
  HoverInfo,
  WeightHint,
  SplitLens,
  CompletionSuggestion,
  CompletionKind,
  OutlineSymbol,
  OutlineKind,
} from './navigation';
export { parseKustomization, Kustomization, KustomizationEntry, isKustomizationFileName } from './kustomization';
export { buildKustomization, Build, BuiltObject } from './build';
export {
  planMigration,
  markdownReport,
  newFileName,
  MigrationPlan,
  MigrationNote,
  MigrationTarget,
  MIGRATION_TARGETS,
  TARGET_LABELS,
} from './dialects/appmesh/migration';
export { StageView, ServiceView, stageViewText, stageViewMarkdown } from './stageView';
export { DiffError, DiffSide, diffSide, KustomizationDiff, ServiceDiff, TrafficDiff, trafficDiff, trafficDiffMarkdown, trafficDiffText } from './trafficDiff';
export { defaultBranch, GitError, GitRevisionSource, mergeBase, renames, repositoryRoot, resolveCommit } from './gitRevision';
export {
  DEFAULT_ANSWER_PATTERN,
  DEFAULT_PROBE_SETTINGS,
  answerPattern,
  isKubectl,
  probePlan,
  probeReport,
  probeReportText,
  readAnswer,
  sample,
  ProbePlan,
  ProbeReport,
  ProbeSettings,
  ProbeTarget,
  ServiceObservation,
  ServiceReport,
  PROBE_DEFAULTS,
  ProbeOptions,
  ResolvedProbeOptions,
  resolveProbeOptions,
} from './probe';
