import * as path from 'node:path';
import { lineEndOf } from '../../../../edits';
import { FileRule, Finding } from '../../../../rules/rule';
import { Position } from '../../../../text';
import { Workspace } from '../../../../workspace';
import { isMap, keyAt, rangeOfNode } from '../../../../yaml';
import { isGatewayRoute } from '../../traffic';
import { allBackendRefs, isCoreService, sectionsOf } from './objects';

/** The Service named, and where a `port:` goes in its backendRef. */
interface PortMissingData {
  service: string;
  at: Position;
  /** `port: N` on a line of its own at this column, or `, port: N` inside a flow map when undefined. */
  column: number | undefined;
}

/**
 * The CRDs' CEL rule on every backendRef ("Must have port for Service reference"): a Service is
 * named by `group` "" (its default) and `kind` Service (its default), and then `port` is required.
 * Unlike the references elsewhere, `group: core` is not the core group to this rule.
 */
export const backendPortMissing: FileRule<PortMissingData> = {
  code: 'backend-port-missing',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'A backendRef to a Service has no port, which the API server rejects.',
  check(file) {
    const findings: Finding<PortMissingData>[] = [];
    const lines = file.parsed.lines;
    for (const object of file.objects) {
      if (!isGatewayRoute(object)) continue;
      for (const ref of allBackendRefs(object)) {
        if ((ref.group ?? '') !== '' || (ref.kind ?? 'Service') !== 'Service' || keyAt(ref.node, ['port'])) continue;
        const nameKey = rangeOfNode(lines, keyAt(ref.node, ['name']));
        const nameValue = rangeOfNode(lines, ref.nameNode);
        const range = nameKey ?? rangeOfNode(lines, ref.node);
        if (!range) continue;
        const named = ref.name === undefined ? 'A backendRef' : `The backendRef to Service ${ref.name}`;
        findings.push({
          code: this.code,
          path: file.path,
          range,
          message: `${named} has no port; the API server rejects ${object.kind} ${object.name} ("Must have port for Service reference"): name the Service port to send to.`,
          data:
            ref.name !== undefined && nameKey && nameValue
              ? {
                  service: ref.name,
                  at: isMap(ref.node) && ref.node.flow ? nameValue.end : { line: nameValue.end.line, character: lines.lineText(nameValue.end.line).length },
                  column: isMap(ref.node) && ref.node.flow ? undefined : nameKey.start.character,
                }
              : undefined,
        });
      }
    }
    return findings;
  },
  fixes(finding, { workspace }) {
    const data = finding.data;
    const file = workspace.file(finding.path);
    if (!data || !file) return [];
    const port = onlyPort(workspace, data.service, path.dirname(finding.path));
    if (port === undefined) return [];
    const newText = data.column === undefined ? `, port: ${port}` : `${lineEndOf(file.text)}${' '.repeat(data.column)}port: ${port}`;
    return [
      {
        title: `Add port ${port} (Service ${data.service}'s only port)`,
        isPreferred: true,
        changes: [{ path: finding.path, edits: [{ range: { start: data.at, end: data.at }, newText }] }],
      },
    ];
  },
};

/**
 * The one port every Service of that name exposes, those of the route's directory if any define it,
 * else those of the whole workspace; undefined when none, several, or they disagree.
 */
function onlyPort(workspace: Workspace, name: string, dir: string): number | undefined {
  const local: number[][] = [];
  const elsewhere: number[][] = [];
  for (const filePath of workspace.yamlFileSet()) {
    const file = workspace.file(filePath);
    if (!file || file.isKustomization || !file.mayDefineMeshNames) continue;
    for (const object of file.objects) {
      if (!isCoreService(object) || object.name !== name) continue;
      const ports = (sectionsOf(object) ?? []).map((s) => s.port);
      const known = ports.filter((p): p is number => p !== undefined);
      (path.dirname(filePath) === dir ? local : elsewhere).push(known.length === ports.length ? known : []);
    }
  }
  const candidates = local.length > 0 ? local : elsewhere;
  const ports = new Set(candidates.map((p) => (p.length === 1 ? p[0] : -1)));
  const [port] = ports;
  return ports.size === 1 && port >= 0 ? port : undefined;
}
