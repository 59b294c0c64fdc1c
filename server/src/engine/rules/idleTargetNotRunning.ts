import { listingEntry } from '../analysis';
import { enableEntriesFix, entriesDefiningVersions, kustomizationAt } from '../fixes';
import { BuildRule } from './rule';

interface IdleData {
  missing: string;
  kind: string;
  kustomization: string;
}

/**
 * A target of weight 0 that names a version that does not run, where the API lets it (Gateway API):
 * no traffic is lost, which is how a blue stage keeps the next version's backendRef at 0, but the
 * route reports `ResolvedRefs: False` and the next move must start the version before it gets traffic.
 */
export const idleTargetNotRunning: BuildRule<IdleData> = {
  code: 'idle-target-not-running',
  scope: 'build',
  defaultSeverity: 'warning',
  summary: 'An enabled router names a version with weight 0 that is not running: no traffic is lost, but the route does not fully resolve.',
  check(analysis) {
    return analysis.missingIdleTargets.map((missing) => {
      const { split, built } = missing.running;
      const entry = listingEntry(built);
      const where = missing.definedElsewhere ? 'which is not running' : 'which no file of the workspace defines';
      return {
        code: this.code,
        path: split.object.path,
        range: missing.target.nameRange,
        message: `${split.object.kind} ${split.object.name} names ${split.versionKind} ${missing.target.name} with weight 0, ${where}: no traffic goes to it, but the route reports unresolved references until it runs.`,
        related: [{ path: entry.kustomization.path, range: entry.entry.range, message: `${entry.entry.value} is enabled here` }],
        data: { missing: missing.target.name, kind: split.versionKind, kustomization: entry.kustomization.path },
      };
    });
  },
  fixes(finding, { workspace }) {
    const kustomization = kustomizationAt(workspace, finding.data?.kustomization);
    if (!kustomization || !finding.data) return [];
    const entries = entriesDefiningVersions(workspace, kustomization, new Set([finding.data.kind]), [finding.data.missing]);
    if (!entries) return [];
    return [enableEntriesFix(kustomization, entries)];
  },
};
