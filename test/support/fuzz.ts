/**
 * Seeded mutations of YAML text for the fuzz tests. Every case derives its own generator from the
 * run's seed and its index, so one case replays alone: MESH_FUZZ_SEED=<seed> MESH_FUZZ_CASE=<index>.
 */

/** The seed of the suite's runs; MESH_FUZZ_SEED replaces it (decimal or 0x hex). */
export const DEFAULT_FUZZ_SEED = 0x6d657368;

export function fuzzSeed(): number {
  const raw = process.env.MESH_FUZZ_SEED;
  if (raw === undefined || raw === '') return DEFAULT_FUZZ_SEED;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`MESH_FUZZ_SEED must be an integer, not ${raw}`);
  return value >>> 0;
}

/** The case indexes to run: MESH_FUZZ_CASE=<index> replays one, otherwise 0..count-1. */
export function fuzzCases(count: number): number[] {
  const raw = process.env.MESH_FUZZ_CASE;
  if (raw === undefined || raw === '') return Array.from({ length: count }, (_, i) => i);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`MESH_FUZZ_CASE must be a case index, not ${raw}`);
  return [value];
}

/** A small, fast, seedable generator (mulberry32). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The generator of one case: independent of every other case of the run. */
  static forCase(seed: number, index: number, stream = 0): Rng {
    let h = (seed ^ Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
    return new Rng((h ^ (h >>> 16)) >>> 0);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

// SPECIALS and WORDS are packed by hand: one token a line would make them ten times as long.

/** Characters that mean something to YAML or to the engine, and some that mean trouble. */
// prettier-ignore
const SPECIALS = [
  ':', '-', '#', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '?', '\t', '\r', '\n',
  ' ', '\u0000', '\uFEFF', '\u00a0', '\u2028', '\uFFFD', '\ud800', '\udc00', '😀', '\\', '$', '${', '~', '/', '../', '..',
];

// prettier-ignore
const WORDS = [
  'apiVersion', 'kind', 'metadata', 'name', 'namespace', 'spec', 'routes', 'httpRoute', 'action', 'weightedTargets',
  'virtualNodeRef', 'weight', 'resources', 'components', 'bases', 'patches', 'path', 'namePrefix', 'nameSuffix',
  'VirtualRouter', 'VirtualNode', 'VirtualService', 'Kustomization', 'Component', 'appmesh.k8s.aws/v1beta2',
  'appmesh.k8s.aws/v1beta1', 'kustomize.config.k8s.io/v1beta1', 'metal-v1', 'metal-v2', 'jazz-v1', 'jazz-v2',
  'dj-mesh-router-v1.yaml', 'dj-app-mesh-metal-v2.yaml', '../base', '../../..', '/etc/passwd', 'https://example.com/x.yaml',
  'github.com/o/r//d?ref=v1', 'provider', 'virtualRouter', 'virtualRouterRef', 'listeners', 'serviceDiscovery', 'match',
  'prefix', '/', '0', '100', '-5', '1e9', '0x1F', '.inf', 'null', '~', 'true', 'no', '${weight}', '""', "''",
];

function randomScalar(rng: Rng): string {
  switch (rng.int(8)) {
    case 0:
      return String(rng.between(-1000, 100000));
    case 1:
      return JSON.stringify(rng.pick(WORDS) + rng.pick(SPECIALS));
    case 2:
      return `'${rng.pick(WORDS).replace(/'/g, "''")}'`;
    case 3:
      return rng.pick(['true', 'false', 'null', '~', '.nan', '-.inf', '0o17', '2001-12-14']);
    default:
      return rng.pick(WORDS);
  }
}

/** A random YAML value, `depth` levels at most, in block or flow style, with anchors, aliases, tags and block scalars. */
export function randomYaml(rng: Rng, depth: number, indent = ''): string {
  const roll = rng.int(depth <= 0 ? 3 : 12);
  const decorate = (text: string): string => {
    const r = rng.int(12);
    if (r === 0) return `&a${rng.int(4)} ${text}`;
    if (r === 1) return `!!str ${text}`;
    if (r === 2) return `!custom ${text}`;
    return text;
  };
  switch (roll) {
    case 0:
    case 1:
      return decorate(randomScalar(rng));
    case 2:
      return `*a${rng.int(4)}`;
    case 3:
    case 4: {
      const items = Array.from({ length: rng.between(0, 4) }, () => `${rng.pick(WORDS)}: ${randomYaml(rng, depth - 1, indent + '  ').trimStart()}`);
      return items.length === 0 ? '{}' : '\n' + items.map((item) => `${indent}  ${item}`).join('\n');
    }
    case 5:
    case 6: {
      const items = Array.from({ length: rng.between(0, 4) }, () => `- ${randomYaml(rng, depth - 1, indent + '  ').trimStart()}`);
      return items.length === 0 ? '[]' : '\n' + items.map((item) => `${indent}${item}`).join('\n');
    }
    case 7:
      return `{ ${Array.from({ length: rng.between(0, 3) }, () => `${rng.pick(WORDS)}: ${randomScalar(rng)}`).join(', ')} }`;
    case 8:
      return `[${Array.from({ length: rng.between(0, 3) }, () => randomScalar(rng)).join(', ')}]`;
    case 9:
      return `${rng.pick(['|', '>', '|-', '>+', '|2'])}\n${indent}  ${rng.pick(WORDS)}\n${indent}  ${rng.pick(WORDS)}`;
    case 10:
      return `\n${indent}<<: *a${rng.int(4)}\n${indent}${rng.pick(WORDS)}: ${randomScalar(rng)}`;
    default:
      return `\n${indent}? ${randomScalar(rng)}\n${indent}: ${randomScalar(rng)}`;
  }
}

/** A whole random YAML snippet: a mapping entry, a sequence item, a document marker or a directive. */
function randomSnippet(rng: Rng): string {
  switch (rng.int(10)) {
    case 0:
      return rng.pick(['---', '...', '%YAML 1.2', '%TAG ! tag:example.com,2000:', '--- !!map', '# just a comment']);
    case 1: {
      const depth = rng.between(20, 120);
      return `deep: ${'['.repeat(depth)}${rng.chance(0.5) ? ']'.repeat(depth) : ''}`;
    }
    case 2:
      return `- ${randomYaml(rng, 3, '  ').trimStart()}`;
    default:
      return `${rng.pick(WORDS)}: ${randomYaml(rng, 4).replace(/^\n/, '\n')}`;
  }
}

export type Mutator = (text: string, rng: Rng) => string;

const lineSplit = (text: string): string[] => text.split('\n');

/** Mutations by name, so a failure says which ones made its input. */
export const MUTATORS: Record<string, Mutator> = {
  'byte flip'(text, rng) {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length === 0) return String.fromCharCode(rng.int(256));
    for (let n = rng.between(1, 4); n > 0; n--) {
      const at = rng.int(bytes.length);
      bytes[at] = rng.chance(0.5) ? bytes[at] ^ (1 << rng.int(8)) : rng.int(256);
    }
    return bytes.toString('utf8');
  },
  'special character'(text, rng) {
    const at = rng.int(text.length + 1);
    return text.slice(0, at) + rng.pick(SPECIALS) + text.slice(at + (rng.chance(0.5) ? 1 : 0));
  },
  truncation(text, rng) {
    if (rng.chance(0.3)) {
      const bytes = Buffer.from(text, 'utf8');
      return bytes.subarray(0, rng.int(bytes.length + 1)).toString('utf8');
    }
    return text.slice(0, rng.int(text.length + 1));
  },
  'indentation shift'(text, rng) {
    const lines = lineSplit(text);
    const from = rng.int(lines.length);
    const to = Math.min(lines.length, from + rng.between(1, 8));
    const delta = rng.pick([-4, -2, -1, 1, 2, 4]);
    const useTab = rng.chance(0.1);
    for (let i = from; i < to; i++) {
      if (useTab) lines[i] = '\t' + lines[i];
      else if (delta > 0) lines[i] = ' '.repeat(delta) + lines[i];
      else lines[i] = lines[i].replace(new RegExp(`^ {1,${-delta}}`), '');
    }
    return lines.join('\n');
  },
  'random YAML structure'(text, rng) {
    const lines = lineSplit(text);
    const at = rng.int(lines.length + 1);
    const snippet = randomSnippet(rng);
    const indent = rng.chance(0.5) ? (/^\s*/.exec(lines[Math.min(at, lines.length - 1)] ?? '')?.[0] ?? '') : '';
    const replaced = rng.chance(0.3) ? 1 : 0;
    lines.splice(at, replaced, ...snippet.split('\n').map((line) => indent + line));
    return lines.join('\n');
  },
  'value replaced'(text, rng) {
    const lines = lineSplit(text);
    const candidates = lines.map((line, i) => (/:\s+\S/.test(line) || /^\s*#?-\s/.test(line) ? i : -1)).filter((i) => i >= 0);
    if (candidates.length === 0) return text;
    const i = rng.pick(candidates);
    lines[i] = lines[i].replace(/(:\s+|^\s*#?-\s+).*$/, (_m, lead: string) => lead + randomYaml(rng, 2).trimStart().split('\n')[0]);
    return lines.join('\n');
  },
  'deleted lines'(text, rng) {
    const lines = lineSplit(text);
    lines.splice(rng.int(lines.length), rng.between(1, 5));
    return lines.join('\n');
  },
  'duplicated lines'(text, rng) {
    const lines = lineSplit(text);
    const from = rng.int(lines.length);
    const chunk = lines.slice(from, from + rng.between(1, 6));
    const at = rng.chance(0.5) ? from + chunk.length : rng.int(lines.length + 1);
    for (let n = rng.chance(0.1) ? rng.between(2, 50) : 1; n > 0; n--) lines.splice(at, 0, ...chunk);
    return lines.join('\n');
  },
  'swapped lines'(text, rng) {
    const lines = lineSplit(text);
    const a = rng.int(lines.length);
    const b = rng.int(lines.length);
    [lines[a], lines[b]] = [lines[b], lines[a]];
    return lines.join('\n');
  },
  'line ends'(text, rng) {
    const ending = rng.pick(['\r\n', '\r', '\n\n', '\u2028']);
    return text.replace(/\n/g, (m) => (rng.chance(0.3) ? ending : m));
  },
  'comment toggled'(text, rng) {
    const lines = lineSplit(text);
    for (let n = rng.between(1, 3); n > 0; n--) {
      const i = rng.int(lines.length);
      lines[i] = /^\s*#/.test(lines[i]) ? lines[i].replace(/#+\s?/, '') : rng.pick(['#', '# ', '##', '#- ']) + lines[i];
    }
    return lines.join('\n');
  },
};

const MUTATOR_NAMES = Object.keys(MUTATORS);

/** One to three mutations of a text; returns the result and the names applied, in order. */
export function mutate(text: string, rng: Rng): { text: string; applied: string[] } {
  const applied: string[] = [];
  let result = text;
  for (let n = rng.chance(0.6) ? 1 : rng.between(2, 3); n > 0; n--) {
    const name = rng.pick(MUTATOR_NAMES);
    applied.push(name);
    result = MUTATORS[name](result, rng);
  }
  return { text: result, applied };
}

/** A text's lines without their breaks, as LSP clients split them (pass it to rangeInside to check many ranges). */
export function linesOf(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * Why a range does not lie inside a text, or undefined when it does: line within the text, character
 * within the line (before its line break). Lines end at \n, \r\n or \r, as LSP clients count them.
 */
export function rangeInside(
  text: string | string[],
  range: { start: { line: number; character: number }; end: { line: number; character: number } },
): string | undefined {
  const lines = typeof text === 'string' ? linesOf(text) : text;
  for (const [name, position] of [
    ['start', range.start],
    ['end', range.end],
  ] as const) {
    if (!Number.isInteger(position.line) || !Number.isInteger(position.character)) return `${name} is not integral: ${JSON.stringify(position)}`;
    if (position.line < 0 || position.line >= lines.length) return `${name} line ${position.line} is outside the ${lines.length} lines`;
    if (position.character < 0 || position.character > lines[position.line].length) {
      return `${name} character ${position.character} is outside line ${position.line} (${lines[position.line].length} characters)`;
    }
  }
  if (range.start.line > range.end.line || (range.start.line === range.end.line && range.start.character > range.end.character)) {
    return `start ${JSON.stringify(range.start)} is after end ${JSON.stringify(range.end)}`;
  }
  return undefined;
}
