/**
 * Navigation and authoring over the workspace model: links, definitions, references, rename, hover,
 * inlay hints, completion and outlines. Plain functions over engine data, free of LSP.
 */
export { navigationModel, NavigationModel, MeshDefinition, MeshReference } from './model';
export { documentLinks, entryAt, entryLink, EntryLink } from './links';
export { meshSymbolAt, definitionsOf, referencesOf, prepareRename, rename, FileLocation, MeshSymbol, RenameResult } from './references';
export { hoverAt, HoverInfo } from './hover';
export { weightHints, WeightHint } from './inlayHints';
export { splitLenses, SplitLens } from './splitLenses';
export { completionsAt, CompletionSuggestion, CompletionKind } from './completion';
export { outline, OutlineSymbol, OutlineKind } from './symbols';
