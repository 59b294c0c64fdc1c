import { LineIndex, Position, Range } from '../text';

/**
 * Where the cursor is in YAML that is being typed, read from the text's indentation rather than a
 * parse tree: while a user types, the document is often incomplete (`name:` with no value yet, a
 * key half written), and the path to the cursor must still be known.
 */

/** A path of keys from the document's root; `ITEM` stands for "an item of the sequence". */
export const ITEM = '[]';
export type TextPath = string[];

interface LineShape {
  blank: boolean;
  /** `---` or `...`: a document boundary. */
  boundary: boolean;
  /** Column of the first character that is not a space. */
  indent: number;
  /** Columns of the `- ` markers before the content. */
  dashes: number[];
  key: string | undefined;
  keyCol: number;
  /** The value after `key:`, without a trailing comment; '' when the value is on the following lines. */
  value: string;
}

/** Thrown (and caught) when the cursor is inside a block scalar (`key: |`): text, not YAML structure. */
class InsideText extends Error {}

const KEY = /^("[^"]*"|'[^']*'|[^\s#'"[\]{},:][^#]*?)\s*:(?:\s+|$)(.*)$/;

function shape(text: string): LineShape {
  const indent = text.length - text.trimStart().length;
  const rest = text.slice(indent);
  const result: LineShape = {
    blank: rest === '' || rest.startsWith('#'),
    boundary: /^(---|\.\.\.)(\s|$)/.test(text),
    indent,
    dashes: [],
    key: undefined,
    keyCol: indent,
    value: '',
  };
  if (result.blank || result.boundary) return result;
  let col = indent;
  let content = rest;
  for (let dash = /^-(\s+|$)/.exec(content); dash; dash = /^-(\s+|$)/.exec(content)) {
    result.dashes.push(col);
    col += dash[0].length;
    content = content.slice(dash[0].length);
  }
  result.keyCol = col;
  const match = KEY.exec(content);
  if (match) {
    result.key = match[1].replace(/^(["'])(.*)\1$/, '$2');
    result.value = stripComment(match[2]).trim();
    if (/^[&!][^\s]*$/.test(result.value)) result.value = '';
  }
  return result;
}

function stripComment(value: string): string {
  const hash = value.search(/(^|\s)#/);
  return hash < 0 ? value : value.slice(0, hash);
}

function shapes(lines: LineIndex): LineShape[] {
  const result: LineShape[] = [];
  for (let line = 0; line < lines.lineCount; line++) result.push(shape(lines.lineText(line)));
  return result;
}

/** The lines of the document (between `---` markers) that holds a line: [first, end). */
export function documentLines(lines: LineIndex, line: number): [number, number] {
  let first = line;
  while (first > 0 && !shape(lines.lineText(first - 1)).boundary) first--;
  let end = line + 1;
  while (end < lines.lineCount && !shape(lines.lineText(end)).boundary) end++;
  if (shape(lines.lineText(line)).boundary) return [line + 1, end];
  return [first, end];
}

/** The top-level `apiVersion` and `kind` of the document holding a line, as written. */
export function documentHeader(lines: LineIndex, line: number): { apiVersion: string; kind: string | undefined } {
  const [first, end] = documentLines(lines, line);
  let apiVersion = '';
  let kind: string | undefined;
  for (let l = first; l < end; l++) {
    const s = shape(lines.lineText(l));
    if (s.indent !== 0 || s.dashes.length > 0 || !s.key) continue;
    const value = s.value.replace(/^(["'])(.*)\1$/, '$2');
    if (s.key === 'apiVersion') apiVersion = value;
    if (s.key === 'kind') kind = value;
  }
  return { apiVersion, kind };
}

/**
 * The keys leading to the node at column `col` of line `line`: `item` when that node is an item of
 * a sequence (its dash is at `col`). Reads upwards, by indentation, to the document's start.
 */
function ancestors(all: LineShape[], line: number, col: number, item: boolean): TextPath {
  const path: TextPath = [];
  for (let l = line - 1; l >= 0; l--) {
    const s = all[l];
    if (s.boundary) break;
    if (s.blank) continue;
    if (item) {
      if (s.dashes.includes(col)) continue;
      if (s.key !== undefined && s.keyCol <= col && (s.dashes.length === 0 || s.dashes[s.dashes.length - 1] < col)) {
        if (/^[|>]/.test(s.value)) throw new InsideText();
        if (s.value !== '') break;
        ({ col, item } = enter(path, s));
        continue;
      }
    } else {
      if (s.key !== undefined && s.keyCol === col && s.dashes.length > 0) {
        // The first key of the sequence item our map is.
        for (let i = s.dashes.length - 1; i >= 0; i--) path.unshift(ITEM);
        col = s.dashes[0];
        item = true;
        continue;
      }
      if (s.key !== undefined && s.keyCol < col) {
        if (/^[|>]/.test(s.value)) throw new InsideText();
        if (s.value !== '') break;
        ({ col, item } = enter(path, s));
        continue;
      }
      if (s.key === undefined && s.dashes.length > 0 && s.dashes[s.dashes.length - 1] < col && s.keyCol >= col) {
        for (let i = s.dashes.length - 1; i >= 0; i--) path.unshift(ITEM);
        col = s.dashes[0];
        item = true;
        continue;
      }
    }
    if (s.indent < col && s.key === undefined && s.dashes.length === 0) break;
  }
  return path;
}

/** Takes a parent key line into the path; returns what its own parent must be found as. */
function enter(path: TextPath, s: LineShape): { col: number; item: boolean } {
  path.unshift(s.key!);
  if (s.dashes.length === 0) return { col: s.keyCol, item: false };
  for (let i = s.dashes.length - 1; i >= 0; i--) path.unshift(ITEM);
  return { col: s.dashes[0], item: true };
}

/** The lines of the keys already written in the map that holds a key at `col` on `line` (the line itself excluded). */
function siblingLines(all: LineShape[], line: number, col: number, startsItem: boolean): LineShape[] {
  const found: LineShape[] = [];
  if (!startsItem) {
    for (let l = line - 1; l >= 0; l--) {
      const s = all[l];
      if (s.boundary) break;
      if (s.blank) continue;
      if (s.key !== undefined && s.keyCol === col) {
        found.push(s);
        if (s.dashes.length > 0) break;
        continue;
      }
      if (s.indent < col) break;
    }
  }
  for (let l = line + 1; l < all.length; l++) {
    const s = all[l];
    if (s.boundary) break;
    if (s.blank) continue;
    if (s.indent < col) break;
    if (s.indent === col && s.dashes.length > 0) continue;
    if (s.key !== undefined && s.keyCol === col && s.dashes.length === 0) found.push(s);
  }
  return found;
}

function siblingKeys(all: LineShape[], line: number, col: number, startsItem: boolean): string[] {
  return siblingLines(all, line, col, startsItem).map((s) => s.key!);
}

export interface TextContext {
  /**
   * `key`: a key is being typed (or could be, on a blank line); `value`: the value of `key`;
   * `item`: a sequence item (`- ...`), which may be a scalar or the first key of a map.
   */
  at: 'key' | 'value' | 'item';
  /** The keys from the document's root to the map (key, item) or to the key (value) being typed. */
  path: TextPath;
  /** For `value`: the key whose value is typed. */
  key: string | undefined;
  /** What is typed before the cursor, in the token being completed. */
  prefix: string;
  /** The whole token around the cursor: what a completion replaces. */
  range: Range;
  /** Column where a key being typed starts. */
  column: number;
  /** Keys already present in the map of a key being typed. */
  siblings: string[];
  /** For `value`: the scalar values written beside the key, by key (a destination's `host` beside its `subset`). */
  siblingValues: ReadonlyMap<string, string>;
}

/** The completion context at a position; undefined inside comments and where nothing fits. */
export function textContext(lines: LineIndex, position: Position): TextContext | undefined {
  try {
    return readContext(lines, position);
  } catch (error) {
    if (error instanceof InsideText) return undefined;
    throw error;
  }
}

function readContext(lines: LineIndex, position: Position): TextContext | undefined {
  if (position.line >= lines.lineCount) return undefined;
  const text = lines.lineText(position.line);
  const before = text.slice(0, position.character);
  if (/(^|\s)#/.test(before) || /^(---|\.\.\.)/.test(text)) return undefined;
  const after = text.slice(position.character);
  const valueEnd = position.character + (/^[^\s#]*/.exec(after)?.[0].length ?? 0);
  const keyEnd = position.character + (/^[^\s#:]*/.exec(after)?.[0].length ?? 0);
  let tokenEnd = valueEnd;
  const all = shapes(lines);
  const token = (prefix: string): Range => ({
    start: { line: position.line, character: position.character - prefix.length },
    end: { line: position.line, character: tokenEnd },
  });

  // `key: val|`
  const value = /^(\s*)((?:-\s+)*)("[^"]*"|'[^']*'|[^\s#'"[\]{},:][^#:]*?)\s*:\s+(["']?)(\S*)$/.exec(before);
  if (value) {
    const [, indent, dashText, rawKey, , prefix] = value;
    const keyCol = indent.length + dashText.length;
    const dashes = dashColumns(indent.length, dashText);
    const key = rawKey.replace(/^(["'])(.*)\1$/, '$2');
    let path: TextPath;
    if (dashes.length > 0) path = [...ancestors(all, position.line, dashes[0], true), ...dashes.map(() => ITEM)];
    else path = ancestors(all, position.line, keyCol, false);
    const range = token(prefix);
    if (value[4] && text.charAt(tokenEnd - 1) === value[4] && tokenEnd - 1 >= position.character) range.end.character = tokenEnd - 1;
    const siblingValues = new Map<string, string>();
    for (const s of siblingLines(all, position.line, keyCol, dashes.length > 0)) {
      if (s.value !== '') siblingValues.set(s.key!, s.value.replace(/^(["'])(.*)\1$/, '$2'));
    }
    return { at: 'value', path, key, prefix, range, column: keyCol, siblings: [], siblingValues };
  }
  // `- item|`
  const item = /^(\s*)((?:-\s+)+)(["']?)([^\s:#]*)$/.exec(before);
  if (item) {
    const [, indent, dashText, , prefix] = item;
    const dashes = dashColumns(indent.length, dashText);
    const keyCol = indent.length + dashText.length;
    tokenEnd = keyEnd;
    const path = [...ancestors(all, position.line, dashes[0], true), ...dashes.map(() => ITEM)];
    const range = token(prefix);
    if (item[3] && text.charAt(tokenEnd - 1) === item[3] && tokenEnd - 1 >= position.character) range.end.character = tokenEnd - 1;
    const siblings = siblingKeys(all, position.line, keyCol, true);
    return { at: 'item', path, key: undefined, prefix, range, column: keyCol, siblings, siblingValues: new Map() };
  }
  // `ke|` or a blank line
  const key = /^(\s*)([\w$.-]*)$/.exec(before);
  if (key) {
    const [, indent, prefix] = key;
    const col = indent.length;
    tokenEnd = keyEnd;
    const path = ancestors(all, position.line, col, false);
    const siblings = siblingKeys(all, position.line, col, false);
    return { at: 'key', path, key: undefined, prefix, range: token(prefix), column: col, siblings, siblingValues: new Map() };
  }
  return undefined;
}

function dashColumns(start: number, dashText: string): number[] {
  const columns: number[] = [];
  let col = start;
  for (const match of dashText.matchAll(/-\s+/g)) {
    columns.push(col);
    col += match[0].length;
  }
  return columns;
}
