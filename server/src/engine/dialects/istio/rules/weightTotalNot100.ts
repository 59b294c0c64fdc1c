import { effectiveSplit, scaleFix, WeightData } from '../../../rules/routes';
import { FileRule, Finding, RuleOption, RuleOptionValues } from '../../../rules/rule';
import { rangeOfNode, isScalar, keyAt } from '../../../yaml';
import { isVirtualService, routesOfVirtualService } from '../traffic';
import { destinationLabel, ruleLabel } from './labels';

/** The Istio release whose webhook first took relative weights (istio/istio#39544). */
const RELATIVE_SINCE: [number, number] = [1, 15];

/** The Istio version the tree is checked for: '' for the current one. */
export const ISTIO_VERSION: RuleOption = {
  key: 'istio.version',
  type: 'string',
  pattern: '^(\\d+\\.\\d+(\\.\\d+)?)?$',
  default: '',
  description:
    'The Istio version the cluster runs ("1.14"), for the checks its validating webhook made then; empty: the current one. Below 1.15, the weights of a route with several destinations must add up to 100.',
};

/** Whether the version set (major.minor[.patch]) is one whose webhook wants totals of 100; unset or unreadable: no. */
export function requiresTotal100(options: RuleOptionValues): boolean {
  const version = options[ISTIO_VERSION.key];
  const match = typeof version === 'string' ? /^(\d+)\.(\d+)/.exec(version) : null;
  if (!match) return false;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major < RELATIVE_SINCE[0] || (major === RELATIVE_SINCE[0] && minor < RELATIVE_SINCE[1]);
}

/**
 * A route with several destinations whose weights do not add up to 100, for a cluster that runs
 * Istio below 1.15: its webhook refused such a VirtualService ("total destination weight N != 100",
 * pkg/config/validation/validation.go of 1.14). Since 1.15 weights are relative and any total
 * above 0 is taken, so the rule reports nothing unless meshKustomize.istio.version is set below.
 */
export const istioWeightTotalNot100: FileRule<WeightData & { total: number }> = {
  code: 'istio-weight-total-not-100',
  scope: 'file',
  defaultSeverity: 'error',
  summary:
    'For Istio below 1.15 (meshKustomize.istio.version): the weights of a route with several destinations do not add up to 100, which its webhook refuses.',
  options: [ISTIO_VERSION],
  reported(_finding, options) {
    return requiresTotal100(options);
  },
  check(file) {
    const lines = file.parsed.lines;
    const findings: Finding<WeightData & { total: number }>[] = [];
    for (const object of file.objects.filter(isVirtualService)) {
      for (const route of routesOfVirtualService(object)) {
        if (route.destinations.length < 2) continue;
        // An omitted weight is 0 (proto3); a weight that is no number (a placeholder) leaves the total unknown.
        const weights = route.destinations.map((d) =>
          d.weightNode === undefined ? 0 : isScalar(d.weightNode) && typeof d.weightNode.value === 'number' ? d.weightNode.value : undefined,
        );
        if (weights.some((w) => w === undefined || w < 0)) continue;
        const known = weights as number[];
        const total = known.reduce((a, b) => a + b, 0);
        // A total of 0 is refused by every version (weights-all-zero).
        if (total === 100 || total === 0) continue;
        const range = rangeOfNode(lines, keyAt(object.doc.contents, [...route.path, 'route'])) ?? rangeOfNode(lines, route.node);
        if (!range) continue;
        findings.push({
          code: this.code,
          path: file.path,
          range,
          message: `Istio before 1.15 refuses this VirtualService: the weights of ${ruleLabel(route)} add up to ${total}, and its webhook answers "total destination weight ${total} != 100" (since 1.15 they are relative: ${effectiveSplit(known)} for ${route.destinations.map(destinationLabel).join(' / ')}).`,
          data: { weights: known, weightRanges: route.destinations.map((d) => rangeOfNode(lines, d.weightNode)), total },
        });
      }
    }
    return findings;
  },
  fixes(finding) {
    return scaleFix(finding, true);
  },
};
