import { Composer, CST, Document, isMap, isPair, isScalar, isSeq, Node, Pair, Parser, Scalar, YAMLMap } from 'yaml';
import { LineIndex, Range } from './text';

export type YamlDocument = Document.Parsed;

export interface SyntaxProblem {
  message: string;
  range: Range;
}

/** One version of a YAML file, parsed once and shared by every rule. */
export interface ParsedYaml {
  text: string;
  lines: LineIndex;
  documents: YamlDocument[];
  /** Plain values of each document; undefined where conversion failed (alias bombs, for instance). */
  values: unknown[];
  syntaxErrors: SyntaxProblem[];
}

/** Expanding more aliases than this is refused: a "billion laughs" file must not exhaust memory. */
export const MAX_ALIAS_COUNT = 1000;

/**
 * Collections nested deeper than this are refused before the YAML composer (which recurses) sees
 * them: far beyond any Kubernetes object, far below the stack's limit.
 */
export const MAX_NESTING_DEPTH = 100;

/**
 * Recently parsed texts: undo, revert or a branch switch bring back a text seen before, and parsing
 * is the engine's main cost. Parsed YAML is shared read-only, so one copy serves every file holding
 * that text. Only small texts are kept, so the cache stays small.
 */
const recentlyParsed = new Map<string, ParsedYaml>();
const RECENT_ENTRIES = 128;
const RECENT_MAX_LENGTH = 32 * 1024;

export function parseYaml(text: string): ParsedYaml {
  if (text.length > RECENT_MAX_LENGTH) return parseUncached(text);
  const cached = recentlyParsed.get(text);
  if (cached) {
    // Most recently used last, so the oldest goes first.
    recentlyParsed.delete(text);
    recentlyParsed.set(text, cached);
    return cached;
  }
  const parsed = parseUncached(text);
  recentlyParsed.set(text, parsed);
  if (recentlyParsed.size > RECENT_ENTRIES) recentlyParsed.delete(recentlyParsed.keys().next().value as string);
  return parsed;
}

function parseUncached(text: string): ParsedYaml {
  // The parser reports each problem as an Error object: their JavaScript stacks say nothing about the
  // YAML and cost more than the parsing itself on broken files. An unexpected exception is thrown again
  // from a second parse with stacks on, so what is logged about it keeps its stack.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseText(text);
  } catch {
    Error.stackTraceLimit = stackTraceLimit;
    return parseText(text);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function parseText(text: string): ParsedYaml {
  const lines = new LineIndex(text);
  const syntaxErrors: SyntaxProblem[] = [];
  const values: unknown[] = [];
  // YAML (and kustomize) end lines at a lone \r too, the parser only at \n: the same offsets, read its way.
  const source = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  // The parser is iterative; the composer is not: measure the nesting on the syntax tree first.
  const tokens = Array.from(new Parser().parse(source));
  const tooDeep = deepestToken(tokens, MAX_NESTING_DEPTH);
  if (tooDeep !== undefined) {
    syntaxErrors.push({
      message: `Collections are nested deeper than ${MAX_NESTING_DEPTH} levels here: the file is not read (no Kubernetes object nests that deep).`,
      range: lines.range(tooDeep, tooDeep),
    });
    return { text, lines, documents: [], values, syntaxErrors };
  }
  const documents: YamlDocument[] = Array.from(
    new Composer({ uniqueKeys: true, prettyErrors: false, logLevel: 'error' }).compose(tokens),
  ) as YamlDocument[];
  for (const doc of documents) {
    for (const error of doc.errors) {
      syntaxErrors.push({ message: firstLine(error.message), range: lines.range(error.pos[0], Math.max(error.pos[1], error.pos[0])) });
    }
    values.push(toPlain(doc, lines, syntaxErrors));
  }
  syntaxErrors.push(...characterProblems(text, lines));
  return { text, lines, documents, values, syntaxErrors };
}

function toPlain(doc: YamlDocument, lines: LineIndex, syntaxErrors: SyntaxProblem[]): unknown {
  const start = doc.range[0];
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = firstLine(String((error as Error).message ?? error));
    const reason = /alias count|resource exhaustion/i.test(message)
      ? `it expands more than ${MAX_ALIAS_COUNT} aliases, like a "billion laughs" alias bomb`
      : message;
    syntaxErrors.push({ message: `This document is not read: ${reason}.`, range: lines.range(start, start) });
    return undefined;
  }
  // Aliases can nest a collection inside itself again and again: measure the value too.
  if (nestedDeeperThan(value, MAX_NESTING_DEPTH)) {
    syntaxErrors.push({
      message: `This document is not read: through its aliases, collections nest deeper than ${MAX_NESTING_DEPTH} levels.`,
      range: lines.range(start, start),
    });
    return undefined;
  }
  return value;
}

/** The offset of the first collection nested deeper than `max`, or undefined; iterative, so any depth is safe. */
function deepestToken(tokens: CST.Token[], max: number): number | undefined {
  const stack: [CST.Token, number][] = tokens.map((token) => [token, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    switch (token.type) {
      case 'document':
        if (token.value) stack.push([token.value, depth]);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        if (depth + 1 > max) return token.offset;
        for (const item of token.items as { key?: CST.Token | null; value?: CST.Token | null }[]) {
          if (item.key) stack.push([item.key, depth + 1]);
          if (item.value) stack.push([item.value, depth + 1]);
        }
        break;
      default:
        break;
    }
  }
  return undefined;
}

/** Whether a plain value nests deeper than `max`; shared objects (aliases) are walked once per depth. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const seen = new Map<object, number>();
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > max) return true;
    if ((seen.get(current) ?? -1) >= depth) continue;
    seen.set(current, depth);
    const children = current instanceof Map ? [...current.keys(), ...current.values()] : current instanceof Set ? [...current] : Object.values(current);
    for (const child of children) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Characters YAML does not allow (control characters) and U+FFFD, which is what bytes that are not
 * UTF-8 become when read: kustomize refuses both ("invalid leading UTF-8 octet", "control characters
 * are not allowed"). The first of each is reported, with the count.
 */
function characterProblems(text: string, lines: LineIndex): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const report = (pattern: RegExp, describe: (match: string, count: number) => string): void => {
    const first = pattern.exec(text);
    if (!first) return;
    const count = text.match(new RegExp(pattern.source, 'gu'))?.length ?? 1;
    problems.push({ message: describe(first[0], count), range: lines.range(first.index, first.index + first[0].length) });
  };
  report(/\uFFFD/u, (_m, count) =>
    `Invalid UTF-8: ${count === 1 ? 'a byte sequence' : `${count} byte sequences`} here ${count === 1 ? 'is' : 'are'} not UTF-8 (read as U+FFFD); kustomize refuses the file. Save it as UTF-8.`,
  );
  // YAML's printable set excludes C0 controls other than tab and line breaks, DEL, C1 controls other than NEL, lone surrogates, U+FFFE and U+FFFF.
  report(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]|\p{Surrogate}/u, (match, count) =>
    `Control character U+${match.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} is not allowed in YAML${count > 1 ? ` (${count} in this file)` : ''}; kustomize refuses the file.`,
  );
  return problems;
}

function firstLine(message: string): string {
  const cut = message.indexOf('\n');
  return (cut < 0 ? message : message.slice(0, cut)).replace(/ at line \d+, column \d+:?$/, '').trim();
}

export type PathSegment = string | number;

/** The pair holding `key` in a mapping node, if any. */
export function pairOf(map: unknown, key: string): Pair<Node, Node | null> | undefined {
  if (!isMap(map)) return undefined;
  for (const item of (map as YAMLMap<unknown, unknown>).items) {
    if (isPair(item) && isScalar(item.key) && String((item.key as Scalar).value) === key) {
      return item as Pair<Node, Node | null>;
    }
  }
  return undefined;
}

/** Follows a path of keys and indexes from a node; undefined when the path leaves the tree. */
export function nodeAt(root: unknown, path: readonly PathSegment[]): Node | undefined {
  let current: unknown = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!isSeq(current)) return undefined;
      current = current.items[segment];
    } else {
      const pair = pairOf(current, segment);
      if (!pair) return undefined;
      current = pair.value;
    }
  }
  return (current ?? undefined) as Node | undefined;
}

/** The key node of the last segment of a path, for findings "at the key". */
export function keyAt(root: unknown, path: readonly PathSegment[]): Node | undefined {
  if (path.length === 0) return undefined;
  const last = path[path.length - 1];
  const parent = nodeAt(root, path.slice(0, -1));
  if (typeof last === 'number') return isSeq(parent) ? ((parent.items[last] ?? undefined) as Node | undefined) : undefined;
  return pairOf(parent, last)?.key;
}

export function rangeOfNode(lines: LineIndex, node: Node | null | undefined): Range | undefined {
  if (!node?.range) return undefined;
  return lines.range(node.range[0], node.range[1]);
}

/** Where a finding about `path` belongs: the key's range when asked for, else the value's, else the nearest ancestor's. */
export function locate(doc: YamlDocument, lines: LineIndex, path: readonly PathSegment[], at: 'key' | 'value' = 'value'): Range {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    const wantKey = at === 'key' || depth < path.length;
    const node = wantKey && depth > 0 ? keyAt(doc.contents, prefix) : nodeAt(doc.contents, prefix);
    const range = rangeOfNode(lines, node);
    if (range) return range;
    if (depth === 0) break;
  }
  const start = doc.range[0];
  return lines.range(start, start);
}

export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = (node as Scalar).value;
  return value === null || value === undefined ? undefined : String(value);
}
