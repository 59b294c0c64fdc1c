import { listingEntry } from '../analysis';
import { kustomizationAt, routerFileFixes } from '../fixes';
import { BuildRule } from './rule';
import { renameNote } from './routerTargetNotRunning';

export const virtualServiceProviderNotRunning: BuildRule = {
  code: 'virtual-service-provider-not-running',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'A VirtualService is provided by a router or node that is not running (for example, no router file is enabled).',
  check(analysis) {
    return analysis.unresolvedProviders(true).flatMap(({ binding, built }) => {
      const provider = binding.provider!;
      const entry = listingEntry(built);
      return [
        {
          code: this.code,
          path: binding.object.path,
          range: provider.range,
          message: `VirtualService ${binding.object.name} is provided by ${provider.kind} ${provider.name}, which is not running${
            renameNote(analysis.renamedTo(provider.kind, provider.name)) || ': no enabled file defines it'
          }.`,
          related: [{ path: entry.kustomization.path, range: entry.entry.range, message: `${entry.entry.value} is enabled here` }],
          data: { kind: provider.kind, name: provider.name, kustomization: entry.kustomization.path },
        },
      ];
    });
  },
  fixes(finding, { workspace }) {
    const kustomization = kustomizationAt(workspace, finding.data?.kustomization);
    return kustomization ? routerFileFixes(workspace, kustomization, 'Enable') : [];
  },
};
