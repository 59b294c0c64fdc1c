import {
  Alias,
  Composer,
  CST,
  Document,
  isAlias,
  isMap as isYamlMap,
  isPair as isYamlPair,
  isScalar as isYamlScalar,
  isSeq as isYamlSeq,
  Node,
  Parser,
} from 'yaml';
import { LineIndex, Range } from './text';
import { FastParse, parseFast } from './yamlFast';
import { indentQuotedContinuations } from './yamlLenient';
import { isMap, isScalar, isSeq, YamlDocument, YamlDocumentView, YamlNode, YamlPair, YamlSyntaxBuilder } from './yamlTree';

export * from './yamlTree';

export interface SyntaxProblem {
  message: string;
  range: Range;
}

/** One version of a YAML file, parsed once and shared by every rule. */
export class ParsedYaml {
  private lineIndex: LineIndex | undefined;

  constructor(
    readonly text: string,
    readonly documents: YamlDocument[],
    /** Plain values of each document; undefined where conversion failed (alias bombs, for instance). */
    readonly values: unknown[],
    readonly syntaxErrors: SyntaxProblem[],
    lines?: LineIndex,
    /** Text that kustomize's parser (go-yaml) reads although YAML 1.2 does not allow it. */
    readonly outsideSpec: SyntaxProblem[] = [],
  ) {
    this.lineIndex = lines;
  }

  /** Line starts, computed when a position is first asked for: most files never need one. */
  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }
}

/** Expanding more aliases than this is refused: a "billion laughs" file must not exhaust memory. */
export const MAX_ALIAS_COUNT = 1000;

/**
 * Collections nested deeper than this are refused before the YAML composer (which recurses) sees
 * them: far beyond any Kubernetes object, far below the stack's limit.
 */
export const MAX_NESTING_DEPTH = 100;

/**
 * Recently parsed texts: undo, revert or a branch switch bring back a text seen before. Parsed YAML
 * is shared read-only, so one copy serves every file holding that text. Only small texts are kept,
 * so the cache stays small.
 */
const recentlyParsed = new Map<string, ParsedYaml>();
const RECENT_ENTRIES = 128;
const RECENT_MAX_LENGTH = 32 * 1024;

/**
 * Parses a file's text: with the fast parser when the text stays inside the subset it reads (nearly
 * every manifest), else with the general `yaml` parser, whose tree is converted and dropped.
 */
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
  const fast = parseWithFastParser(text);
  return fast ? new ParsedYaml(text, fast.documents, fast.values, []) : parseGeneral(text);
}

/**
 * The fast parser's reading (the documents it gives up on read by the general parser), or undefined
 * where it leaves the whole text to the general parser (which then also reports characters YAML refuses).
 */
export function parseWithFastParser(text: string): FastParse | undefined {
  return characterProblems(text).length === 0 ? parseFast(text, MAX_NESTING_DEPTH, parseGeneral) : undefined;
}

/** The general parser's reading of a text, for what the fast parser leaves to it; exported for the differential test. */
export function parseGeneral(text: string): ParsedYaml {
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
  // YAML (and kustomize) end lines at a lone \r too, the parser only at \n: the same offsets, read its way.
  const source = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
  const strict = parseSource(text, lines, source, (offset) => offset);
  if (strict.syntaxErrors.length === 0) return strict;
  // What go-yaml reads and YAML 1.2 does not: quoted scalars that go on at their key's indentation.
  const lenient = indentQuotedContinuations(source);
  if (!lenient) return strict;
  const relaxed = parseSource(text, lines, lenient.source, lenient.toOriginal);
  if (relaxed.syntaxErrors.length > 0) return strict;
  const outsideSpec = lenient.continuationLines.map((at) => ({
    message:
      "This quoted value goes on at (or left of) its key's indentation: kustomize and kubectl read it, but YAML 1.2 wants its continuation lines indented deeper, so other YAML tools may refuse it.",
    range: lines.range(at, at + (text.slice(at).match(/^[^\r\n]*/)?.[0].length ?? 0)),
  }));
  return new ParsedYaml(text, relaxed.documents, relaxed.values, [], lines, outsideSpec);
}

/** Parses `source`, a reading of `text` whose offsets `toOriginal` maps back to `text`'s. */
function parseSource(text: string, lines: LineIndex, source: string, toOriginal: (offset: number) => number): ParsedYaml {
  const syntaxErrors: SyntaxProblem[] = [];
  const values: unknown[] = [];
  // The parser is iterative; the composer is not: measure the nesting on the syntax tree first.
  const tokens = Array.from(new Parser().parse(source));
  const tooDeep = deepestToken(tokens, MAX_NESTING_DEPTH);
  if (tooDeep !== undefined) {
    const at = toOriginal(tooDeep);
    syntaxErrors.push({
      message: `Collections are nested deeper than ${MAX_NESTING_DEPTH} levels here: the file is not read (no Kubernetes object nests that deep).`,
      range: lines.range(at, at),
    });
    return new ParsedYaml(text, [], values, syntaxErrors, lines);
  }
  const parsedDocuments = Array.from(new Composer({ uniqueKeys: true, prettyErrors: false, logLevel: 'error' }).compose(tokens)) as Document.Parsed[];
  const out = new YamlSyntaxBuilder(text);
  const records: { contentsAt: number; start: number; hasErrors: boolean }[] = [];
  for (const doc of parsedDocuments) {
    for (const error of doc.errors) {
      const [start, end] = [toOriginal(error.pos[0]), toOriginal(error.pos[1])];
      syntaxErrors.push({ message: firstLine(error.message), range: lines.range(start, Math.max(end, start)) });
    }
    const start = toOriginal(doc.range[0]);
    values.push(toPlain(doc, start, lines, syntaxErrors));
    const keyErrors = syntaxErrors.length;
    const contentsAt = doc.contents
      ? write(out, doc.contents, toOriginal, (keyStart, keyEnd) => syntaxErrors.push({ message: COLLECTION_KEY, range: lines.range(keyStart, keyEnd) }))
      : -1;
    records.push({ contentsAt, start, hasErrors: doc.errors.length > 0 || syntaxErrors.length > keyErrors });
  }
  const problems = syntaxErrors.length > 0 ? onePerProblem(syntaxErrors, text, lines) : syntaxErrors;
  problems.push(...characterProblems(text, lines));
  const syntax = out.finish();
  const documents = records.map((r) => new YamlDocumentView(syntax, r.contentsAt, r.start, r.hasErrors));
  return new ParsedYaml(text, documents, values, problems, lines);
}

const CONFLICT_START = /^<{7}(?:[ \t][^\r\n]*)?$/gm;
const TAB_INDENT = 'Tabs are not allowed as indentation';

/**
 * The parser reports one slip several times over: every error it leaves on its line, each line a tab
 * indents, and whatever git's conflict markers break. One diagnostic per problem, saying its cause.
 */
function onePerProblem(errors: SyntaxProblem[], text: string, lines: LineIndex): SyntaxProblem[] {
  const conflicts = [...text.matchAll(CONFLICT_START)];
  if (conflicts.length > 0) {
    return conflicts.map((match) => ({
      message:
        'Unresolved merge conflict: git left its `<<<<<<<`, `=======` and `>>>>>>>` markers here, and kustomize cannot read the file. Keep the side you want and delete the markers.',
      range: lines.range(match.index, match.index + match[0].length),
    }));
  }
  const tabLines = new Set(errors.filter((e) => e.message === TAB_INDENT).map((e) => e.range.start.line));
  const problems: SyntaxProblem[] = [];
  const reportedLines = new Set<number>();
  for (const error of errors) {
    const line = error.range.start.line;
    if (reportedLines.has(line)) continue;
    reportedLines.add(line);
    if (!tabLines.has(line)) {
      problems.push(error);
      continue;
    }
    if (problems.some((p) => p.message.startsWith('A tab indents'))) continue;
    for (const other of tabLines) reportedLines.add(other);
    const more = tabLines.size - 1;
    problems.push({
      message: `A tab indents this line${more > 0 ? ` (and ${more} more line${more === 1 ? '' : 's'})` : ''}: YAML allows only spaces for indentation, and kustomize refuses the file.`,
      range: error.range,
    });
  }
  return problems;
}

const COLLECTION_KEY =
  'A mapping or sequence is used as a key here (as `{{ name }}` is, outside a template): YAML allows it, but kustomize and kubectl refuse it ("invalid map key").';

/**
 * Writes a node of the general parser as the engine's records; returns its record. Recursive, within
 * the depth the parser's tree was checked for; aliases are not followed. Keys that are collections,
 * which go-yaml refuses, are reported through `onCollectionKey`.
 */
function write(
  out: YamlSyntaxBuilder,
  root: Node | Alias,
  toOriginal: (offset: number) => number,
  onCollectionKey: (start: number, end: number) => void,
): number {
  const rangeOf = (node: Node | Alias, at: number): [number, number] => [
    node.range ? toOriginal(node.range[0]) : at,
    node.range ? toOriginal(node.range[1]) : at,
  ];
  const convert = (node: unknown, at: number): { record: number; end: number } => {
    if (isYamlScalar(node)) {
      const [start, end] = rangeOf(node, at);
      return { record: out.scalar(start, end, node.value), end };
    }
    if (isAlias(node)) {
      const [start, end] = rangeOf(node, at);
      return { record: out.alias(start, end), end };
    }
    if (isYamlMap(node) || isYamlSeq(node)) {
      const start = rangeOf(node, at)[0];
      const record = out.open(isYamlMap(node) ? 'map' : 'seq', !!node.flow, start);
      let count = 0;
      let lastEnd = start;
      for (const item of node.items) {
        if (isYamlMap(node)) {
          if (!isYamlPair(item)) continue;
          if (isYamlMap(item.key) || isYamlSeq(item.key)) onCollectionKey(...rangeOf(item.key, start));
          const key = convert(item.key, start);
          lastEnd = convert(item.value, key.end).end;
        } else {
          lastEnd = convert(item, start).end;
        }
        count++;
      }
      // Block collections end with their last value; flow ones at their closing bracket.
      const end = node.flow ? rangeOf(node, start)[1] : lastEnd;
      out.close(record, end, count);
      return { record, end };
    }
    // A missing node (`? key` without a value, `- ` in a flow sequence): an empty scalar where it would be.
    return { record: out.scalar(at, at, null), end: at };
  };
  return convert(root, 0).record;
}

function toPlain(doc: Document.Parsed, start: number, lines: LineIndex, syntaxErrors: SyntaxProblem[]): unknown {
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
function characterProblems(text: string, lines?: LineIndex): SyntaxProblem[] {
  const problems: SyntaxProblem[] = [];
  const report = (pattern: RegExp, describe: (match: string, count: number) => string): void => {
    const first = pattern.exec(text);
    if (!first) return;
    const count = text.match(new RegExp(pattern.source, 'gu'))?.length ?? 1;
    problems.push({ message: describe(first[0], count), range: (lines ?? new LineIndex(text)).range(first.index, first.index + first[0].length) });
  };
  report(
    /\uFFFD/u,
    (_m, count) =>
      `Invalid UTF-8: ${count === 1 ? 'a byte sequence' : `${count} byte sequences`} here ${count === 1 ? 'is' : 'are'} not UTF-8 (read as U+FFFD); kustomize refuses the file. Save it as UTF-8.`,
  );
  // YAML's printable set excludes C0 controls other than tab and line breaks, DEL, C1 controls other than NEL, lone surrogates, U+FFFE and U+FFFF.
  report(
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]|\p{Surrogate}/u,
    (match, count) =>
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
export function pairOf(map: unknown, key: string): YamlPair | undefined {
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    if (isScalar(item.key) && String(item.key.value) === key) return item;
  }
  return undefined;
}

/** Follows a path of keys and indexes from a node; undefined when the path leaves the tree. */
export function nodeAt(root: unknown, path: readonly PathSegment[]): YamlNode | undefined {
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
  return (current ?? undefined) as YamlNode | undefined;
}

/** The key node of the last segment of a path, for findings "at the key". */
export function keyAt(root: unknown, path: readonly PathSegment[]): YamlNode | undefined {
  if (path.length === 0) return undefined;
  const last = path[path.length - 1];
  const parent = nodeAt(root, path.slice(0, -1));
  if (typeof last === 'number') return isSeq(parent) ? parent.items[last] : undefined;
  return pairOf(parent, last)?.key;
}

export function rangeOfNode(lines: LineIndex, node: YamlNode | null | undefined): Range | undefined {
  if (!node) return undefined;
  return lines.range(node.start, node.end);
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
  return lines.range(doc.start, doc.start);
}

export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  return value === null || value === undefined ? undefined : String(value);
}
