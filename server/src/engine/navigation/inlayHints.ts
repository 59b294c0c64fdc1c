import { Position, Range } from '../text';
import { versionIdOf } from '../traffic';
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
    // A target without a weight has the API's default one: the hint goes after its name and says so.
    const written = share.target.weightRange;
    const anchor = written ?? share.target.nameRange;
    if (share.percent === undefined || share.target.weight === undefined) continue;
    if (range && (before(anchor.end, range.start) || before(range.end, anchor.start))) continue;
    const percent = formatPercent(share.percent);
    const name = versionIdOf(share.target);
    // Where a route's only target takes all of its traffic, its weight (written or not) does not matter.
    const sole = share.route.targets.length === 1 && share.split.dialect.weights.soleTargetTakesAll;
    hints.push({
      position: anchor.end,
      label: written ? ` ${percent} %` : sole ? ` ${percent} % (only target)` : ` (weight ${share.target.weight}) ${percent} %`,
      tooltip: sole
        ? `${name} is the only target of ${routeName(share.route)}: it gets all of its traffic, whatever its weight.`
        : `${name} gets ${percent} % of the traffic of ${routeName(share.route)}${written ? '' : `: it has no weight, so the default ${share.target.weight} applies`}.`,
    });
  }
  return hints;
}
