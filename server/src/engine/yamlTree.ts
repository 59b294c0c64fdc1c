/**
 * The engine's YAML syntax tree: what rules and navigation need of a document — collections, scalars
 * with their resolved values, and where each is written — and nothing else.
 *
 * A workspace keeps one tree per file version, and tens of thousands of files must fit in memory, so a
 * file's trees are stored as records in one Int32Array, in document order (a collection's record is
 * followed by its items'; a mapping's items alternate key and value):
 *
 *   scalar, alias:  kind | start | end | value slot (-1: read from the text; else an index into `values`)
 *   collection:     kind (+ FLOW) | start | end | item count | size of the record with its items, in slots
 *
 * Nodes are views made when asked for. Ranges are string offsets: a scalar's covers its text (quotes
 * included); a collection's runs from its first key or `-` (or opening bracket) to the end of its last
 * value (or closing bracket).
 */

const SCALAR = 0;
const MAP = 1;
const SEQ = 2;
const ALIAS = 3;
const KIND = 7;
const FLOW = 8;
const LEAF_SLOTS = 4;
const COLLECTION_SLOTS = 5;

/** The records of one file's documents. */
export class YamlSyntax {
  constructor(
    readonly text: string,
    readonly data: Int32Array,
    /** Values of scalars that cannot be read back from their text (escapes, tags, block scalars). */
    readonly values: readonly unknown[],
  ) {}

  node(at: number): YamlNode {
    switch (this.data[at] & KIND) {
      case MAP:
        return new YamlMap(this, at);
      case SEQ:
        return new YamlSeq(this, at);
      case ALIAS:
        return new YamlAlias(this, at);
      default:
        return new YamlScalar(this, at);
    }
  }

  /** Slots taken by the record at `at` with its items. */
  size(at: number): number {
    const kind = this.data[at] & KIND;
    return kind === MAP || kind === SEQ ? this.data[at + 4] : LEAF_SLOTS;
  }
}

abstract class YamlNodeView {
  constructor(
    protected readonly syntax: YamlSyntax,
    protected readonly at: number,
  ) {}

  get start(): number {
    return this.syntax.data[this.at + 1];
  }

  get end(): number {
    return this.syntax.data[this.at + 2];
  }
}

export class YamlScalar extends YamlNodeView {
  /** The resolved value (YAML 1.2 core schema): string, number, boolean or null. */
  get value(): unknown {
    const { data, text, values } = this.syntax;
    const slot = data[this.at + 3];
    if (slot >= 0) return values[slot];
    const start = data[this.at + 1];
    const end = data[this.at + 2];
    const quote = text.charCodeAt(start);
    if (end - start >= 2 && quote === 34) return text.slice(start + 1, end - 1);
    if (end - start >= 2 && quote === 39) return text.slice(start + 1, end - 1).replaceAll("''", "'");
    return resolvePlain(text.slice(start, end));
  }
}

/** An alias (`*name`); the plain values have it resolved, the tree does not follow it. */
export class YamlAlias extends YamlNodeView {}

export class YamlPair {
  constructor(
    readonly key: YamlNode,
    readonly value: YamlNode,
  ) {}
}

abstract class YamlCollectionView<Item> extends YamlNodeView {
  private itemList: Item[] | undefined;

  get flow(): boolean {
    return (this.syntax.data[this.at] & FLOW) !== 0;
  }

  get items(): Item[] {
    return (this.itemList ??= this.readItems());
  }

  protected abstract readItems(): Item[];

  /** The records of the items, in order. */
  protected children(): number[] {
    const { data } = this.syntax;
    const count = data[this.at + 3] * (this instanceof YamlMap ? 2 : 1);
    const children: number[] = [];
    let at = this.at + COLLECTION_SLOTS;
    for (let i = 0; i < count; i++) {
      children.push(at);
      at += this.syntax.size(at);
    }
    return children;
  }
}

export class YamlMap extends YamlCollectionView<YamlPair> {
  protected readItems(): YamlPair[] {
    const children = this.children();
    const pairs: YamlPair[] = [];
    for (let i = 0; i < children.length; i += 2) pairs.push(new YamlPair(this.syntax.node(children[i]), this.syntax.node(children[i + 1])));
    return pairs;
  }
}

export class YamlSeq extends YamlCollectionView<YamlNode> {
  protected readItems(): YamlNode[] {
    return this.children().map((at) => this.syntax.node(at));
  }
}

export type YamlNode = YamlScalar | YamlMap | YamlSeq | YamlAlias;

export interface YamlDocument {
  /** Null for a document the general parser gave no content. */
  readonly contents: YamlNode | null;
  /** Offset of the document's `---`, or of its first content's line when it has none. */
  readonly start: number;
  /** Whether the parser reported a syntax error inside this document. */
  readonly hasErrors: boolean;
}

export class YamlDocumentView implements YamlDocument {
  constructor(
    private readonly syntax: YamlSyntax,
    /** The record of the contents, or -1. */
    private readonly contentsAt: number,
    readonly start: number,
    readonly hasErrors: boolean,
  ) {}

  get contents(): YamlNode | null {
    return this.contentsAt < 0 ? null : this.syntax.node(this.contentsAt);
  }
}

export const isMap = (node: unknown): node is YamlMap => node instanceof YamlMap;
export const isSeq = (node: unknown): node is YamlSeq => node instanceof YamlSeq;
export const isScalar = (node: unknown): node is YamlScalar => node instanceof YamlScalar;
export const isPair = (node: unknown): node is YamlPair => node instanceof YamlPair;

/** Writes records; both parsers use it. */
export class YamlSyntaxBuilder {
  private data = new Int32Array(1024);
  private length = 0;
  private readonly values: unknown[] = [];

  constructor(private readonly text: string) {}

  /** A scalar whose value its text gives (plain, or quoted without escapes), or the value given. */
  scalar(start: number, end: number, ...value: [] | [unknown]): number {
    const slot = value.length === 0 ? -1 : this.values.push(value[0]) - 1;
    return this.leaf(SCALAR, start, end, slot);
  }

  alias(start: number, end: number): number {
    return this.leaf(ALIAS, start, end, -1);
  }

  /** Opens a collection: its items are the records written until `close`. */
  open(kind: 'map' | 'seq', flow: boolean, start: number): number {
    const at = this.reserve(COLLECTION_SLOTS);
    this.data[at] = (kind === 'map' ? MAP : SEQ) | (flow ? FLOW : 0);
    this.data[at + 1] = start;
    this.data[at + 2] = start;
    return at;
  }

  close(at: number, end: number, count: number): void {
    this.data[at + 2] = end;
    this.data[at + 3] = count;
    this.data[at + 4] = this.length - at;
  }

  finish(): YamlSyntax {
    return new YamlSyntax(this.text, this.data.slice(0, this.length), this.values);
  }

  private leaf(kind: number, start: number, end: number, slot: number): number {
    const at = this.reserve(LEAF_SLOTS);
    this.data[at] = kind;
    this.data[at + 1] = start;
    this.data[at + 2] = end;
    this.data[at + 3] = slot;
    return at;
  }

  private reserve(slots: number): number {
    if (this.length + slots > this.data.length) {
      const grown = new Int32Array(Math.max(this.data.length * 2, this.length + slots));
      grown.set(this.data);
      this.data = grown;
    }
    const at = this.length;
    this.length += slots;
    return at;
  }
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
    first === 43 /* + */ ||
    first === 45 /* - */ ||
    first === 46 /* . */ ||
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
