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
    const { target, route, split } = share;
    // A route's only target takes all of its traffic where the API says so, whatever its weight.
    const sole = route.targets.length === 1 && split.dialect.weights.soleTargetTakesAll;
    // A target without a weight has the API's default one (or is the only one): the hint goes after its name (or subset) and says so.
    const written = target.weightRange;
    const anchor = written ?? target.subset?.range ?? target.nameRange;
    if (share.percent === undefined || (target.weight === undefined && !sole)) continue;
    if (range && (before(anchor.end, range.start) || before(range.end, anchor.start))) continue;
    const percent = formatPercent(share.percent);
    const gets = `${versionIdOf(target)} gets ${percent} % of the traffic of ${routeName(route)}`;
    let label = ` ${percent} %`;
    let tooltip = `${gets}.`;
    if (sole) {
      if (!written) label = ` (only target) ${percent} %`;
      tooltip = `${gets}: it is the route's only target, so it takes all of it${written ? ' whatever its weight' : ''}.`;
    } else if (!written) {
      label = ` (weight ${target.weight}) ${percent} %`;
      tooltip = `${gets}: it has no weight, so the default ${target.weight} applies.`;
    }
    hints.push({ position: anchor.end, label, tooltip });
  }
  return hints;
}
