import { BuildAnalysis, BuildFacts } from '../analysis';
import { Build } from '../build';
import { Fresh } from '../fresh';
import { Kustomization } from '../kustomization';
import { KeyedPart, sameItems } from '../parts';
import { BuildRule, Finding } from '../rules/rule';
import { Workspace } from '../workspace';
import { FailureLog } from './failures';

/** The findings of the build rules on one part of a build, kept to reuse for the same part of the next build of its root. */
export type PartResult = Fresh<{
  part: KeyedPart;
  /** The build-wide facts the part was checked with. */
  factsKey: string;
  findings: Finding[];
}>;

/** What of a build's facts the findings of its parts depend on. */
export function factsKeyOf(facts: BuildFacts): string {
  return `${facts.hasUnreadEntries}|${[...facts.renamed].join(';')}`;
}

/** Runs the build rules on one part of a build, recording what they read. */
export function checkPart(
  workspace: Workspace,
  rules: readonly BuildRule[],
  failures: FailureLog,
  root: Kustomization,
  build: Build,
  part: KeyedPart,
  facts: BuildFacts,
  factsKey: string,
): PartResult {
  return Fresh.compute(workspace, (reads) => {
    const analysis = new BuildAnalysis(build, workspace, reads, part, facts);
    const findings: Finding[] = [];
    for (const rule of rules) findings.push(...failures.guard(rule, root.path, () => rule.check(analysis)));
    return { part, factsKey, findings };
  });
}

/** Whether a part checked before holds the same objects and entries, under the same facts, and nothing else its rules read has changed. */
export function isPartReusable(workspace: Workspace, before: PartResult, part: KeyedPart, factsKey: string): boolean {
  if (before.value.factsKey !== factsKey) return false;
  // The same objects come with the same chains, hence the same kustomizations.
  const { part: old } = before.value;
  if (!sameItems(old.objects, part.objects) || !sameItems(old.entries, part.entries)) return false;
  if (part.objects.length === 0 && !sameItems(old.kustomizations, part.kustomizations)) return false;
  return before.isFresh(workspace);
}
