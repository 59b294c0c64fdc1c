import { isMap, isScalar, isSeq, Node, Scalar } from 'yaml';
import { LineIndex, Position, Range } from '../text';
import { ParsedYaml, PathSegment, scalarText, YamlDocument } from '../yaml';

/** What lies at an offset of a parsed document: the innermost node and the path of keys and indexes to it. */
export interface NodeHit {
  docIndex: number;
  doc: YamlDocument;
  path: PathSegment[];
  node: Node;
  /** True when the offset is on a key: `path` then ends with that key. */
  onKey: boolean;
}

export function contains(range: Range, position: Position): boolean {
  return !before(position, range.start) && !before(range.end, position);
}

export function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** The document holding an offset (the last one starting at or before it). */
export function documentAt(parsed: ParsedYaml, offset: number): number | undefined {
  let found: number | undefined;
  parsed.documents.forEach((doc, index) => {
    if (doc.range[0] <= offset) found = index;
  });
  return found;
}

/**
 * The innermost key or value at an offset; scalars match up to and including their last character's
 * end, so a cursor right after a name is on it.
 */
export function nodeAtOffset(parsed: ParsedYaml, offset: number): NodeHit | undefined {
  const docIndex = documentAt(parsed, offset);
  if (docIndex === undefined) return undefined;
  const doc = parsed.documents[docIndex];
  const within = (node: Node | null | undefined): boolean => !!node?.range && node.range[0] <= offset && offset <= node.range[1];
  const path: PathSegment[] = [];
  let current: unknown = doc.contents;
  for (let depth = 0; depth < 200; depth++) {
    if (isMap(current)) {
      let next: unknown;
      for (const item of current.items) {
        const key = item.key as Node | null;
        const keyText = scalarText(key);
        if (keyText === undefined) continue;
        if (within(key)) return { docIndex, doc, path: [...path, keyText], node: key!, onKey: true };
        const value = item.value as Node | null;
        if (within(value)) {
          path.push(keyText);
          next = value;
          break;
        }
      }
      if (next === undefined) return within(current) ? { docIndex, doc, path, node: current, onKey: false } : undefined;
      current = next;
    } else if (isSeq(current)) {
      const index = current.items.findIndex((item) => within(item as Node));
      if (index < 0) return within(current) ? { docIndex, doc, path, node: current, onKey: false } : undefined;
      path.push(index);
      current = current.items[index];
    } else if (isScalar(current) && within(current)) {
      return { docIndex, doc, path, node: current, onKey: false };
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** The range of a scalar's text without its quotes: what a rename replaces. */
export function innerRange(lines: LineIndex, node: Node): Range | undefined {
  if (!node.range) return undefined;
  let [start, end] = node.range;
  const type = isScalar(node) ? (node as Scalar).type : undefined;
  if ((type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE') && end - start >= 2) {
    start++;
    end--;
  }
  return lines.range(start, end);
}
