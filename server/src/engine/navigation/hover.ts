import { buildKustomization } from '../build';
import { dialects, roleOf, servicesOf, splitsOf } from '../dialects';
import { Kustomization, KustomizationEntry } from '../kustomization';
import { isRecord } from '../manifest';
import { schemaFileFor } from '../schemas';
import { Position, Range } from '../text';
import { WorkspaceFile } from '../workspace';
import { rangeOfNode } from '../yaml';
import { code, isResourceField, listOf, objectStateText, runningIn, whyNotRunning } from './describe';
import { entryAt, entryValueRange } from './links';
import { NavigationModel } from './model';
import { nodeAtOffset } from './position';
import { definitionsOf, meshSymbolAt, MeshSymbol } from './references';
import { schemaInfo } from './schemaInfo';
import { formatPercent, routeName, routeShares, shareAt, WeightShare } from './weights';
import { versionIdOf } from '../traffic';

/** A hover: Markdown paragraphs about what is under the cursor, and the range they describe. */
export interface HoverInfo {
  range: Range;
  paragraphs: string[];
}

/** Objects listed in a hover before "… and N more". */
const MAX_LISTED = 30;

/** `schema: false` leaves out the descriptions of keys (another tool shows them). */
export function hoverAt(model: NavigationModel, filePath: string, position: Position, options: { schema?: boolean } = {}): HoverInfo | undefined {
  const file = model.workspace.file(filePath);
  if (!file || file.oversize) return undefined;
  const kustomization = file.kustomization;
  if (kustomization) {
    const entry = entryAt(kustomization, position);
    if (entry) return entryHover(model, kustomization, entry);
  } else {
    const share = shareAt(file, position);
    if (share) return weightHover(model, file, share);
    const symbol = meshSymbolAt(model, filePath, position);
    if (symbol) return symbolHover(model, symbol);
  }
  return options.schema === false ? undefined : schemaHover(file, position);
}

function entryHover(model: NavigationModel, kustomization: Kustomization, entry: KustomizationEntry): HoverInfo {
  const range = entryValueRange(kustomization, entry);
  const target = model.resolveEntry(kustomization, entry);
  const name = code(entry.value);
  if (target.type === 'remote') return { range, paragraphs: [`${name} is a remote resource: it is never fetched, so what it defines is not known here.`] };
  if (target.type === 'missing') return { range, paragraphs: [`${name}: no such file or directory in the workspace.`] };
  if (target.type === 'special') return { range, paragraphs: [`${name} is not a regular file (a FIFO, socket or device): it is not read.`] };

  const here = code(model.display(kustomization.path));
  const verb = isResourceField(entry.field) ? 'running' : 'applied';
  let state: string;
  if (!entry.enabled) state = `${name} is not ${verb}: commented out in ${here}.`;
  else {
    const roots = model.entryState(kustomization, entry).roots;
    if (roots.length === 0) state = `${name} is not ${verb}: ${here} is not built by any root kustomization.`;
    else if (roots.length === 1 && roots[0] === kustomization.path) state = `${name} is ${verb}: enabled in ${here}.`;
    else state = `${name} is ${verb}: enabled in ${here}, built by ${listOf(roots.map((r) => model.display(r)))}.`;
  }

  if (target.type === 'file') {
    const file = model.workspace.file(target.path);
    if (file?.oversize) return { range, paragraphs: [state, `${code(model.display(target.path))} is over the size limit and is not read.`] };
    const objects = file?.objects ?? [];
    const defines =
      objects.length === 0
        ? 'It defines no object.'
        : `It defines ${count(objects.length, 'object')}:\n${bullets(objects.map((o) => `${o.kind} ${code(o.name || '(no name)')}`))}`;
    return { range, paragraphs: [state, defines] };
  }
  if (!target.kustomization) return { range, paragraphs: [state, `${code(model.display(target.path) + '/')} is a directory without a kustomization file.`] };
  const child = model.workspace.file(target.kustomization)?.kustomization;
  let objects: string[];
  try {
    objects = child ? buildKustomization(model.workspace, child).objects.map((o) => `${o.kind} ${code(o.name || '(no name)')}`) : [];
  } catch {
    objects = [];
  }
  const built = `Its kustomization ${code(model.display(target.kustomization))} builds ${count(objects.length, 'object')}${objects.length > 0 ? `:\n${bullets(objects)}` : '.'}`;
  return { range, paragraphs: [state, built] };
}

function weightHover(model: NavigationModel, file: WorkspaceFile, share: WeightShare): HoverInfo {
  const range = share.target.weightRange!;
  const written = file.parsed.lines.text.slice(file.parsed.lines.offsetAt(range.start), file.parsed.lines.offsetAt(range.end));
  const route = routeName(share.route);
  const router = `${share.split.object.kind} ${code(share.split.object.name)}`;
  const paragraphs: string[] = [];
  if (share.percent === undefined) {
    paragraphs.push(`${written} → share unknown: ${share.unknown}.`);
  } else {
    paragraphs.push(`${written} → ${formatPercent(share.percent)} % of ${route}`);
    const split = routeShares(share.split, share.route)
      .map((s) => `${versionIdOf(s.target)} ${formatPercent(s.percent!)} %`)
      .join(' / ');
    paragraphs.push(`${route === 'this route' ? 'This route' : code(route)} of ${router}: ${split}.`);
  }
  const state = model.objectState(share.split.object);
  if (!state.running) paragraphs.push(`This ${share.split.object.kind} is not running: ${whyNotRunning(model, file.path)}.`);
  return { range, paragraphs };
}

function symbolHover(model: NavigationModel, symbol: MeshSymbol): HoverInfo {
  const definitions = definitionsOf(model, symbol);
  const title = `${symbol.kind} ${code(symbol.name)}`;
  const paragraphs: string[] = [];
  const chosen = symbol.definition ?? definitions[0];
  if (!chosen) {
    paragraphs.push(`${title}: no file of the workspace defines it.`);
    return { range: symbol.range, paragraphs };
  }
  paragraphs.push(`${title}: ${objectStateText(model, chosen.object)}.`);
  const role = roleOf(chosen.object);
  if (role === 'version' || role === undefined) {
    // Objects outside every dialect's groups (a Service routes name) are described by the dialects that name them.
    paragraphs.push(...dialects.flatMap((dialect) => dialect.describe(chosen.object)));
  } else if (role === 'split') {
    const file = model.workspace.file(chosen.path);
    const split = file && splitsOf(file).find((s) => s.object === chosen.object);
    const routes = (split?.routes ?? []).map(
      (route) =>
        `${code(routeName(route))}: ${routeShares(split!, route)
          .map((s) => `${versionIdOf(s.target)} ${s.percent === undefined ? '?' : formatPercent(s.percent)} %`)
          .join(' / ')}`,
    );
    if (routes.length > 0) paragraphs.push(`Routes:\n${bullets(routes)}`);
  } else {
    const file = model.workspace.file(chosen.path);
    const provider = file && servicesOf(file).find((s) => s.object === chosen.object)?.provider;
    paragraphs.push(provider ? `Provider: ${provider.kind} ${code(provider.name)}` : 'No provider.');
  }
  if (definitions.length === 1) paragraphs.push(`Defined in ${code(model.display(chosen.path))}.`);
  else {
    const places = definitions.map((d) => {
      const state = model.objectState(d.object);
      return `${code(model.display(d.path))}${state.running ? ` (${runningIn(model, state.roots)})` : ''}`;
    });
    paragraphs.push(`Defined in ${definitions.length} files:\n${bullets(places)}`);
  }
  if (symbol.definition) {
    const references = model.referencesTo(symbol.kind, symbol.name);
    paragraphs.push(
      references.length === 0
        ? 'No reference to it.'
        : `${count(references.length, 'reference')} in ${count(new Set(references.map((r) => r.path)).size, 'file')}.`,
    );
  }
  return { range: symbol.range, paragraphs };
}

/** On a key: its description in the schema of the document (kustomization or mesh kind). */
function schemaHover(file: WorkspaceFile, position: Position): HoverInfo | undefined {
  const parsed = file.parsed;
  const hit = nodeAtOffset(parsed, parsed.lines.offsetAt(position));
  if (!hit || !hit.onKey) return undefined;
  const schemaFile = schemaFileOf(file, parsed.values[hit.docIndex]);
  if (!schemaFile) return undefined;
  const info = schemaInfo();
  const property = info.describeKey(schemaFile, hit.path);
  if (!property?.description) return undefined;
  const paragraphs = [property.description];
  if (property.deprecationMessage) paragraphs.push(property.deprecationMessage);
  const allowed = info.values(schemaFile, hit.path);
  if (allowed.length > 1) paragraphs.push(`Allowed: ${allowed.map((v) => code(String(v.value))).join(', ')}`);
  const range = rangeOfNode(parsed.lines, hit.node);
  return range ? { range, paragraphs } : undefined;
}

/** The schema of a document: the kustomization schema for kustomization files, else by apiVersion and kind. */
export function schemaFileOf(file: WorkspaceFile, value: unknown): string | undefined {
  const record = isRecord(value) ? value : {};
  const apiVersion = typeof record.apiVersion === 'string' ? record.apiVersion : '';
  if (file.isKustomization) return schemaFileFor(apiVersion, typeof record.kind === 'string' ? record.kind : 'Kustomization');
  return typeof record.kind === 'string' ? schemaFileFor(apiVersion, record.kind) : undefined;
}

function bullets(lines: string[]): string {
  const shown = lines.slice(0, MAX_LISTED).map((l) => `- ${l}`);
  if (lines.length > MAX_LISTED) shown.push(`- … and ${lines.length - MAX_LISTED} more`);
  return shown.join('\n');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
