import * as path from 'node:path';
import { BuiltObject } from '../../../build';
import { isRecord } from '../../../manifest';
import { BuildRule, Finding } from '../../../rules/rule';
import { rangeOfNode } from '../../../yaml';
import { hostKey } from '../hosts';
import { destinationRuleOf, isDestinationRule } from '../traffic';
import { ClashingEntries, clashingEntries, disableEntryFixes, sameId } from './entries';

interface RuleFacts {
  built: BuiltObject;
  spec: Record<string, unknown>;
  /** Subsets by name, as canonical JSON. */
  subsets: Map<string, string>;
}

const json = (value: unknown): string => JSON.stringify(value ?? null);

function factsOf(built: BuiltObject): RuleFacts | undefined {
  const spec = built.source.value.spec;
  if (!isRecord(spec)) return undefined;
  const subsets = new Map<string, string>();
  for (const subset of Array.isArray(spec.subsets) ? spec.subsets : []) {
    if (isRecord(subset) && typeof subset.name === 'string' && !subsets.has(subset.name)) subsets.set(subset.name, json(subset));
  }
  return { built, spec, subsets };
}

/** What may apply instead of what `a` says, once pilot merges it with `b`; empty when the merge is well defined. */
function conflicts(a: RuleFacts, b: RuleFacts): string[] {
  const host = String(a.spec.host);
  if (json(a.spec.exportTo ?? []) !== json(b.spec.exportTo ?? []))
    return [`clients that see both rules for ${host} follow only the older one (their exportTo differ, so pilot keeps them apart)`];
  const found: string[] = [];
  const shared = [...a.subsets.keys()].filter((name) => b.subsets.has(name) && b.subsets.get(name) !== a.subsets.get(name));
  if (shared.length > 0) found.push(`subset ${shared.join(', ')} of ${host} may select pods by the other rule's labels`);
  if (a.spec.trafficPolicy !== undefined && b.spec.trafficPolicy !== undefined && json(a.spec.trafficPolicy) !== json(b.spec.trafficPolicy))
    found.push(`the traffic policy of ${host} may be the other rule's`);
  return found;
}

/**
 * Pilot merges the DestinationRules of one host in one namespace, both without workloadSelector (or
 * with equal ones) and with equal exportTo (push_context.go setDestinationRules, destination_rule.go
 * mergeDestinationRule): subsets are joined by name and the first top-level trafficPolicy kept, the
 * older rule first by creation time. What both define differently then depends on which was created
 * first, which files do not say. Kiali's KIA0201 reports any two rules sharing a host and a subset.
 */
export const destinationRulesOverlap: BuildRule<ClashingEntries> = {
  code: 'destination-rules-overlap',
  scope: 'build',
  defaultSeverity: 'warning',
  summary: 'Two running DestinationRules for the same host define the same subset or policy differently: which applies depends on which was created first.',
  check(analysis) {
    const byHost = new Map<string, RuleFacts[]>();
    for (const built of analysis.objects) {
      const rule = destinationRuleOf(built.source);
      const facts = isDestinationRule(built.source) && rule?.host !== undefined ? factsOf(built) : undefined;
      if (!facts || !rule?.host) continue;
      // Rules with a workloadSelector apply to some clients only; equal selectors are merged like none.
      const key = `${built.namespace}\0${hostKey(rule.host, built.namespace)}\0${json(facts.spec.workloadSelector)}`;
      byHost.set(key, [...(byHost.get(key) ?? []), facts]);
    }
    const findings: Finding<ClashingEntries>[] = [];
    for (const rules of byHost.values()) {
      for (const rule of rules) {
        for (const other of rules) {
          if (other === rule || sameId(rule.built, other.built)) continue;
          const what = conflicts(rule, other);
          const hostNode = destinationRuleOf(rule.built.source)?.hostNode;
          const range = rangeOfNode(rule.built.source.lines, hostNode);
          const otherRange = rangeOfNode(other.built.source.lines, destinationRuleOf(other.built.source)?.hostNode);
          if (what.length === 0 || !range || !otherRange) continue;
          findings.push({
            code: this.code,
            path: rule.built.source.path,
            range,
            message:
              `${capitalize(what.join('; '))}: ${title(other.built)} (${path.basename(other.built.source.path)}) is for the same host, and what both define applies from the older one, ` +
              `which the files do not say. Enable only one of these files, or merge them.`,
            related: [{ path: other.built.source.path, range: otherRange, message: `${title(other.built)} is for the same host` }],
            data: clashingEntries(rule.built, other.built),
          });
        }
      }
    }
    return findings;
  },
  fixes(finding, context) {
    return disableEntryFixes(finding.data, context);
  },
};

function title(built: BuiltObject): string {
  return `DestinationRule ${built.namespace ? `${built.namespace}/` : ''}${built.name}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
