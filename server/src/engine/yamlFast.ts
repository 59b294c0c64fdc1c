import { resolvePlain, YamlAlias, YamlDocument, YamlDocumentView, YamlMap, YamlNode, YamlScalar, YamlSyntaxBuilder } from './yamlTree';

/**
 * A one-pass parser for the part of YAML that Kubernetes manifests and kustomizations are written
 * in: block mappings and sequences, single-line plain and quoted scalars, comments, `---`, empty `[]`
 * and `{}`. It is many times faster than the general parser and writes only the engine's compact tree.
 *
 * It reads a file document by document (the text between two `---` lines). Anything else in a
 * document — anchors, tags, block and multi-line scalars, flow collections with content, tabs, `...`,
 * and every syntax error — makes it give up on that document, which the general parser then reads
 * (when the caller gives one), alone; a syntax error there, or a directive (`%YAML`, which can carry
 * over to later documents) anywhere, leaves the whole file to the general parser (undefined). Where
 * it does not give up, its result equals the general parser's reading of the whole file (values by
 * the YAML 1.2 core schema, ranges, documents); a differential test holds it to that.
 */
export interface FastParse {
  documents: YamlDocument[];
  values: unknown[];
}

/** How the general parser read a part of a file, read alone: offsets count from the part's start. */
export interface GeneralReading {
  documents: readonly YamlDocument[];
  values: readonly unknown[];
  syntaxErrors: readonly unknown[];
  outsideSpec: readonly unknown[];
}

/**
 * When the documents the general parser must read make up more than this share of a file, it reads
 * the whole file instead: one pass, nothing to copy, and no second pass when one of them is broken.
 */
const MAX_GENERAL_SHARE = 0.5;

/** Thrown (without a stack) to leave the fast path. */
const GIVE_UP = Symbol('outside the fast subset');

const SPACE = 32;
const TAB = 9;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const CR = 13;
const LF = 10;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKSLASH = 92;
const DOT = 46;
const PERCENT = 37;

/** Characters that cannot start a plain scalar here: indicators, and the ones this parser leaves to the general parser. */
const NOT_PLAIN_START = new Set([...',[]{}#&*!|>\'"%@`?:-'].map((c) => c.charCodeAt(0)));

interface Frame {
  /** The collection's record. */
  at: number;
  isMap: boolean;
  /** The plain value being built: an object for a mapping, an array for a sequence. */
  value: Record<string, unknown> | unknown[];
  indent: number;
  count: number;
  /** Where the last item's value ends: the collection ends there. */
  lastEnd: number;
}

/** A key or `-` with nothing after it on its line: its value is on the next lines, or empty. */
interface Pending {
  frame: Frame;
  /** The key's text for a mapping's key; undefined for a sequence's `-`. */
  keyText: string | undefined;
  /** Where an empty value is placed: the first character after the indicator that is not a space. */
  emptyAt: number;
}

/**
 * Reads `text` with the fast parser, handing the documents it gives up on to `parseGeneral` (without
 * it, the first such document gives up on the file); undefined where the whole file is left to the
 * general parser.
 */
export function parseFast(text: string, maxDepth: number, parseGeneral?: (part: string) => GeneralReading): FastParse | undefined {
  // Lines end at \n or \r\n here; a lone \r (a line break too, in YAML) could hide a `---` from the split.
  for (let cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 1)) if (text.charCodeAt(cr + 1) !== LF) return undefined;
  // A directive applies to the next document, and `%YAML 1.1` to every later one as well.
  if (text.charCodeAt(0) === PERCENT || text.includes('\n%')) return undefined;
  const parts = documentParts(text);
  const parser = new FastParser(text, maxDepth);
  const slowLimit = parseGeneral ? text.length * MAX_GENERAL_SHARE : 0;
  let slowLength = 0;
  for (const part of parts) {
    if (parser.read(part.start, part.end)) continue;
    part.slow = true;
    slowLength += part.end - part.start;
    if (slowLength > slowLimit) return undefined;
  }
  if (slowLength === 0) return parser.finish();
  return parseGeneral && readMixed(text, maxDepth, parts, parseGeneral);
}

interface Part {
  start: number;
  end: number;
  /** Whether the fast parser gave up on it. */
  slow?: boolean;
}

/** The file's documents, each read by the parser that can: the fast parser gave up on the parts marked slow. */
function readMixed(text: string, maxDepth: number, parts: Part[], parseGeneral: (part: string) => GeneralReading): FastParse | undefined {
  // Neighbouring slow parts are read together: fewer calls.
  const runs: Part[] = [];
  parts.forEach((part, i) => {
    if (!part.slow) return;
    if (parts[i - 1]?.slow) runs[runs.length - 1].end = part.end;
    else runs.push({ start: part.start, end: part.end });
  });
  const readings = new Map<number, GeneralReading>();
  for (const run of runs) {
    const reading = parseGeneral(text.slice(run.start, run.end));
    // Errors are left to the whole file's reading, which reports them its way (one per problem, merge conflicts, the lenient retry).
    if (reading.syntaxErrors.length > 0 || reading.outsideSpec.length > 0) return undefined;
    readings.set(run.start, reading);
  }
  // The first pass kept the records of the parts it gave up on: a second one writes only what is used.
  const parser = new FastParser(text, maxDepth);
  for (const part of parts) {
    if (!part.slow) {
      if (!parser.read(part.start, part.end)) throw new Error('the fast parser gave up on a part it read before');
      continue;
    }
    const reading = readings.get(part.start);
    if (reading) parser.copy(reading, part.start);
  }
  return parser.finish();
}

/**
 * The file cut before each `---` at the start of a line (followed by a space, a tab or the line's
 * end): where the general parser's documents start. No scalar or collection goes on across such a
 * line; one that tries is an error (YAML 1.2, c-forbidden), so the part before it is read with errors.
 */
function documentParts(text: string): Part[] {
  const parts: Part[] = [];
  let start = 0;
  for (let newline = text.indexOf('\n---'); newline >= 0; newline = text.indexOf('\n---', newline + 4)) {
    const at = newline + 1;
    const after = text.charCodeAt(at + 3);
    if (at + 3 < text.length && after !== SPACE && after !== TAB && after !== LF && after !== CR) continue;
    parts.push({ start, end: at });
    start = at;
  }
  parts.push({ start, end: text.length });
  return parts;
}

class FastParser {
  private readonly out: YamlSyntaxBuilder;
  private readonly documentRecords: { contentsAt: number; start: number }[] = [];
  /** The first tab at or after the part being read; Infinity when none. */
  private nextTab = -1;
  private readonly values: unknown[] = [];
  private stack: Frame[] = [];
  private pending: Pending | undefined;
  /** Where the scalar (or empty flow collection) written last ends. */
  private lastScalarEnd = 0;
  /** The document being read: undefined before its first content or `---`. */
  private doc: { start: number; markerEnd: number; root: Frame | undefined; emptyAt: number } | undefined;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    this.out = new YamlSyntaxBuilder(text);
  }

  /**
   * Reads the lines from `start` to `end` (one document, or what comes before the first `---`): true
   * when it could, false when it gave up on them (the records it wrote for them stay, unused).
   */
  read(start: number, end: number): boolean {
    const text = this.text;
    const records = this.documentRecords.length;
    this.stack = [];
    this.pending = undefined;
    this.doc = undefined;
    try {
      if (start === 0 && text.charCodeAt(0) === 0xfeff) throw GIVE_UP;
      if (this.nextTab < start) {
        const tab = text.indexOf('\t', start);
        this.nextTab = tab < 0 ? Infinity : tab;
      }
      if (this.nextTab < end) throw GIVE_UP;
      let lineStart = start;
      while (lineStart < end) {
        let lineEnd = text.indexOf('\n', lineStart);
        if (lineEnd < 0) lineEnd = text.length;
        let lineContentEnd = lineEnd;
        if (lineContentEnd > lineStart && text.charCodeAt(lineContentEnd - 1) === CR) lineContentEnd--;
        let p = lineStart;
        while (p < lineContentEnd && text.charCodeAt(p) === SPACE) p++;
        if (p < lineContentEnd && text.charCodeAt(p) !== HASH) {
          if (p === lineStart) this.lineAtColumnZero(p, lineContentEnd);
          else this.contentLine(p, lineContentEnd, p - lineStart);
        }
        lineStart = lineEnd + 1;
      }
      this.endDocument();
      return true;
    } catch (error) {
      if (error !== GIVE_UP) throw error;
      this.documentRecords.length = records;
      this.values.length = records;
      return false;
    }
  }

  /** Writes the documents the general parser read from the part of the text at `offset`. */
  copy(reading: GeneralReading, offset: number): void {
    reading.documents.forEach((doc, i) => {
      const contentsAt = doc.contents ? this.copyNode(doc.contents, offset) : -1;
      this.documentRecords.push({ contentsAt, start: doc.start + offset });
      this.values.push(reading.values[i]);
    });
  }

  finish(): FastParse {
    const syntax = this.out.finish();
    return { documents: this.documentRecords.map((d) => new YamlDocumentView(syntax, d.contentsAt, d.start, false)), values: this.values };
  }

  /** Recursive, within the nesting depth the general parser allows. */
  private copyNode(node: YamlNode, offset: number): number {
    if (node instanceof YamlScalar) return this.out.scalar(node.start + offset, node.end + offset, node.value);
    if (node instanceof YamlAlias) return this.out.alias(node.start + offset, node.end + offset);
    const at = this.out.open(node instanceof YamlMap ? 'map' : 'seq', node.flow, node.start + offset);
    if (node instanceof YamlMap) {
      for (const pair of node.items) {
        this.copyNode(pair.key, offset);
        this.copyNode(pair.value, offset);
      }
    } else {
      for (const item of node.items) this.copyNode(item, offset);
    }
    this.out.close(at, node.end + offset, node.items.length);
    return at;
  }

  private lineAtColumnZero(p: number, end: number): void {
    const text = this.text;
    const first = text.charCodeAt(p);
    if (first === DASH && text.startsWith('---', p) && (p + 3 === end || text.charCodeAt(p + 3) === SPACE)) {
      this.endDocument();
      let q = p + 3;
      while (q < end && text.charCodeAt(q) === SPACE) q++;
      // Content after the marker (`--- value`, `--- |`) is left to the general parser.
      if (q < end && text.charCodeAt(q) !== HASH) throw GIVE_UP;
      this.doc = { start: p, markerEnd: p + 3, root: undefined, emptyAt: q };
      return;
    }
    if (first === DOT && text.startsWith('...', p)) throw GIVE_UP;
    if (first === 37 /* % directive */) throw GIVE_UP;
    this.contentLine(p, end, 0);
  }

  private contentLine(p: number, end: number, indent: number): void {
    const text = this.text;
    const dash = text.charCodeAt(p) === DASH && (p + 1 === end || text.charCodeAt(p + 1) === SPACE);
    this.doc ??= { start: p - indent, markerEnd: -1, root: undefined, emptyAt: p };

    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      const nested = indent > pending.frame.indent || (indent === pending.frame.indent && dash && pending.keyText !== undefined);
      if (nested) {
        const frame = this.open(!dash, p, indent);
        this.attach(pending, frame.value);
      } else {
        this.emptyValue(pending);
      }
    }

    // Close what this line's indentation ends; a sequence written at its key's indentation ends at the next key.
    const stack = this.stack;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.indent > indent || (top.indent === indent && !dash && !top.isMap)) this.close();
      else break;
    }
    if (stack.length === 0) {
      if (this.doc.root) throw GIVE_UP;
      this.doc.root = this.open(!dash, p, indent);
    }
    const frame = stack[stack.length - 1];
    if (frame.indent !== indent) throw GIVE_UP;
    if (dash) {
      if (frame.isMap) throw GIVE_UP;
      this.sequenceItem(frame, p, end);
    } else {
      if (!frame.isMap) throw GIVE_UP;
      this.mapEntry(frame, p, end);
    }
  }

  private sequenceItem(frame: Frame, dashAt: number, end: number): void {
    const text = this.text;
    let r = dashAt + 1;
    while (r < end && text.charCodeAt(r) === SPACE) r++;
    if (r === end || text.charCodeAt(r) === HASH) {
      this.pending = { frame, keyText: undefined, emptyAt: r };
      return;
    }
    if (text.charCodeAt(r) === DASH && (r + 1 === end || text.charCodeAt(r + 1) === SPACE)) throw GIVE_UP;
    const key = this.key(r, end);
    if (key) {
      // `- key: value`: a mapping whose keys line up under the first one.
      frame.count++;
      const column = r - this.text.lastIndexOf('\n', r) - 1;
      const mapFrame = this.open(true, r, column);
      (frame.value as unknown[]).push(mapFrame.value);
      this.mapEntry(mapFrame, r, end, key);
      return;
    }
    frame.count++;
    const value = this.scalarValue(r, end);
    (frame.value as unknown[]).push(value);
    frame.lastEnd = this.lastScalarEnd;
  }

  private mapEntry(frame: Frame, p: number, end: number, known?: KeyToken): void {
    const text = this.text;
    const key = known ?? this.key(p, end);
    if (!key) throw GIVE_UP;
    const object = frame.value as Record<string, unknown>;
    if (key.text === '__proto__' || Object.prototype.hasOwnProperty.call(object, key.text)) throw GIVE_UP;
    let r = key.after;
    while (r < end && text.charCodeAt(r) === SPACE) r++;
    frame.count++;
    this.out.scalar(key.start, key.end);
    if (r === end || text.charCodeAt(r) === HASH) {
      this.pending = { frame, keyText: key.text, emptyAt: r };
      // Holds the key's place, so the mapping's keys keep their order and duplicates are caught.
      object[key.text] = null;
      return;
    }
    object[key.text] = this.flowOrScalar(r, end);
    frame.lastEnd = this.lastScalarEnd;
  }

  /** A key at `p` (`name:` followed by a space or the line's end), or undefined when the line holds none. */
  private key(p: number, end: number): KeyToken | undefined {
    const text = this.text;
    const first = text.charCodeAt(p);
    let keyEnd: number;
    let keyText: string;
    let scan: number;
    if (first === DOUBLE_QUOTE || first === SINGLE_QUOTE) {
      const quoted = this.quoted(p, end);
      if (!quoted) return undefined;
      keyEnd = quoted.end;
      keyText = quoted.value;
      scan = keyEnd;
      while (scan < end && text.charCodeAt(scan) === SPACE) scan++;
      if (scan >= end || text.charCodeAt(scan) !== COLON || (scan + 1 < end && text.charCodeAt(scan + 1) !== SPACE)) return undefined;
      if (scan - p > 1024) throw GIVE_UP;
      return { start: p, end: keyEnd, text: keyText, after: scan + 1 };
    }
    if (NOT_PLAIN_START.has(first)) return undefined;
    for (scan = p; scan < end; scan++) {
      const code = text.charCodeAt(scan);
      if (code === COLON && (scan + 1 === end || text.charCodeAt(scan + 1) === SPACE)) break;
      if (code === HASH && text.charCodeAt(scan - 1) === SPACE) return undefined;
    }
    if (scan === end) return undefined;
    // The general parser refuses implicit keys longer than 1024 characters.
    if (scan - p > 1024) throw GIVE_UP;
    keyEnd = scan;
    while (text.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
    keyText = text.slice(p, keyEnd);
    // Keys that resolve to numbers, booleans or null are left to the general parser, which stringifies them its way.
    if (typeof resolvePlain(keyText) !== 'string') return undefined;
    return { start: p, end: keyEnd, text: keyText, after: scan + 1 };
  }

  /** An empty flow collection or a scalar, written; its value returned (its end in lastScalarEnd). */
  private flowOrScalar(r: number, end: number): unknown {
    const text = this.text;
    const first = text.charCodeAt(r);
    if (first === 91 /* [ */ || first === 123 /* { */) {
      const close = first === 91 ? 93 : 125;
      if (text.charCodeAt(r + 1) !== close) throw GIVE_UP;
      this.expectLineEnd(r + 2, end);
      if (this.stack.length + 1 > this.maxDepth) throw GIVE_UP;
      this.out.close(this.out.open(first === 91 ? 'seq' : 'map', true, r), r + 2, 0);
      this.lastScalarEnd = r + 2;
      return first === 91 ? [] : {};
    }
    return this.scalarValue(r, end);
  }

  /** A scalar that takes the rest of the line (a comment may follow), written; its value returned (its end in lastScalarEnd). */
  private scalarValue(r: number, end: number): unknown {
    const text = this.text;
    const first = text.charCodeAt(r);
    if (first === DOUBLE_QUOTE || first === SINGLE_QUOTE) {
      const quoted = this.quoted(r, end);
      if (!quoted) throw GIVE_UP;
      this.expectLineEnd(quoted.end, end);
      this.out.scalar(r, quoted.end);
      this.lastScalarEnd = quoted.end;
      return quoted.value;
    }
    if (NOT_PLAIN_START.has(first) && !((first === DASH || first === COLON || first === 63) && r + 1 < end && text.charCodeAt(r + 1) !== SPACE)) {
      throw GIVE_UP;
    }
    let valueEnd = end;
    for (let i = r; i < end; i++) {
      const code = text.charCodeAt(i);
      if (code === HASH && text.charCodeAt(i - 1) === SPACE) {
        valueEnd = i;
        break;
      }
      if (code === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) throw GIVE_UP;
    }
    while (text.charCodeAt(valueEnd - 1) === SPACE) valueEnd--;
    this.out.scalar(r, valueEnd);
    this.lastScalarEnd = valueEnd;
    return resolvePlain(text.slice(r, valueEnd));
  }

  /** A quoted scalar on one line: its value and the offset after its closing quote; undefined when it does not close on this line. */
  private quoted(r: number, end: number): { value: string; end: number } | undefined {
    const text = this.text;
    const quote = text.charCodeAt(r);
    let value = '';
    let from = r + 1;
    for (let i = r + 1; i < end; i++) {
      const code = text.charCodeAt(i);
      if (quote === DOUBLE_QUOTE && code === BACKSLASH) throw GIVE_UP;
      if (code !== quote) continue;
      if (quote === SINGLE_QUOTE && text.charCodeAt(i + 1) === SINGLE_QUOTE && i + 1 < end) {
        value += text.slice(from, i + 1);
        from = i + 2;
        i++;
        continue;
      }
      value += text.slice(from, i);
      return { value, end: i + 1 };
    }
    return undefined;
  }

  /** After a value only spaces and a comment may follow. */
  private expectLineEnd(from: number, end: number): void {
    const text = this.text;
    let q = from;
    while (q < end && text.charCodeAt(q) === SPACE) q++;
    if (q < end && !(text.charCodeAt(q) === HASH && q > from)) throw GIVE_UP;
  }

  private open(isMap: boolean, start: number, indent: number): Frame {
    if (this.stack.length + 1 > this.maxDepth) throw GIVE_UP;
    const frame: Frame = { at: this.out.open(isMap ? 'map' : 'seq', false, start), isMap, value: isMap ? {} : [], indent, count: 0, lastEnd: start };
    this.stack.push(frame);
    return frame;
  }

  /** Gives a pending key or `-` the value that starts on the next line. */
  private attach(pending: Pending, value: unknown): void {
    if (pending.keyText === undefined) {
      pending.frame.count++;
      (pending.frame.value as unknown[]).push(value);
    } else {
      (pending.frame.value as Record<string, unknown>)[pending.keyText] = value;
    }
  }

  /** Gives a pending key or `-` an empty (null) value. */
  private emptyValue(pending: Pending): void {
    this.out.scalar(pending.emptyAt, pending.emptyAt);
    this.attach(pending, null);
    pending.frame.lastEnd = pending.emptyAt;
  }

  /** Ends the innermost collection at the end of its last value. */
  private close(): void {
    const frame = this.stack.pop()!;
    this.out.close(frame.at, frame.lastEnd, frame.count);
    const parent = this.stack[this.stack.length - 1];
    if (parent) parent.lastEnd = frame.lastEnd;
  }

  private endDocument(): void {
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      this.emptyValue(pending);
    }
    while (this.stack.length > 0) this.close();
    const doc = this.doc;
    if (!doc) return;
    this.doc = undefined;
    if (doc.root) {
      this.documentRecords.push({ contentsAt: doc.root.at, start: doc.start });
      this.values.push(doc.root.value);
    } else {
      this.documentRecords.push({ contentsAt: this.out.scalar(doc.emptyAt, doc.emptyAt), start: doc.start });
      this.values.push(null);
    }
  }
}

interface KeyToken {
  start: number;
  end: number;
  text: string;
  /** Offset just after the key's colon. */
  after: number;
}
