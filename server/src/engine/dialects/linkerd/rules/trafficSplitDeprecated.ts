import { splitsOf } from '../../../dialects';
import { FileRule, Finding } from '../../../rules/rule';
import { locate } from '../../../yaml';
import { isTrafficSplit } from '../traffic';
import { trafficSplitToRoute } from '../trafficSplitToRoute';

/**
 * Linkerd's docs: TrafficSplit and the linkerd-smi extension "are deprecated and will be removed in
 * a future release"; they recommend HTTPRoutes (dynamic request routing) instead.
 */
export const trafficSplitDeprecated: FileRule<{ docIndex: number }> = {
  code: 'smi-traffic-split-deprecated',
  scope: 'file',
  defaultSeverity: 'warning',
  summary: 'An SMI TrafficSplit: Linkerd has deprecated it and its linkerd-smi extension; an HTTPRoute splits the same traffic.',
  check(file) {
    return file.objects.filter(isTrafficSplit).map((object): Finding<{ docIndex: number }> => ({
      code: this.code,
      path: file.path,
      range: locate(object.doc, file.parsed.lines, ['kind'], 'value'),
      message:
        `TrafficSplit ${object.name} is SMI's: Linkerd has deprecated TrafficSplit and the linkerd-smi extension that serves it, ` +
        `and will remove them. A Gateway API HTTPRoute attached to Service ${serviceOf(object.value) ?? '(its apex Service)'} splits the same traffic.`,
      data: { docIndex: object.docIndex },
    }));
  },
  fixes(finding, { workspace }) {
    const file = workspace.file(finding.path);
    const split = file && splitsOf(file).find((s) => s.object.docIndex === finding.data?.docIndex && isTrafficSplit(s.object));
    const edits = split && trafficSplitToRoute(split, workspace);
    if (!edits) return [];
    return [{ title: 'Write an HTTPRoute', isPreferred: true, changes: [{ path: finding.path, edits }] }];
  },
};

function serviceOf(value: Record<string, unknown>): string | undefined {
  const spec = value.spec;
  const service = spec && typeof spec === 'object' ? (spec as Record<string, unknown>).service : undefined;
  return typeof service === 'string' ? service : undefined;
}
