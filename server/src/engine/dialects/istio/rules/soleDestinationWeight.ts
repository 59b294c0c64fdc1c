import { FileRule } from '../../../rules/rule';
import { LineIndex, Range } from '../../../text';
import { isScalar, keyAt, rangeOfNode } from '../../../yaml';
import { isVirtualService, routesOfVirtualService, SOLE_DEFAULT_WEIGHT } from '../traffic';
import { destinationLabel, ruleLabel } from './labels';

interface SoleWeightData {
  weightRange: Range;
  /** The whole `weight:` line with its line break, when nothing else is written on it (no comment, no `- `). */
  lineRange: Range | undefined;
}

/**
 * A route with one destination whose weight is written below 100: Istio sends it all of the
 * route's traffic anyway (a single destination takes all, virtual_service.proto), so the number
 * misleads whoever reads it as a share. Kiali reports the same (KIA1104).
 */
export const soleDestinationWeight: FileRule<SoleWeightData> = {
  code: 'sole-destination-weight',
  scope: 'file',
  defaultSeverity: 'hint',
  summary: "The only destination of an Istio route has a weight below 100, yet gets all of the route's traffic.",
  check(file) {
    const lines = file.parsed.lines;
    return file.objects.filter(isVirtualService).flatMap((object) =>
      routesOfVirtualService(object).flatMap((route) => {
        if (route.destinations.length !== 1) return [];
        const [destination] = route.destinations;
        const weight = destination.weightNode;
        if (!isScalar(weight) || typeof weight.value !== 'number' || weight.value >= SOLE_DEFAULT_WEIGHT) return [];
        const weightRange = rangeOfNode(lines, weight);
        const keyRange = rangeOfNode(lines, keyAt(object.doc.contents, [...destination.path, 'weight']));
        if (!weightRange || !keyRange) return [];
        return [
          {
            code: this.code,
            path: file.path,
            range: weightRange,
            message: `${destinationLabel(destination)} gets all of the traffic of ${ruleLabel(route)}, not ${weight.value} %: it is the rule's only destination, and Istio sends a single destination everything whatever its weight. Remove the weight, or add the destination that should get the rest.`,
            data: { weightRange, lineRange: wholeLine(lines, keyRange, weightRange) },
          },
        ];
      }),
    );
  },
  fixes(finding) {
    const data = finding.data;
    if (!data) return [];
    const remove = data.lineRange
      ? [
          {
            title: 'Remove the weight (the only destination gets all traffic)',
            isPreferred: true,
            safe: true,
            changes: [{ path: finding.path, edits: [{ range: data.lineRange, newText: '' }] }],
          },
        ]
      : [];
    const set = {
      title: `Set the weight to ${SOLE_DEFAULT_WEIGHT}`,
      isPreferred: remove.length === 0,
      safe: true,
      changes: [{ path: finding.path, edits: [{ range: data.weightRange, newText: String(SOLE_DEFAULT_WEIGHT) }] }],
    };
    return [...remove, set];
  },
};

/**
 * The range from the start of the key's line to the start of the next line, when the line holds
 * only `weight: N` (indentation aside): removing it then keeps every other line as it is.
 */
function wholeLine(lines: LineIndex, keyRange: Range, weightRange: Range): Range | undefined {
  if (keyRange.start.line !== weightRange.end.line) return undefined;
  const lineText = lines.lineText(keyRange.start.line);
  if (lineText.slice(0, keyRange.start.character).trim() !== '' || lineText.slice(weightRange.end.character).trim() !== '') return undefined;
  const next = keyRange.start.line + 1;
  return next < lines.lineCount
    ? { start: { line: keyRange.start.line, character: 0 }, end: { line: next, character: 0 } }
    : { start: { line: keyRange.start.line, character: 0 }, end: { line: keyRange.start.line, character: lineText.length } };
}
