/** The engine's public surface: plain functions and classes over data, free of LSP and VS Code. */
export { DirectoryEntry, DiskFileSource, FileSource, PathKind, RealPath } from './files';
export { Workspace, WorkspaceFile, WorkspaceOptions, DEFAULT_MAX_FILE_BYTES } from './workspace';
export { Validator, Diagnostic, RuleSettings, SeveritySetting, ruleDocumentation, allRules } from './validator';
export { Finding, Rule, Severity, RelatedLocation } from './rules/rule';
export { Position, Range, LineIndex } from './text';
export { parseKustomization, Kustomization, KustomizationEntry, isKustomizationFileName } from './kustomization';
export { buildKustomization, Build, BuiltObject } from './build';
