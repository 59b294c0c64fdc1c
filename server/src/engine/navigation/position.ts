import { LineIndex, Position, Range } from '../text';
import { isMap, isScalar, isSeq, ParsedYaml, PathSegment, scalarText, YamlDocument, YamlNode } from '../yaml';

/** What lies at an offset of a parsed document: the innermost node and the path of keys and indexes to it. */
export interface NodeHit {
  docIndex: number;
  doc: YamlDocument;
  path: PathSegment[];
  node: YamlNode;
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
    if (doc.start <= offset) found = index;
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
  const within = (node: YamlNode | null | undefined): boolean => !!node && node.start <= offset && offset <= node.end;
  const path: PathSegment[] = [];
  let current: unknown = doc.contents;
  for (let depth = 0; depth < 200; depth++) {
    if (isMap(current)) {
      let next: unknown;
      for (const item of current.items) {
        const key = item.key;
        const keyText = scalarText(key);
        if (keyText === undefined) continue;
        if (within(key)) return { docIndex, doc, path: [...path, keyText], node: key, onKey: true };
        const value = item.value;
        if (within(value)) {
          path.push(keyText);
          next = value;
          break;
        }
      }
      if (next === undefined) return within(current) ? { docIndex, doc, path, node: current, onKey: false } : undefined;
      current = next;
    } else if (isSeq(current)) {
      const index = current.items.findIndex((item) => within(item));
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
export function innerRange(lines: LineIndex, node: YamlNode): Range {
  let { start, end } = node;
  const quote = lines.text.charAt(start);
  if (isScalar(node) && (quote === '"' || quote === "'") && end - start >= 2 && lines.text.charAt(end - 1) === quote) {
    start++;
    end--;
  }
  return lines.range(start, end);
}
