import { FileRule, Finding } from '../../../../rules/rule';
import { isSeq, keyAt, nodeAt } from '../../../../yaml';
import { findingAt, present, routesOf } from './fields';

/** The most matches a route may hold across its rules (the CEL rule on `spec.rules`: `<= 128`, whatever its message says). */
export const MAX_ROUTE_MATCHES = 128;

/** The CEL rule adds up the matches of the first 16 rules only (the schema allows no more). */
const COUNTED_RULES = 16;

export const routeLimits: FileRule = {
  code: 'route-limits',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'An HTTPRoute or GRPCRoute holds more than 128 matches across its rules, which the API server rejects although each rule may have 64.',
  check(file) {
    const findings: Finding[] = [];
    for (const { object, spec } of routesOf(file.objects, ['HTTPRoute', 'GRPCRoute'])) {
      const rules = nodeAt(spec, ['rules']);
      if (!isSeq(rules)) continue;
      let total = 0;
      for (const rule of rules.items.slice(0, COUNTED_RULES)) {
        const matches = present(rule, 'matches')?.value;
        // An HTTPRoute rule without matches gets the default one (every path); a GRPCRoute rule has no default.
        if (matches === undefined) total += object.kind === 'HTTPRoute' ? 1 : 0;
        else if (isSeq(matches)) total += matches.items.length;
      }
      if (total <= MAX_ROUTE_MATCHES) continue;
      const defaulted = object.kind === 'HTTPRoute' ? ' (a rule without matches counts as one)' : '';
      findings.push(
        findingAt(
          this.code,
          object,
          keyAt(spec, ['rules']),
          `The rules of this ${object.kind} hold ${total} matches in all${defaulted}: the API server accepts at most ${MAX_ROUTE_MATCHES} across a route, though each rule may have 64. Split it into two routes.`,
        ),
      );
    }
    return findings;
  },
};
