import { splitsOf } from '../dialects';
import { formatPercent, versionIdOf } from '../traffic';
import { WorkspaceFile } from '../workspace';
import { routeShares } from './weights';

/** A line above a route that says where its traffic goes: "metal: metal-v1 95 % · metal-v2 5 %". */
export interface SplitLens {
  line: number;
  title: string;
}

/**
 * One lens per route of the file's splits, where the API's weights are relative: their numbers are
 * no percentages (a 3/1 split reads 75 % / 25 %), so the shares are shown where the route is.
 */
export function splitLenses(file: WorkspaceFile): SplitLens[] {
  const lenses: SplitLens[] = [];
  for (const split of splitsOf(file)) {
    if (split.dialect.weights.percentages) continue;
    for (const route of split.routes) {
      if (route.targets.length === 0) continue;
      const shares = routeShares(split, route);
      const unknown = shares[0]?.unknown;
      const parts = unknown ? `shares unknown: ${unknown}` : shares.map((s) => `${versionIdOf(s.target)} ${formatPercent(s.percent!)} %`).join(' · ');
      const label = route.name ?? `${split.object.name} rule ${Number(route.path[route.path.length - 1]) + 1}`;
      lenses.push({ line: route.targetsRange.start.line, title: `${label}: ${parts}` });
    }
  }
  return lenses;
}
