import { isRecord } from './manifest';
import { Range } from './text';
import { isMap, isScalar, isSeq, pairOf, ParsedYaml, rangeOfNode, scalarText, YamlNode, YamlPair } from './yaml';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function isKustomizationFileName(baseName: string): boolean {
  return (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(baseName);
}

/** Keys whose items name files or directories, in the order kustomize reads them. */
export const ENTRY_FIELDS = ['resources', 'bases', 'components', 'patchesStrategicMerge', 'patches', 'patchesJson6902', 'crds', 'configurations'] as const;
export type EntryField = (typeof ENTRY_FIELDS)[number];

/** Fields whose items are objects with a `path` key rather than plain strings. */
const PATH_OBJECT_FIELDS: ReadonlySet<string> = new Set(['patches', 'patchesJson6902']);

export interface KustomizationEntry {
  field: EntryField;
  /** The path or URL as written, without quotes. */
  value: string;
  /** False for a commented-out entry such as `#- file.yaml`. */
  enabled: boolean;
  /** Zero-based line of the entry. */
  line: number;
  /** Range of the value text on that line. */
  range: Range;
}

export interface Kustomization {
  path: string;
  parsed: ParsedYaml;
  kind: 'Kustomization' | 'Component';
  namespace: string | undefined;
  namePrefix: string;
  nameSuffix: string;
  entries: KustomizationEntry[];
  /** Top-level keys and where each is written. */
  keys: Map<string, Range>;
  /** True when the file holds nothing but comments and blank lines (kustomize: "kustomization.yaml is empty"). */
  onlyComments: boolean;
}

export function parseKustomization(path: string, parsed: ParsedYaml): Kustomization {
  const doc = parsed.documents[0];
  const value = isRecord(parsed.values[0]) ? parsed.values[0] : {};
  const keys = new Map<string, Range>();
  const entries: KustomizationEntry[] = [];
  const topPairs: YamlPair[] = doc && isMap(doc.contents) ? doc.contents.items : [];

  topPairs.forEach((pair, index) => {
    const key = scalarText(pair.key);
    const keyRange = rangeOfNode(parsed.lines, pair.key);
    if (key === undefined || !keyRange) return;
    keys.set(key, keyRange);
    if (!(ENTRY_FIELDS as readonly string[]).includes(key)) return;
    const field = key as EntryField;
    entries.push(...activeEntries(parsed, field, pair.value));
    const nextKey = topPairs[index + 1]?.key;
    const sectionEnd = nextKey ? parsed.lines.positionAt(nextKey.start).line : parsed.lines.lineCount;
    entries.push(...disabledEntries(parsed, field, keyRange.start.line + 1, sectionEnd));
  });
  entries.sort((a, b) => a.line - b.line);

  const kind = value.kind === 'Component' ? 'Component' : 'Kustomization';
  return {
    path,
    parsed,
    kind,
    namespace: stringField(value.namespace),
    namePrefix: stringField(value.namePrefix) ?? '',
    nameSuffix: stringField(value.nameSuffix) ?? '',
    entries,
    keys,
    onlyComments: onlyComments(parsed),
  };
}

function onlyComments(parsed: ParsedYaml): boolean {
  for (let line = 0; line < parsed.lines.lineCount; line++) {
    if (!/^\s*(#.*)?$/.test(parsed.lines.lineText(line).replace(/^\uFEFF/, ''))) return false;
  }
  return true;
}

function stringField(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function activeEntries(parsed: ParsedYaml, field: EntryField, value: YamlNode | null): KustomizationEntry[] {
  if (!isSeq(value)) return [];
  const entries: KustomizationEntry[] = [];
  for (const item of value.items) {
    const node = PATH_OBJECT_FIELDS.has(field) && isMap(item) ? pairOf(item, 'path')?.value : item;
    if (!isScalar(node)) continue;
    const text = scalarText(node);
    const range = rangeOfNode(parsed.lines, node);
    if (text === undefined || !range) continue;
    entries.push({ field, value: text, enabled: true, line: range.start.line, range });
  }
  return entries;
}

/**
 * A commented-out entry in any shape real repositories use: `#- f`, `# - f`, `##- f`, `# f`,
 * optionally quoted and followed by a comment; for patch lists also `#- path: f`.
 */
const DISABLED_ENTRY = /^(\s*#+\s*)(-\s*)?(path:\s*)?(["']?)([^\s#"']+)\4\s*(?:#.*)?$/;
/** A commented-out key such as `#components:` ends the section above it. */
const COMMENTED_KEY = /^\s*#+\s*[A-Za-z][\w-]*:\s*(#.*)?$/;

function disabledEntries(parsed: ParsedYaml, field: EntryField, firstLine: number, endLine: number): KustomizationEntry[] {
  const entries: KustomizationEntry[] = [];
  for (let line = firstLine; line < endLine; line++) {
    const text = parsed.lines.lineText(line);
    if (!text.trimStart().startsWith('#')) continue;
    if (COMMENTED_KEY.test(text)) break;
    const match = DISABLED_ENTRY.exec(text);
    if (!match) continue;
    const [, lead, dash, pathKey, quote, value] = match;
    if (pathKey && !PATH_OBJECT_FIELDS.has(field)) continue;
    if (!looksLikeEntry(value, dash !== undefined || pathKey !== undefined)) continue;
    const start = lead.length + (dash?.length ?? 0) + (pathKey?.length ?? 0);
    entries.push({
      field,
      value,
      enabled: false,
      line,
      range: { start: { line, character: start }, end: { line, character: start + value.length + 2 * quote.length } },
    });
  }
  return entries;
}

export function isRemoteEntry(value: string): boolean {
  return /^(https?:\/\/|git@|ssh:\/\/|git::|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/.test(value) || /\?ref=/.test(value);
}

/**
 * Without a dash, a comment is an entry only when it reads as a path (`# dj-router.yaml`, `# ../base/`);
 * `# TODO` or `# frontend` are prose. With a dash, a bare name may be a directory.
 */
function looksLikeEntry(value: string, hasDash: boolean): boolean {
  if (isRemoteEntry(value)) return true;
  if (value.endsWith(':')) return false;
  if (value.includes(':')) return false;
  if (/\.(ya?ml|json)$/i.test(value) || value.includes('/')) return true;
  return hasDash && /^[\w.][\w.-]*$/.test(value);
}
