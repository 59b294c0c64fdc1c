/**
 * go-yaml, which kustomize and kubectl read YAML with, lets a quoted scalar go on over lines that are
 * indented no deeper than its key; YAML 1.2 (and the `yaml` package) require them to be indented
 * deeper. controller-gen writes CRD descriptions that way, so real bases hold them:
 *
 *     description: 'Foo bar
 *     baz qux'
 *
 * The leading whitespace of a quoted scalar's continuation line is not part of its value, so indenting
 * those lines changes no value: the text is read with spaces inserted, and every offset the parser
 * reports is mapped back to the original text.
 */

export interface LenientSource {
  /** The text with continuation lines indented. */
  source: string;
  /** Maps an offset in `source` to the original text (inserted spaces map to where they were inserted). */
  toOriginal(offset: number): number;
  /** Offsets (in the original text) of the first indented continuation line of each such scalar. */
  continuationLines: number[];
}

const LINE = /[^\n]*(?:\n|$)/g;

/** The text with under-indented continuation lines of quoted scalars indented, or undefined when it has none. */
export function indentQuotedContinuations(text: string): LenientSource | undefined {
  const inserts: { at: number; count: number }[] = [];
  let quote: '"' | "'" | undefined;
  let required = 0;
  let blockIndent = -1;
  const continuationLines: number[] = [];
  let noted = false;
  for (const match of text.matchAll(LINE)) {
    const line = match[0];
    if (line === '') break;
    const start = match.index;
    const body = line.replace(/\r?\n$/, '');
    const indent = body.length - body.trimStart().length;
    if (quote) {
      // A document marker ends the document, quoted or not: go-yaml refuses this too.
      if (/^(?:---|\.\.\.)(?:\s|$)/.test(body)) return undefined;
      if (body.trim() !== '' && indent < required) {
        if (!noted) continuationLines.push(start);
        noted = true;
        inserts.push({ at: start, count: required - indent });
      }
      if (closingQuote(body, indent, quote) >= 0) quote = undefined;
      continue;
    }
    if (blockIndent >= 0) {
      if (body.trim() === '' || indent > blockIndent) continue;
      blockIndent = -1;
    }
    const value = valueStart(body, indent);
    if (value < 0) continue;
    const first = body[value];
    if (first === '|' || first === '>') {
      blockIndent = indent;
      continue;
    }
    if (first !== '"' && first !== "'") continue;
    if (closingQuote(body, value + 1, first) >= 0) continue;
    quote = first;
    noted = false;
    // Deeper than the line the scalar starts on, and than a `- ` item's content.
    required = indent + 2;
  }
  if (quote || inserts.length === 0) return undefined;
  let source = '';
  let from = 0;
  for (const { at, count } of inserts) {
    source += text.slice(from, at) + ' '.repeat(count);
    from = at;
  }
  source += text.slice(from);
  let before = 0;
  const shifted = inserts.map(({ at, count }) => {
    const insert = { at, before, count };
    before += count;
    return insert;
  });
  return {
    source,
    continuationLines,
    toOriginal(offset) {
      // The last insertion that starts at or before the offset, in source coordinates.
      let low = 0;
      let high = shifted.length - 1;
      let found = -1;
      while (low <= high) {
        const mid = (low + high) >> 1;
        if (shifted[mid].at + shifted[mid].before <= offset) {
          found = mid;
          low = mid + 1;
        } else high = mid - 1;
      }
      if (found < 0) return offset;
      const insert = shifted[found];
      const sourceAt = insert.at + insert.before;
      return offset < sourceAt + insert.count ? insert.at : offset - insert.before - insert.count;
    },
  };
}

/** Where the value of a block line starts (after `- ` items and a plain `key: `), or -1 when there is none. */
function valueStart(body: string, indent: number): number {
  let at = indent;
  while (body[at] === '-' && (body[at + 1] === ' ' || at + 1 === body.length)) {
    at += 1;
    while (body[at] === ' ') at++;
  }
  if (at >= body.length || body[at] === '#') return -1;
  if (body[at] === '"' || body[at] === "'") return at;
  // A plain key: the first `: ` (or a `:` ending the line) before any comment.
  for (let i = at; i < body.length; i++) {
    const c = body[i];
    if (c === '#' && body[i - 1] === ' ') return -1;
    if (c === ':' && (i + 1 === body.length || body[i + 1] === ' ')) {
      let v = i + 1;
      while (body[v] === ' ') v++;
      return v < body.length && body[v] !== '#' ? v : -1;
    }
  }
  return -1;
}

/** The offset of the quote that closes a scalar opened before `from`, or -1 when the line does not close it. */
function closingQuote(body: string, from: number, quote: '"' | "'"): number {
  for (let i = from; i < body.length; i++) {
    const c = body[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c !== quote) continue;
    if (quote === "'" && body[i + 1] === "'") {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}
