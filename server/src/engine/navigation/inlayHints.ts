import { Position, Range } from '../text';
import { WorkspaceFile } from '../workspace';
import { before } from './position';
import { fileShares, formatPercent, routeName } from './weights';

/** A label after a weight: its effective share of the route's traffic. */
export interface WeightHint {
  position: Position;
  /** " 95 %" */
  label: string;
  tooltip: string;
}

/** Hints for the weights of a file's routers within a range (the whole file when none is given). */
export function weightHints(file: WorkspaceFile, range?: Range): WeightHint[] {
  const hints: WeightHint[] = [];
  for (const share of fileShares(file)) {
    const weightRange = share.target.weightRange;
    if (!weightRange || share.percent === undefined) continue;
    if (range && (before(weightRange.end, range.start) || before(range.end, weightRange.start))) continue;
    const percent = formatPercent(share.percent);
    hints.push({
      position: weightRange.end,
      label: ` ${percent} %`,
      tooltip: `${share.target.name} gets ${percent} % of the traffic of ${routeName(share.route)}.`,
    });
  }
  return hints;
}
