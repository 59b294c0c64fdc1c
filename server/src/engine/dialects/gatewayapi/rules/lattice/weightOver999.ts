import { FileRule } from '../../../../rules/rule';
import { Range } from '../../../../text';
import { isScalar, nodeAt, rangeOfNode } from '../../../../yaml';
import { LatticeData } from '../../lattice';
import { DEFAULT_WEIGHT } from '../../traffic';
import { itemsAt, latticeFinding, latticeProfile, latticeRoutesIn, routeRules } from './routes';

/** The largest weight the Lattice API takes (API_WeightedTargetGroup: 0–999). */
export const LATTICE_MAX_WEIGHT = 999;

/** The rule's weights as written (the default where none is), with the range of each written one. */
interface WeightsData extends LatticeData {
  weights: number[];
  weightRanges: (Range | undefined)[];
}

export const latticeWeightOver999: FileRule<WeightsData> = {
  code: 'lattice-weight-over-999',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'On VPC Lattice a backendRef weight may be at most 999: the Lattice API rejects the rule.',
  ...latticeProfile,
  check(file, workspace, read) {
    return latticeRoutesIn(file, workspace, read, ['HTTPRoute', 'GRPCRoute', 'TLSRoute']).flatMap((route) =>
      routeRules(route.object).flatMap((rule) => {
        const refs = itemsAt(rule.node, rule.path, 'backendRefs');
        const weightNodes = refs.map((ref) => nodeAt(ref.node, ['weight']));
        const weights = weightNodes.map((node) =>
          node === undefined ? DEFAULT_WEIGHT : isScalar(node) && typeof node.value === 'number' ? node.value : undefined,
        );
        // A weight that is no number is the schema's to report; the shares are then unknown.
        if (weights.some((w) => w === undefined)) return [];
        const known = weights as number[];
        const weightRanges = weightNodes.map((node) => rangeOfNode(route.object.lines, node));
        return refs.flatMap((ref, i) =>
          known[i] > LATTICE_MAX_WEIGHT
            ? [
                latticeFinding<WeightsData>(
                  this.code,
                  route,
                  [...ref.path, 'weight'],
                  'value',
                  `Weight ${known[i]} is above ${LATTICE_MAX_WEIGHT}, the most a VPC Lattice target group's weight may be: the Lattice API rejects the rule, so the controller cannot deploy route ${route.object.name}. Scale the rule's weights down; the shares stay the same.`,
                  { weights: known, weightRanges },
                ),
              ]
            : [],
        );
      }),
    );
  },
  fixes(finding) {
    const weights = finding.data?.weights;
    const ranges = finding.data?.weightRanges;
    if (!weights || !ranges || weights.length !== ranges.length) return [];
    const scaled = scaleToLattice(weights);
    if (!scaled) return [];
    // A weight left to its default (1) stays 1: only written weights change.
    const edits = scaled.flatMap((weight, i) => {
      if (weight === weights[i]) return [];
      const range = ranges[i];
      return range ? [{ range, newText: String(weight) }] : [];
    });
    return [{ title: `Scale the weights to at most ${LATTICE_MAX_WEIGHT} (${scaled.join('/')})`, isPreferred: true, changes: [{ path: finding.path, edits }] }];
  },
};

/**
 * Integer weights of at most 999 with the same shares: divided by their greatest common divisor
 * when that is enough (95000/5000 → 19/1, exact), else scaled so the largest is 999, each positive
 * weight kept at least 1 so that no backend stops getting traffic. Undefined when nothing is above.
 */
export function scaleToLattice(weights: readonly number[]): number[] | undefined {
  if (!weights.some((w) => w > LATTICE_MAX_WEIGHT) || weights.some((w) => !Number.isInteger(w) || w < 0)) return undefined;
  const divisor = weights.filter((w) => w > 0).reduce(gcd, 0) || 1;
  const reduced = weights.map((w) => w / divisor);
  const largest = Math.max(...reduced);
  if (largest <= LATTICE_MAX_WEIGHT) return reduced;
  return reduced.map((w) => (w === 0 ? 0 : Math.max(1, Math.round((w * LATTICE_MAX_WEIGHT) / largest))));
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
