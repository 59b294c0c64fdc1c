import { listingEntry } from '../analysis';
import { kustomizationAt, routerFileFixes } from '../fixes';
import { BuildRule } from './rule';
import { lossLead } from './routerTargetNotRunning';

export const routerTargetUnknown: BuildRule<{ missing: string[]; kustomization: string }> = {
  code: 'router-target-unknown',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'An enabled router sends traffic to a version that no file of the workspace defines.',
  check(analysis) {
    return analysis.missingWeightedTargets
      .filter((missing) => !missing.definedElsewhere)
      .map((missing) => {
        const { split, built } = missing.running;
        const entry = listingEntry(built);
        return {
          code: this.code,
          path: split.object.path,
          range: missing.target.nameRange,
          message: `${lossLead(missing, analysis)}${split.object.kind} ${split.object.name} sends traffic to ${split.versionKind} ${missing.target.name}, which no file of the workspace defines.`,
          related: [{ path: entry.kustomization.path, range: entry.entry.range, message: `${entry.entry.value} is enabled here` }],
          data: { missing: [missing.target.name], kustomization: entry.kustomization.path },
        };
      });
  },
  fixes(finding, { workspace }) {
    const kustomization = kustomizationAt(workspace, finding.data?.kustomization);
    return kustomization ? routerFileFixes(workspace, kustomization) : [];
  },
};
