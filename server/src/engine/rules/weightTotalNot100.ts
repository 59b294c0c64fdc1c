import * as path from 'node:path';
import { splitsOf } from '../dialects';
import { listNames } from '../fixes';
import { inRange, TrafficSplit } from '../traffic';
import { Workspace, WorkspaceFile } from '../workspace';
import { FileRule, Finding, ReadRecorder } from './rule';
import { effectiveSplit, literalWeights, routeLabel, routesOf, scaleFix, WeightData, weightData } from './routes';

/** From this total up, weights that miss 100 read as percentages on their own (90/5, 60/30). */
export const NEAR_100 = 90;
/** From this total up, weights read as percentages when the directory's other router files total 100. */
export const PERCENT_SCALE = 50;

/** What shows that weights missing 100 were meant as percentages. */
export type PercentEvidence = { near100: true } | { siblings: string[] };

/**
 * Whether weights that do not add up to 100 were meant as percentages (and why), or undefined when
 * they read as relative weights (1/1, 8/1/1) or mislead nobody (33/33/33: every share is within a
 * point of its number). `siblingsTotal100` names the directory's other files whose definitions of
 * the same router add up to 100; it is asked only when the weights alone do not tell.
 */
export function percentagesMeant(weights: number[], siblingsTotal100: () => string[]): PercentEvidence | undefined {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || total >= 100 || !misleads(weights)) return undefined;
  if (total >= NEAR_100) return { near100: true };
  if (total < PERCENT_SCALE) return undefined;
  const siblings = siblingsTotal100();
  return siblings.length > 0 ? { siblings } : undefined;
}

/** ", and look like percentages" / ", while a.yaml gives metal-router weights that add up to 100" */
function evidenceClause(evidence: PercentEvidence, router: string): string {
  if ('near100' in evidence) return ', and look like percentages';
  const shown = evidence.siblings.slice(0, 3);
  const rest = evidence.siblings.length - shown.length;
  const names = rest > 0 ? `${shown.join(', ')} and ${rest} more` : listNames(shown);
  return `, while ${names} ${evidence.siblings.length === 1 ? 'gives' : 'give'} ${router} weights that add up to 100`;
}

/**
 * Whether reading the numbers as percentages is wrong by a full point somewhere. Equal weights are
 * an even split however they are read.
 */
function misleads(weights: number[]): boolean {
  const positive = weights.filter((w) => w > 0);
  if (positive.every((w) => w === positive[0])) return false;
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.some((w) => Math.abs((w / total) * 100 - w) >= 1);
}

/**
 * Other files of the directory (listed or not) that define the same router, when each of their
 * routes with literal weights adds up to exactly 100; empty when any does not, or none exists.
 */
function siblingsTotalling100(file: WorkspaceFile, split: TrafficSplit, workspace: Workspace, read: ReadRecorder): string[] {
  const dir = path.dirname(file.path);
  const names: string[] = [];
  for (const entry of workspace.listDirectory(dir)) {
    if (entry.kind !== 'file' || !/\.ya?ml$/i.test(entry.name)) continue;
    const siblingPath = path.join(dir, entry.name);
    if (siblingPath === file.path) continue;
    read(siblingPath);
    const sibling = workspace.file(siblingPath);
    // Reading text is cheap, parsing is not: files that mention no mesh API define no router.
    if (!sibling || sibling.isKustomization || !sibling.mentionsMesh) continue;
    const same = splitsOf(sibling).filter((s) => s.object.kind === split.object.kind && s.object.name === split.object.name);
    const totals = same.flatMap((s) => s.routes.map(literalWeights)).filter((w): w is number[] => w !== undefined && w.length > 0);
    if (totals.length === 0) continue;
    if (totals.some((weights) => weights.reduce((a, b) => a + b, 0) !== 100)) return [];
    names.push(entry.name);
  }
  return names;
}

interface NotHundredData extends WeightData {
  /** Nothing shows that percentages were meant: relative weights, reported only under the strict reading. */
  relative: boolean;
}

/** Report every total that misses 100 as an error, relative weights (1/1) included. */
const STRICT = 'weightTotalMustBe100';

export const weightTotalNot100: FileRule<NotHundredData> = {
  code: 'weight-total-not-100',
  scope: 'file',
  defaultSeverity: 'warning',
  summary: 'The weights of a route add up to less than 100 where the tree shows percentages were meant (90/5), so each share differs from its number.',
  options: [
    {
      key: STRICT,
      type: 'boolean',
      default: false,
      description:
        'Report every route whose weights do not add up to 100 as an error, relative weights such as 1/1 included (by default only slips from percentages such as 90/5 are reported, as warnings).',
    },
  ],
  reported(finding, options) {
    return !finding.data?.relative || options[STRICT] === true;
  },
  defaultSeverityWith(options) {
    return options[STRICT] === true ? 'error' : 'warning';
  },
  check(file, workspace, read) {
    return routesOf(file).flatMap(({ split, route }): Finding<NotHundredData>[] => {
      // Only where the API's own docs write percentages is a total below 100 a slip.
      if (!split.dialect.weights.percentages) return [];
      const weights = literalWeights(route);
      if (!weights || weights.length < 2 || !weights.every((w) => inRange(split, w))) return [];
      const total = weights.reduce((a, b) => a + b, 0);
      if (total === 100 || total === 0 || total > 100) return [];
      const names = route.targets.map((t) => t.name).join(' / ');
      const evidence = percentagesMeant(weights, () => siblingsTotalling100(file, split, workspace, read));
      const head = `The weights of ${routeLabel(route)} add up to ${total}, not 100`;
      const effective = `the effective split is ${effectiveSplit(weights)} (${names})`;
      const finding = { code: this.code, path: file.path, range: route.targetsRange };
      // Relative weights are valid and meant: reported only to those who require totals of 100.
      if (!evidence)
        return [
          { ...finding, message: `${head}, as meshKustomize.${STRICT} requires: ${effective}.`, data: { ...weightData(route, weights), relative: true } },
        ];
      return [
        {
          ...finding,
          message: `${head}${evidenceClause(evidence, split.object.name)}: ${effective}.`,
          data: { ...weightData(route, weights), relative: false },
        },
      ];
    });
  },
  fixes(finding) {
    return scaleFix(finding, true);
  },
};
