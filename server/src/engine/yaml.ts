import { Document, isMap, isPair, isScalar, isSeq, Node, Pair, parseAllDocuments, Scalar, YAMLMap } from 'yaml';
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
const MAX_ALIAS_COUNT = 1000;

export function parseYaml(text: string): ParsedYaml {
  const lines = new LineIndex(text);
  const parsed = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  const documents: YamlDocument[] = Array.isArray(parsed) ? parsed : [];
  const syntaxErrors: SyntaxProblem[] = [];
  const values: unknown[] = [];
  for (const doc of documents) {
    for (const error of doc.errors) {
      syntaxErrors.push({ message: firstLine(error.message), range: lines.range(error.pos[0], Math.max(error.pos[1], error.pos[0])) });
    }
    values.push(toPlain(doc, lines, syntaxErrors));
  }
  return { text, lines, documents, values, syntaxErrors };
}

function toPlain(doc: YamlDocument, lines: LineIndex, syntaxErrors: SyntaxProblem[]): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const start = doc.range[0];
    syntaxErrors.push({ message: `Document not read: ${firstLine(String((error as Error).message ?? error))}`, range: lines.range(start, start) });
    return undefined;
  }
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
