import { NameScope } from '../dialect';
import { dialectOf } from '../dialects';
import { FileEdit } from '../fixes';
import { Position, Range } from '../text';
import { contains } from './position';
import { MeshDefinition, MeshReference, NavigationModel } from './model';

/** A place in a file: what definitions, references and renames answer with. */
export interface FileLocation {
  path: string;
  range: Range;
}

/** The mesh object name under the cursor: an object's own `metadata.name`, or a reference to one. */
export interface MeshSymbol {
  kind: string;
  name: string;
  /** Where the name under the cursor is written (quotes included). */
  range: Range;
  /** The name without quotes. */
  editRange: Range;
  definition: MeshDefinition | undefined;
  reference: MeshReference | undefined;
  /** For a scoped name (a name within another object's scope): that scope. */
  scope: NameScope | undefined;
}

export function meshSymbolAt(model: NavigationModel, filePath: string, position: Position): MeshSymbol | undefined {
  const reference = model.references.find((r) => r.path === filePath && contains(r.range, position));
  if (reference) {
    const { kind, name, range, editRange, scope } = reference;
    return { kind, name, range, editRange, definition: undefined, reference, scope };
  }
  const definition = model.definitions.find((d) => d.path === filePath && contains(d.range, position));
  if (definition) {
    const { kind, name, range, editRange } = definition;
    return { kind, name, range, editRange, definition, reference: undefined, scope: definition.scoped?.scope };
  }
  return undefined;
}

/**
 * The definitions a name resolves to, running ones first: alternatives (the same router in every
 * router file of a directory) are all given, since each is a place the user may mean.
 */
export function definitionsOf(model: NavigationModel, symbol: MeshSymbol): MeshDefinition[] {
  // A scope holds its own namespace; an object named by a reference is in the reference's.
  const namespace = symbol.scope ? undefined : symbol.reference?.namespace;
  const found = model
    .definitionsOf(symbol.kind, symbol.name, symbol.scope)
    .filter((d) => !namespace || !d.object.namespace || d.object.namespace === namespace);
  return sortByRunning(model, found);
}

/** Every reference to the symbol's object, across the workspace, with its definitions first when asked. */
export function referencesOf(model: NavigationModel, symbol: MeshSymbol, includeDeclaration: boolean): FileLocation[] {
  const locations: FileLocation[] = [];
  const { kind, name, scope } = symbol;
  if (includeDeclaration) locations.push(...byPlace(model.definitionsOf(kind, name, scope)).map(({ path, range }) => ({ path, range })));
  locations.push(...byPlace(model.referencesTo(kind, name, scope)).map(({ path, range }) => ({ path, range })));
  return locations;
}

function sortByRunning(model: NavigationModel, definitions: MeshDefinition[]): MeshDefinition[] {
  const running = (d: MeshDefinition): number => (model.objectState(d.object).running ? 0 : 1);
  return [...definitions].sort((a, b) => running(a) - running(b) || comparePlaces(a, b));
}

function byPlace<T extends FileLocation>(items: T[]): T[] {
  return [...items].sort(comparePlaces);
}

function comparePlaces(a: FileLocation, b: FileLocation): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** What can be renamed at a position, and the text to offer. */
export function prepareRename(model: NavigationModel, filePath: string, position: Position): { range: Range; placeholder: string } | undefined {
  const symbol = meshSymbolAt(model, filePath, position);
  return symbol ? { range: symbol.editRange, placeholder: symbol.name } : undefined;
}

/** Kubernetes object names (DNS-1123 subdomains): what mesh objects may be called. */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export type RenameResult = { changes: FileEdit[] } | { refused: string };

/**
 * Renames an object (or a scoped name) and every reference to it, in every file of the workspace
 * (open or not): each definition of that kind and name (alternative files included) and each reference.
 */
export function rename(model: NavigationModel, filePath: string, position: Position, newName: string): RenameResult | undefined {
  const symbol = meshSymbolAt(model, filePath, position);
  if (!symbol) return undefined;
  if (newName === symbol.name) return { changes: [] };
  const { kind, scope } = symbol;
  const invalid = scope
    ? dialectOf((symbol.definition ?? symbol.reference)!.object)?.scopedNames?.invalid(kind, newName)
    : newName.length > 253 || !OBJECT_NAME.test(newName)
      ? `"${newName}" is not a valid object name: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit.`
      : undefined;
  if (invalid) return { refused: invalid };
  const taken = sortByRunning(model, model.definitionsOf(kind, newName, scope));
  if (taken.length > 0) {
    const within = scope ? ` for ${scope.kind} ${scope.name}` : '';
    return { refused: `A ${kind} named ${newName} already exists${within} (${model.display(taken[0].path)}).` };
  }
  const byFile = new Map<string, FileEdit>();
  const edit = (place: { path: string; editRange: Range }): void => {
    let change = byFile.get(place.path);
    if (!change) byFile.set(place.path, (change = { path: place.path, edits: [] }));
    change.edits.push({ range: place.editRange, newText: newName });
  };
  for (const definition of model.definitionsOf(kind, symbol.name, scope)) edit(definition);
  for (const reference of model.referencesTo(kind, symbol.name, scope)) edit(reference);
  return { changes: [...byFile.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) };
}
