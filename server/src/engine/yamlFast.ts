import { YamlDocument, YamlMap, YamlNode, YamlPair, YamlScalar, YamlSeq } from './yamlTree';

/**
 * A one-pass parser for the part of YAML that Kubernetes manifests and kustomizations are written
 * in: block mappings and sequences, single-line plain and quoted scalars, comments, `---`, empty `[]`
 * and `{}`. It is many times faster than the general parser and builds only the engine's small tree.
 *
 * Anything else — anchors, tags, block and multi-line scalars, flow collections with content, tabs,
 * and every syntax error — makes it give up (undefined), and the caller parses the text with the
 * general parser instead. Where it does not give up, its result equals the general parser's
 * (values by the YAML 1.2 core schema, ranges, documents); a differential test holds it to that.
 */
export interface FastParse {
  documents: YamlDocument[];
  values: unknown[];
}

/** Thrown (without a stack) to leave the fast path. */
const GIVE_UP = Symbol('outside the fast subset');

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const CR = 13;
const LF = 10;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKSLASH = 92;
const DOT = 46;

/** Characters that cannot start a plain scalar here: indicators, and the ones this parser leaves to the general parser. */
const NOT_PLAIN_START = new Set([...',[]{}#&*!|>\'"%@`?:-'].map((c) => c.charCodeAt(0)));

interface Frame {
  node: YamlMap | YamlSeq;
  /** The plain value being built: an object for a mapping, an array for a sequence. */
  value: Record<string, unknown> | unknown[];
  indent: number;
}

/** A key or `-` with nothing after it on its line: its value is on the next lines, or empty. */
interface Pending {
  frame: Frame;
  key: YamlNode | undefined;
  keyText: string;
  /** Where an empty value is placed: the first character after the indicator that is not a space. */
  emptyAt: number;
}

export function parseFast(text: string, maxDepth: number): FastParse | undefined {
  try {
    return new FastParser(text, maxDepth).parse();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

class FastParser {
  private readonly documents: YamlDocument[] = [];
  private readonly values: unknown[] = [];
  private stack: Frame[] = [];
  private pending: Pending | undefined;
  /** The document being read: undefined before its first content or `---`. */
  private doc: { start: number; markerEnd: number; root: Frame | undefined; emptyAt: number } | undefined;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parse(): FastParse {
    const text = this.text;
    if (text.includes('\t') || text.charCodeAt(0) === 0xfeff) throw GIVE_UP;
    // Lines end at \n or \r\n here; a lone \r (a line break too, in YAML) is left to the general parser.
    for (let cr = text.indexOf('\r'); cr >= 0; cr = text.indexOf('\r', cr + 1)) if (text.charCodeAt(cr + 1) !== LF) throw GIVE_UP;
    const length = text.length;
    let lineStart = 0;
    while (lineStart <= length) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = length;
      let end = lineEnd;
      if (end > lineStart && text.charCodeAt(end - 1) === CR) end--;
      let p = lineStart;
      while (p < end && text.charCodeAt(p) === SPACE) p++;
      if (p < end && text.charCodeAt(p) !== HASH) {
        if (p === lineStart) this.lineAtColumnZero(p, end);
        else this.contentLine(p, end, p - lineStart);
      }
      lineStart = lineEnd + 1;
    }
    this.endDocument();
    return { documents: this.documents, values: this.values };
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
      const nested = indent > pending.frame.indent || (indent === pending.frame.indent && dash && pending.key !== undefined);
      if (nested) {
        const frame = this.open(dash ? new YamlSeq(false, p, p) : new YamlMap(false, p, p), indent);
        this.attach(pending, frame.node, frame.value);
      } else {
        this.attach(pending, new YamlScalar(null, pending.emptyAt, pending.emptyAt), null);
      }
    }

    // Close what this line's indentation ends; a sequence written at its key's indentation ends at the next key.
    const stack = this.stack;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.indent > indent || (top.indent === indent && !dash && top.node instanceof YamlSeq)) this.close();
      else break;
    }
    if (stack.length === 0) {
      if (this.doc.root) throw GIVE_UP;
      this.doc.root = this.open(dash ? new YamlSeq(false, p, p) : new YamlMap(false, p, p), indent);
    }
    const frame = stack[stack.length - 1];
    if (frame.indent !== indent) throw GIVE_UP;
    if (dash) {
      if (!(frame.node instanceof YamlSeq)) throw GIVE_UP;
      this.sequenceItem(frame, p, end);
    } else {
      if (!(frame.node instanceof YamlMap)) throw GIVE_UP;
      this.mapEntry(frame, p, end);
    }
  }

  private sequenceItem(frame: Frame, dashAt: number, end: number): void {
    const text = this.text;
    let r = dashAt + 1;
    while (r < end && text.charCodeAt(r) === SPACE) r++;
    if (r === end || text.charCodeAt(r) === HASH) {
      this.pending = { frame, key: undefined, keyText: '', emptyAt: r };
      return;
    }
    if (text.charCodeAt(r) === DASH && (r + 1 === end || text.charCodeAt(r + 1) === SPACE)) throw GIVE_UP;
    const key = this.key(r, end);
    if (key) {
      // `- key: value`: a mapping whose keys line up under the first one.
      const map = new YamlMap(false, r, r);
      const value: Record<string, unknown> = {};
      (frame.node as YamlSeq).items.push(map);
      (frame.value as unknown[]).push(value);
      const column = r - this.text.lastIndexOf('\n', r) - 1;
      const mapFrame = this.open(map, column, value);
      this.mapEntry(mapFrame, r, end, key);
      return;
    }
    const [node, value] = this.scalarValue(r, end);
    (frame.node as YamlSeq).items.push(node);
    (frame.value as unknown[]).push(value);
  }

  private mapEntry(frame: Frame, p: number, end: number, known?: KeyToken): void {
    const text = this.text;
    const key = known ?? this.key(p, end);
    if (!key) throw GIVE_UP;
    const object = frame.value as Record<string, unknown>;
    if (key.text === '__proto__' || Object.prototype.hasOwnProperty.call(object, key.text)) throw GIVE_UP;
    let r = key.after;
    while (r < end && text.charCodeAt(r) === SPACE) r++;
    if (r === end || text.charCodeAt(r) === HASH) {
      this.pending = { frame, key: key.node, keyText: key.text, emptyAt: r };
      // Holds the key's place, so the mapping's keys keep their order and duplicates are caught.
      object[key.text] = null;
      return;
    }
    const [node, value] = this.flowOrScalar(r, end);
    (frame.node as YamlMap).items.push(new YamlPair(key.node, node));
    object[key.text] = value;
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
      return { node: new YamlScalar(keyText, p, keyEnd), text: keyText, after: scan + 1 };
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
    return { node: new YamlScalar(keyText, p, keyEnd), text: keyText, after: scan + 1 };
  }

  private flowOrScalar(r: number, end: number): [YamlNode, unknown] {
    const text = this.text;
    const first = text.charCodeAt(r);
    if (first === 91 /* [ */ || first === 123 /* { */) {
      const close = first === 91 ? 93 : 125;
      if (text.charCodeAt(r + 1) !== close) throw GIVE_UP;
      this.expectLineEnd(r + 2, end);
      if (this.stack.length + 1 > this.maxDepth) throw GIVE_UP;
      return first === 91 ? [new YamlSeq(true, r, r + 2), []] : [new YamlMap(true, r, r + 2), {}];
    }
    return this.scalarValue(r, end);
  }

  /** A scalar that takes the rest of the line (a comment may follow). */
  private scalarValue(r: number, end: number): [YamlScalar, unknown] {
    const text = this.text;
    const first = text.charCodeAt(r);
    if (first === DOUBLE_QUOTE || first === SINGLE_QUOTE) {
      const quoted = this.quoted(r, end);
      if (!quoted) throw GIVE_UP;
      this.expectLineEnd(quoted.end, end);
      return [new YamlScalar(quoted.value, r, quoted.end), quoted.value];
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
    const source = text.slice(r, valueEnd);
    const value = resolvePlain(source);
    return [new YamlScalar(value, r, valueEnd), value];
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

  private open(node: YamlMap | YamlSeq, indent: number, value?: Record<string, unknown> | unknown[]): Frame {
    if (this.stack.length + 1 > this.maxDepth) throw GIVE_UP;
    const frame: Frame = { node, value: value ?? (node instanceof YamlSeq ? [] : {}), indent };
    this.stack.push(frame);
    return frame;
  }

  private attach(pending: Pending, node: YamlNode, value: unknown): void {
    if (pending.key === undefined) {
      (pending.frame.node as YamlSeq).items.push(node);
      (pending.frame.value as unknown[]).push(value);
    } else {
      (pending.frame.node as YamlMap).items.push(new YamlPair(pending.key, node));
      (pending.frame.value as Record<string, unknown>)[pending.keyText] = value;
    }
  }

  /** Ends the innermost collection at the end of its last value. */
  private close(): void {
    const frame = this.stack.pop()!;
    const items = frame.node.items;
    const last = items[items.length - 1];
    if (last) frame.node.end = last instanceof YamlPair ? last.value.end : last.end;
  }

  private endDocument(): void {
    const pending = this.pending;
    if (pending) {
      this.pending = undefined;
      this.attach(pending, new YamlScalar(null, pending.emptyAt, pending.emptyAt), null);
    }
    while (this.stack.length > 0) this.close();
    const doc = this.doc;
    if (!doc) return;
    this.doc = undefined;
    if (doc.root) {
      this.documents.push({ contents: doc.root.node, start: doc.start, hasErrors: false });
      this.values.push(doc.root.value);
    } else {
      this.documents.push({ contents: new YamlScalar(null, doc.emptyAt, doc.emptyAt), start: doc.start, hasErrors: false });
      this.values.push(null);
    }
  }
}

interface KeyToken {
  node: YamlScalar;
  text: string;
  /** Offset just after the key's colon. */
  after: number;
}

const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;

/** A plain scalar's value by the YAML 1.2 core schema, the general parser's default. */
export function resolvePlain(source: string): unknown {
  const first = source.charCodeAt(0);
  // Most scalars are names: anything that cannot start a null, boolean or number is a string.
  const mayBeTyped =
    source.length === 0 ||
    (first >= 48 && first <= 57) ||
    first === 43 ||
    first === DASH ||
    first === DOT ||
    first === 126 /* ~ */ ||
    first === 110 /* n */ ||
    first === 78 /* N */ ||
    first === 116 /* t */ ||
    first === 84 /* T */ ||
    first === 102 /* f */ ||
    first === 70; /* F */
  if (!mayBeTyped) return source;
  switch (source) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
    case '.inf':
    case '.Inf':
    case '.INF':
    case '+.inf':
    case '+.Inf':
    case '+.INF':
      return Number.POSITIVE_INFINITY;
    case '-.inf':
    case '-.Inf':
    case '-.INF':
      return Number.NEGATIVE_INFINITY;
    case '.nan':
    case '.NaN':
    case '.NAN':
      return Number.NaN;
    default:
      break;
  }
  if (/^0o[0-7]+$/.test(source)) return parseInt(source.slice(2), 8);
  if (INT.test(source)) return parseInt(source, 10);
  if (/^0x[0-9a-fA-F]+$/.test(source)) return parseInt(source.slice(2), 16);
  if (FLOAT_EXP.test(source) || FLOAT.test(source)) return parseFloat(source);
  return source;
}
