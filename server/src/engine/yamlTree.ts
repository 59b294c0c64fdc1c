/**
 * The engine's YAML syntax tree: what rules and navigation need of a document — collections, scalars
 * with their resolved values, and where each is written — and nothing else. Small on purpose: a
 * workspace keeps one per file version, and tens of thousands of files must fit in memory.
 *
 * Ranges are string offsets: a scalar's covers its text (quotes included); a collection's runs from
 * its first key or `-` (or its opening bracket) to the end of its last value (or its closing bracket).
 */

export class YamlScalar {
  constructor(
    /** The resolved value (YAML 1.2 core schema): string, number, boolean or null. */
    readonly value: unknown,
    readonly start: number,
    readonly end: number,
  ) {}
}

/** An alias (`*name`); the plain values have it resolved, the tree does not follow it. */
export class YamlAlias {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}
}

export class YamlPair {
  constructor(
    readonly key: YamlNode,
    readonly value: YamlNode,
  ) {}
}

export class YamlMap {
  readonly items: YamlPair[] = [];
  constructor(
    readonly flow: boolean,
    public start: number,
    public end: number,
  ) {}
}

export class YamlSeq {
  readonly items: YamlNode[] = [];
  constructor(
    readonly flow: boolean,
    public start: number,
    public end: number,
  ) {}
}

export type YamlNode = YamlScalar | YamlMap | YamlSeq | YamlAlias;

export interface YamlDocument {
  /** Null for a document without content (a `---` followed by nothing). */
  contents: YamlNode | null;
  /** Offset of the document's `---`, or of its first content when it has none. */
  start: number;
  /** Whether the parser reported a syntax error inside this document. */
  hasErrors: boolean;
}

export const isMap = (node: unknown): node is YamlMap => node instanceof YamlMap;
export const isSeq = (node: unknown): node is YamlSeq => node instanceof YamlSeq;
export const isScalar = (node: unknown): node is YamlScalar => node instanceof YamlScalar;
export const isPair = (node: unknown): node is YamlPair => node instanceof YamlPair;
