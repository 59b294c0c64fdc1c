import * as path from 'node:path';
import { NameScope, sameScope } from '../dialect';
import { isKustomizationFileName, isRemoteEntry } from '../kustomization';
import { schemaFileFor } from '../schemas';
import { Position, Range } from '../text';
import { formatLabels } from '../workloads';
import { WorkspaceFile } from '../workspace';
import { code } from './describe';
import { dialectOf, dialects, isNamedKind } from '../dialects';
import { NavigationModel } from './model';
import { schemaInfo, SchemaPathSegment } from './schemaInfo';
import { documentHeader, ITEM, TextContext, textContext } from './textContext';

export type CompletionKind = 'reference' | 'file' | 'folder' | 'value' | 'property';

export interface CompletionSuggestion {
  label: string;
  kind: CompletionKind;
  detail: string | undefined;
  /** Markdown. */
  documentation: string | undefined;
  sortText: string;
  filterText: string | undefined;
  /** Replaces the token around the cursor. */
  range: Range;
  newText: string;
  deprecated: boolean;
}

/** Fields whose items are paths, and fields whose items are maps with a `path`. */
const PATH_ITEM_FIELDS = new Set<string>(['resources', 'bases', 'components', 'patchesStrategicMerge', 'crds', 'configurations']);
const PATH_KEY_FIELDS = new Set<string>(['patches', 'patchesJson6902']);

/** `schema: false` leaves out the keys and values that come from the schemas (another tool offers them). */
export function completionsAt(model: NavigationModel, filePath: string, position: Position, options: { schema?: boolean } = {}): CompletionSuggestion[] {
  const file = model.workspace.file(filePath);
  if (!file || file.oversize) return [];
  const context = textContext(file.parsed.lines, position);
  if (!context) return [];
  if (file.isKustomization) {
    const field = context.path[0];
    if (context.path.length === 2 && context.path[1] === ITEM && PATH_ITEM_FIELDS.has(field) && context.at === 'item') {
      return pathCompletions(model, file, context);
    }
    if (context.path.length === 2 && context.path[1] === ITEM && PATH_KEY_FIELDS.has(field) && context.at === 'value' && context.key === 'path') {
      return pathCompletions(model, file, context);
    }
    if (options.schema === false) return [];
    const { apiVersion, kind } = documentHeader(file.parsed.lines, position.line);
    const schemaFile = schemaFileFor(apiVersion, kind ?? 'Kustomization') ?? 'kustomization.schema.json';
    return schemaCompletions(schemaFile, context);
  }
  // The nearest key above: `virtualNodeRef` for its `name`, `backendRefs` for the `name` of one of its items.
  const parentKey = [...context.path].reverse().find((segment) => segment !== ITEM);
  const refKind = context.at === 'value' ? referencedKind(String(parentKey ?? ''), context.key!) : undefined;
  if (refKind) return nameCompletions(model, refKind, context);
  const scoped = context.at === 'value' ? scopedSlot(parentKey, context) : undefined;
  if (scoped) return scopedCompletions(model, scoped.kind, scoped.scope, context);
  const { apiVersion, kind } = documentHeader(file.parsed.lines, position.line);
  const schemaFolder = dialectOf({ apiVersion })?.schemaFolder(apiVersion);
  if (context.at === 'value' && context.path.length === 0 && context.key === 'kind' && schemaFolder) {
    return kindCompletions(apiVersion, schemaFolder, context);
  }
  const schemaFile = kind && options.schema !== false ? schemaFileFor(apiVersion, kind) : undefined;
  return schemaFile ? schemaCompletions(schemaFile, context) : [];
}

/** The kind a reference field names, in whichever dialect has the field. */
function referencedKind(parent: string, key: string): string | undefined {
  for (const dialect of dialects) {
    const kind = dialect.referencedKindAt(parent, key);
    if (kind) return kind;
  }
  return undefined;
}

/** The scoped name a value field takes and its scope, in whichever dialect has the field. */
function scopedSlot(parent: string | undefined, context: TextContext): { kind: string; scope: NameScope } | undefined {
  for (const dialect of dialects) {
    const slot = dialect.scopedNames?.at(parent, context.key!, (key) => context.siblingValues.get(key));
    if (slot) return slot;
  }
  return undefined;
}

/** The names of a kind defined within a scope anywhere in the workspace (a Service's subsets); running ones first. */
function scopedCompletions(model: NavigationModel, kind: string, scope: NameScope, context: TextContext): CompletionSuggestion[] {
  const byName = new Map<string, { running: boolean; places: string[] }>();
  for (const definition of model.definitions) {
    if (definition.kind !== kind || !sameScope(definition.scoped?.scope, scope)) continue;
    const known = byName.get(definition.name) ?? { running: false, places: [] };
    known.running ||= model.objectState(definition.object).running;
    const labels = definition.scoped?.labels;
    known.places.push(`${code(model.display(definition.path))}${labels && labels.size > 0 ? ` (${code(formatLabels(labels))})` : ''}`);
    byName.set(definition.name, known);
  }
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, { running, places }]) => ({
      label: name,
      kind: 'reference',
      detail: `${kind} of ${scope.kind} ${scope.name} · ${running ? 'running' : 'not running'}`,
      documentation: `Defined in ${[...new Set(places)].join(', ')}.`,
      sortText: `${running ? 0 : 1}-${name}`,
      filterText: undefined,
      range: context.range,
      newText: name,
      deprecated: false,
    }));
}

/** Names of the objects of a kind defined anywhere in the workspace; running ones first. */
function nameCompletions(model: NavigationModel, kind: string, context: TextContext): CompletionSuggestion[] {
  const byName = new Map<string, { running: boolean; paths: string[] }>();
  for (const definition of model.definitions) {
    if (definition.kind !== kind || definition.name === '') continue;
    const known = byName.get(definition.name) ?? { running: false, paths: [] };
    known.running ||= model.objectState(definition.object).running;
    known.paths.push(model.display(definition.path));
    byName.set(definition.name, known);
  }
  return [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, { running, paths }]) => ({
      label: name,
      kind: 'reference',
      detail: `${kind} · ${running ? 'running' : 'not running'}`,
      documentation: `Defined in ${[...new Set(paths)].map(code).join(', ')}.`,
      sortText: `${running ? 0 : 1}-${name}`,
      filterText: undefined,
      range: context.range,
      newText: name,
      deprecated: false,
    }));
}

/** Files and directories next to a kustomization (or under what is typed); files not listed yet first. */
function pathCompletions(model: NavigationModel, file: WorkspaceFile, context: TextContext): CompletionSuggestion[] {
  const kustomization = file.kustomization!;
  if (isRemoteEntry(context.prefix)) return [];
  const dir = path.dirname(file.path);
  const slash = context.prefix.lastIndexOf('/');
  const typedDir = slash < 0 ? '' : context.prefix.slice(0, slash + 1);
  const listDir = path.resolve(dir, typedDir || '.');
  const listed = new Map<string, boolean>();
  for (const entry of kustomization.entries) {
    if (isRemoteEntry(entry.value)) continue;
    const target = path.resolve(dir, entry.value);
    listed.set(target, (listed.get(target) ?? false) || entry.enabled);
  }
  const suggestions: CompletionSuggestion[] = [];
  for (const item of model.workspace.listDirectory(listDir)) {
    if (item.name.startsWith('.') || item.name === 'node_modules') continue;
    const full = path.join(listDir, item.name);
    if (item.kind === 'file' && (!/\.(ya?ml|json)$/i.test(item.name) || isKustomizationFileName(item.name))) continue;
    const isDir = item.kind === 'directory';
    if (isDir && !model.workspace.kustomizationIn(full) && !hasYaml(model, full)) continue;
    const state = listed.get(full);
    const label = isDir ? `${item.name}/` : item.name;
    let detail: string;
    if (state === undefined) detail = 'not listed yet';
    else detail = state ? 'listed' : 'commented out';
    let documentation: string | undefined;
    if (isDir) {
      const child = model.workspace.kustomizationIn(full);
      documentation = child ? `Directory with ${code(path.basename(child))}.` : 'Directory without a kustomization file.';
    } else {
      const objects = model.workspace.file(full)?.objects ?? [];
      documentation = objects.length > 0 ? `Defines ${objects.map((o) => `${o.kind} ${code(o.name)}`).join(', ')}.` : undefined;
    }
    suggestions.push({
      label,
      kind: isDir ? 'folder' : 'file',
      detail,
      documentation,
      sortText: `${state === undefined ? 0 : 1}-${isDir ? 1 : 0}-${item.name}`,
      filterText: typedDir + label,
      range: context.range,
      newText: typedDir + label,
      deprecated: false,
    });
  }
  return suggestions.sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0));
}

function hasYaml(model: NavigationModel, dir: string): boolean {
  return model.workspace.listDirectory(dir).some((e) => e.kind === 'directory' || /\.ya?ml$/i.test(e.name));
}

/** The kinds of a mesh API version, from the schemas shipped. */
function kindCompletions(apiVersion: string, schemaFolder: string, context: TextContext): CompletionSuggestion[] {
  const info = schemaInfo();
  return info
    .schemaFiles(schemaFolder)
    .map((file) => info.kindOf(file))
    .filter((kind): kind is string => kind !== undefined)
    .map((kind) => ({
      label: kind,
      kind: 'value',
      detail: apiVersion,
      documentation: undefined,
      sortText: `${isNamedKind(kind) ? 0 : 1}-${kind}`,
      filterText: undefined,
      range: context.range,
      newText: kind,
      deprecated: false,
    }));
}

/** Keys a map may hold (those not written yet), or the values an enum allows, from the schema. */
function schemaCompletions(schemaFile: string, context: TextContext): CompletionSuggestion[] {
  const info = schemaInfo();
  const schemaPath: SchemaPathSegment[] = context.path.map((segment) => (segment === ITEM ? '[]' : segment));
  if (context.at === 'value') {
    return info.values(schemaFile, [...schemaPath, context.key!]).map(({ value, description }) => valueSuggestion(value, description, context));
  }
  const suggestions: CompletionSuggestion[] = [];
  if (context.at === 'item') {
    suggestions.push(...info.values(schemaFile, schemaPath).map(({ value, description }) => valueSuggestion(value, description, context)));
  }
  const present = new Set(context.siblings);
  for (const property of info.properties(schemaFile, schemaPath)) {
    if (present.has(property.key)) continue;
    const indent = ' '.repeat(context.column + 2);
    let newText = `${property.key}: `;
    if (property.types.length === 1 && property.types[0] === 'object') newText = `${property.key}:\n${indent}`;
    else if (property.types.length === 1 && property.types[0] === 'array') newText = `${property.key}:\n${indent}- `;
    suggestions.push({
      label: property.key,
      kind: 'property',
      detail: property.types.join(' | ') || undefined,
      documentation: [property.description, property.deprecationMessage].filter(Boolean).join('\n\n') || undefined,
      sortText: `${property.deprecationMessage ? 2 : property.required ? 0 : 1}-${property.key}`,
      filterText: undefined,
      range: context.range,
      newText,
      deprecated: property.deprecationMessage !== undefined,
    });
  }
  return suggestions;
}

function valueSuggestion(value: unknown, description: string | undefined, context: TextContext): CompletionSuggestion {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return {
    label: text,
    kind: 'value',
    detail: undefined,
    documentation: description,
    sortText: `0-${text}`,
    filterText: undefined,
    range: context.range,
    newText: text,
    deprecated: false,
  };
}
