import * as path from 'node:path';
import { lineEndOf, TextEdit } from '../../edits';
import { isRecord, ManifestObject } from '../../manifest';
import { scaleTo100 } from '../../rules/routes';
import { TrafficSplit } from '../../traffic';
import { isMap, isScalar, isSeq, keyAt, nodeAt, rangeOfNode, YamlNode } from '../../yaml';
import { Workspace } from '../../workspace';
import { GATEWAY_API_GROUP } from '../gatewayapi/api';

/** What a TrafficSplit's spec holds in the versions linkerd-smi serves. */
const SPLIT_SPEC_KEYS = new Set(['service', 'backends']);

/** The largest weight an HTTPRoute backendRef takes. */
const MAX_ROUTE_WEIGHT = 1_000_000;

/**
 * Edits that turn a TrafficSplit document into the Gateway API HTTPRoute that splits the same
 * traffic: its apex Service becomes the route's Service parent, its backends the backendRefs of one
 * rule with the same weights. Only `apiVersion`, `kind` and the lines under `spec:` change; the
 * document's other keys, its comments outside the spec and the file's other documents keep their
 * bytes, and comments inside the spec move with the field they were written at.
 * Undefined when the split cannot be written faithfully (a weight that is no number, a flow-style
 * spec, a spec key besides `service` and `backends`, an apex Service with several ports: one route
 * cannot forward each port to the same port).
 */
export function trafficSplitToRoute(split: TrafficSplit, workspace: Workspace): TextEdit[] | undefined {
  const object = split.object;
  const lines = object.lines;
  const text = lines.text;
  const contents = object.doc.contents;
  const specKey = keyAt(contents, ['spec']);
  const spec = nodeAt(contents, ['spec']);
  const backends = nodeAt(contents, ['spec', 'backends']);
  const apexNode = nodeAt(contents, ['spec', 'service']);
  const route = split.routes[0];
  if (!specKey || !isMap(spec) || spec.flow || !isSeq(backends) || !apexNode || split.serviceName === undefined || !route) return undefined;
  if (route.targets.length !== backends.items.length || route.targets.length === 0) return undefined;
  // A key the route would have no place for (a later SMI version's `matches`, say) would be lost.
  if (!spec.items.every((pair) => isScalar(pair.key) && SPLIT_SPEC_KEYS.has(String(pair.key.value)))) return undefined;
  const weights = routeWeights(route.targets.map((t) => t.weight));
  if (!weights) return undefined;
  const ports = servicePorts(workspace, object, split.serviceName);
  if (ports && ports.length > 1) return undefined;
  const port = ports?.[0];

  const source = (node: YamlNode | undefined): string => (node ? text.slice(node.start, node.end) : '');
  const lineOf = (offset: number): number => lines.positionAt(offset).line;
  const specLine = lineOf(specKey.start);
  const lastLine = lineOf(Math.max(spec.start, spec.end - 1));
  const indent = ' '.repeat(lines.positionAt(spec.start).character || 2);

  // Where each comment of the spec goes: after the field written on its line, or, on a line of its
  // own, before the next element written (the parent for `service`, a backendRef for a backend).
  const trailing = new Map<number, string>();
  const before = new Map<string, string[]>();
  const elementStart: [number, string][] = [
    [lineOf(keyAt(contents, ['spec', 'service'])!.start), 'parent'],
    ...backends.items.map((item, index): [number, string] => [lineOf(item.start), `backend ${index}`]),
  ];
  let pending: string[] = [];
  for (let line = specLine + 1; line <= lastLine; line++) {
    const lineText = lines.lineText(line);
    const element = elementStart.find(([start]) => start === line)?.[1];
    if (element) {
      before.set(element, [...(before.get(element) ?? []), ...pending]);
      pending = [];
    }
    const comment = /(^|\s)(#.*)$/.exec(lineText);
    if (!comment) continue;
    if (lineText.slice(0, comment.index).trim() === '') pending.push(comment[2]);
    else trailing.set(line, comment[2]);
  }
  const withComment = (lineText: string, node: YamlNode | undefined): string => {
    const line = node ? lineOf(node.start) : -1;
    const comment = trailing.get(line);
    trailing.delete(line);
    return comment ? `${lineText} ${comment}` : lineText;
  };
  const commentsBefore = (element: string, at: string): string[] => (before.get(element) ?? []).map((c) => `${at}${c}`);

  const out: string[] = [];
  out.push(...commentsBefore('parent', indent), `${indent}parentRefs:`);
  out.push(`${indent}  - group: ""`, `${indent}    kind: Service`, withComment(`${indent}    name: ${source(apexNode)}`, apexNode));
  if (port !== undefined) out.push(`${indent}    port: ${port}`);
  out.push(`${indent}rules:`, `${indent}  - backendRefs:`);
  backends.items.forEach((item, index) => {
    const nameNode = nodeAt(item, ['service']);
    const weightNode = nodeAt(item, ['weight']);
    out.push(...commentsBefore(`backend ${index}`, `${indent}      `));
    out.push(withComment(`${indent}      - name: ${source(nameNode)}`, nameNode));
    if (port !== undefined) out.push(`${indent}        port: ${port}`);
    out.push(withComment(`${indent}        weight: ${weights[index]}`, weightNode));
  });
  // Comments after a key the route has no line for (`backends:`): kept below, on lines of their own.
  out.push(...[...pending, ...trailing.values()].map((c) => `${indent}${c}`));

  const eol = lineEndOf(text);
  const edits: TextEdit[] = [];
  const apiVersion = nodeAt(contents, ['apiVersion']);
  const kind = nodeAt(contents, ['kind']);
  const apiVersionRange = rangeOfNode(lines, apiVersion);
  const kindRange = rangeOfNode(lines, kind);
  if (!apiVersionRange || !kindRange) return undefined;
  edits.push({ range: apiVersionRange, newText: `${GATEWAY_API_GROUP}/v1` });
  edits.push({ range: kindRange, newText: 'HTTPRoute' });
  edits.push({
    range: { start: lines.positionAt(lines.lineEnd(specLine)), end: lines.positionAt(lines.lineEnd(lastLine)) },
    newText: eol + out.join(eol),
  });
  return edits;
}

/**
 * The weights as an HTTPRoute's: whole numbers 0..1,000,000 in the same proportions. Whole weights
 * stay as written; quantities below one (`500m`) count in thousandths.
 */
function routeWeights(weights: (number | undefined)[]): number[] | undefined {
  if (weights.some((w) => w === undefined || w < 0)) return undefined;
  const known = weights as number[];
  const whole = known.every(Number.isInteger) ? known : known.map((w) => Math.round(w * 1000));
  if (whole.every((w) => w <= MAX_ROUTE_WEIGHT)) return whole;
  return whole.some((w) => w > 0) ? scaleTo100(whole) : undefined;
}

/**
 * The ports of the apex Service, from the first file that defines it in the TrafficSplit's
 * directory or a directory above it in the workspace; undefined when none does.
 */
function servicePorts(workspace: Workspace, split: ManifestObject, name: string): number[] | undefined {
  const root = workspace.roots.find((r) => split.path.startsWith(r + path.sep)) ?? path.parse(split.path).root;
  for (let dir = path.dirname(split.path); ; dir = path.dirname(dir)) {
    for (const entry of workspace.listDirectory(dir)) {
      if (entry.kind !== 'file' || !/\.ya?ml$/i.test(entry.name)) continue;
      const file = workspace.file(path.join(dir, entry.name));
      const service = file?.objects.find(
        (o) =>
          o.kind === 'Service' &&
          o.apiVersion === 'v1' &&
          o.name === name &&
          (o.namespace === undefined || split.namespace === undefined || o.namespace === split.namespace),
      );
      if (!service) continue;
      const spec = isRecord(service.value.spec) ? service.value.spec : {};
      const ports = Array.isArray(spec.ports) ? spec.ports.filter(isRecord).map((p) => p.port) : [];
      return ports.filter((p): p is number => typeof p === 'number');
    }
    if (dir === root || path.dirname(dir) === dir) return undefined;
  }
}
