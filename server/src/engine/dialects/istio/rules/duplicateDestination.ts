import { FileRule, Finding } from '../../../rules/rule';
import { LineIndex, Range } from '../../../text';
import { isScalar, rangeOfNode } from '../../../yaml';
import { serviceHost } from '../hosts';
import { Destination, isVirtualService, routesOfVirtualService } from '../traffic';
import { destinationLabel, ruleLabel } from './labels';

/**
 * A rule that names the same destination (host, subset and port) twice: the two entries are one
 * Envoy cluster, so the route's shares are not what the list reads as, and a later edit of one
 * weight leaves the other behind. Kiali reports the same (KIA1105). The host is compared as the
 * Service it names (`reviews` and `reviews.bookinfo.svc.cluster.local` in namespace bookinfo are one).
 */
export const duplicateDestination: FileRule<MergeData> = {
  code: 'duplicate-destination',
  scope: 'file',
  defaultSeverity: 'warning',
  summary: 'An Istio route names the same destination (host and subset) twice.',
  check(file) {
    const lines = file.parsed.lines;
    const findings: Finding<MergeData>[] = [];
    for (const object of file.objects.filter(isVirtualService)) {
      for (const route of routesOfVirtualService(object)) {
        const first = new Map<string, Destination>();
        for (const destination of route.destinations) {
          if (destination.host === undefined) continue;
          const service = serviceHost(destination.host);
          const host = service ? `${service.name}.${service.namespace ?? object.namespace ?? ''}` : destination.host;
          const key = JSON.stringify([host, destination.subset ?? '', destination.port ?? '']);
          const earlier = first.get(key);
          if (!earlier) {
            first.set(key, destination);
            continue;
          }
          const range = rangeOfNode(lines, destination.subsetNode ?? destination.hostNode);
          const earlierRange = rangeOfNode(lines, earlier.subsetNode ?? earlier.hostNode);
          if (!range || !earlierRange) continue;
          findings.push({
            code: this.code,
            path: file.path,
            range,
            message: `${destinationLabel(destination)} is already a destination of ${ruleLabel(route)}: both entries send to the same pods, so its share is the sum of their weights. Merge them into one destination.`,
            related: [{ path: file.path, range: earlierRange, message: `${destinationLabel(earlier)} first named here` }],
            data: mergeData(lines, earlier, destination),
          });
        }
      }
    }
    return findings;
  },
  fixes(finding) {
    const data = finding.data;
    if (!data) return [];
    return [
      {
        title: `Merge into the first entry (weight ${data.total})`,
        changes: [
          {
            path: finding.path,
            edits: [
              { range: data.firstWeight, newText: String(data.total) },
              { range: data.itemLines, newText: '' },
            ],
          },
        ],
      },
    ];
  },
};

/** What merging the second entry into the first takes: the first's weight, the sum, and the second's whole lines. */
interface MergeData {
  firstWeight: Range;
  total: number;
  itemLines: Range;
}

/** Undefined unless both weights are written numbers and the second entry fills whole lines of its own (`- destination:` first). */
function mergeData(lines: LineIndex, first: Destination, second: Destination): MergeData | undefined {
  const weightOf = (d: Destination): number | undefined => (isScalar(d.weightNode) && typeof d.weightNode.value === 'number' ? d.weightNode.value : undefined);
  const [a, b] = [weightOf(first), weightOf(second)];
  const firstWeight = rangeOfNode(lines, first.weightNode);
  const item = rangeOfNode(lines, second.node);
  if (a === undefined || b === undefined || !firstWeight || !item) return undefined;
  const last = item.end.character === 0 ? item.end.line - 1 : item.end.line;
  if (!/^\s*-\s*$/.test(lines.lineText(item.start.line).slice(0, item.start.character))) return undefined;
  if (item.end.character > 0 && lines.lineText(last).slice(item.end.character).trim() !== '') return undefined;
  const end = last + 1 < lines.lineCount ? { line: last + 1, character: 0 } : { line: last, character: lines.lineText(last).length };
  return { firstWeight, total: a + b, itemLines: { start: { line: item.start.line, character: 0 }, end } };
}
