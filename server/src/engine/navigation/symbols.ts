import { splitsOf } from '../dialects';
import { isRecord } from '../manifest';
import { LineIndex, Range } from '../text';
import { WorkspaceFile } from '../workspace';
import { isMap, isSeq, nodeAt, rangeOfNode, scalarText, YamlNode } from '../yaml';
import { before } from './position';
import { formatPercent, routeShares } from './weights';
import { versionIdOf } from '../traffic';

export type OutlineKind = 'object' | 'route' | 'target' | 'key' | 'list' | 'entry';

/** One entry of a file's outline; `children` nest (clients without nesting get them flattened). */
export interface OutlineSymbol {
  name: string;
  detail: string | undefined;
  kind: OutlineKind;
  /** Everything the symbol covers. */
  range: Range;
  /** What to reveal when it is picked: within `range`. */
  selectionRange: Range;
  children: OutlineSymbol[];
}

/** The outline of a file: a kustomization's keys and entries, or each document's object with its routes and targets. */
export function outline(file: WorkspaceFile): OutlineSymbol[] {
  if (file.oversize) return [];
  const kustomization = file.kustomization;
  if (kustomization) return kustomizationOutline(file);
  return manifestOutline(file);
}

function manifestOutline(file: WorkspaceFile): OutlineSymbol[] {
  const { lines, documents, values } = file.parsed;
  const splits = splitsOf(file);
  const symbols: OutlineSymbol[] = [];
  documents.forEach((doc, docIndex) => {
    const value = values[docIndex];
    const contents = doc.contents;
    if (!contents || !isRecord(value) || typeof value.kind !== 'string') return;
    const range = trimmed(lines, contents)!;
    const metadata = isRecord(value.metadata) ? value.metadata : {};
    const name = metadata.name === undefined || metadata.name === null ? '(no name)' : String(metadata.name);
    const nameNode = nodeAt(contents, ['metadata', 'name']) ?? nodeAt(contents, ['kind']);
    const symbol: OutlineSymbol = {
      name: `${value.kind} ${name}`,
      detail: typeof value.apiVersion === 'string' ? value.apiVersion : undefined,
      kind: 'object',
      range,
      selectionRange: within(rangeOfNode(lines, nameNode), range),
      children: [],
    };
    const split = splits.find((s) => s.object.docIndex === docIndex);
    split?.routes.forEach((route, index) => {
      const routeNode = nodeAt(contents, route.entryPath);
      const routeRange = trimmed(lines, routeNode) ?? route.targetsRange;
      const targetsNode = nodeAt(contents, route.targetsPath);
      const targetNodes = isSeq(targetsNode) ? targetsNode.items : [];
      const shares = routeShares(split, route);
      symbol.children.push({
        name: route.name ?? `route ${index + 1}`,
        detail: route.protocol,
        kind: 'route',
        range: routeRange,
        selectionRange: within(route.nameRange ?? route.targetsRange, routeRange),
        children: shares.map((share) => {
          const target = share.target;
          const nameOffset = lines.offsetAt(target.nameRange.start);
          const targetNode = targetNodes.find((n) => n.start <= nameOffset && nameOffset <= n.end);
          const targetRange = union(trimmed(lines, targetNode) ?? target.nameRange, target.weightRange);
          const weight = target.weight === undefined ? 'weight ?' : `weight ${target.weight}`;
          return {
            name: versionIdOf(target),
            detail: share.percent === undefined ? weight : `${weight} (${formatPercent(share.percent)} %)`,
            kind: 'target',
            range: targetRange,
            selectionRange: target.nameRange,
            children: [],
          };
        }),
      });
    });
    symbols.push(symbol);
  });
  return symbols;
}

function kustomizationOutline(file: WorkspaceFile): OutlineSymbol[] {
  const kustomization = file.kustomization!;
  const { lines, documents } = file.parsed;
  const contents = documents[0]?.contents;
  if (!isMap(contents)) return [];
  const symbols: OutlineSymbol[] = [];
  for (const pair of contents.items) {
    const key = scalarText(pair.key);
    const keyRange = rangeOfNode(lines, pair.key);
    if (key === undefined || !keyRange) continue;
    const entries = kustomization.entries.filter((e) => e.field === key);
    const value = pair.value;
    const scalar = scalarText(value);
    let range = union(keyRange, trimmed(lines, value));
    const children: OutlineSymbol[] = entries.map((entry) => ({
      name: entry.value,
      detail: entry.enabled ? undefined : 'commented out',
      kind: 'entry',
      range: entry.range,
      selectionRange: entry.range,
      children: [],
    }));
    for (const child of children) range = union(range, child.range);
    symbols.push({
      name: key,
      detail: scalar ?? (entries.length > 0 ? `${entries.filter((e) => e.enabled).length} of ${entries.length} enabled` : undefined),
      kind: entries.length > 0 || isSeq(value) ? 'list' : 'key',
      range,
      selectionRange: keyRange,
      children,
    });
  }
  return symbols;
}

/** A node's range without the line breaks and blank lines a block collection ends with. */
function trimmed(lines: LineIndex, node: YamlNode | null | undefined): Range | undefined {
  if (!node) return undefined;
  const { start } = node;
  let end = node.end;
  while (end > start && /\s/.test(lines.text.charAt(end - 1))) end--;
  return lines.range(start, end);
}

function union(a: Range, b: Range | undefined): Range {
  if (!b) return a;
  return { start: before(b.start, a.start) ? b.start : a.start, end: before(a.end, b.end) ? b.end : a.end };
}

function within(inner: Range | undefined, outer: Range): Range {
  if (!inner || before(inner.start, outer.start) || before(outer.end, inner.end)) return { start: outer.start, end: outer.start };
  return inner;
}
