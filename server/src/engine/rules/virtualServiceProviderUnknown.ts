import { BuildRule } from './rule';

export const virtualServiceProviderUnknown: BuildRule<{ kind: string; name: string }> = {
  code: 'virtual-service-provider-unknown',
  scope: 'build',
  defaultSeverity: 'information',
  summary: 'A service is provided by a router or version that no file defines: fine when Flagger or Argo Rollouts generates it, a typo otherwise.',
  check(analysis) {
    if (analysis.hasUnreadEntries) return [];
    return analysis.unresolvedProviders(false).map(({ binding }) => {
      const provider = binding.provider!;
      return {
        code: this.code,
        path: binding.object.path,
        range: provider.range,
        message: `${binding.object.kind} ${binding.object.name} is provided by ${provider.kind} ${provider.name}, which no file of the workspace defines: expected if a progressive-delivery controller (Flagger, Argo Rollouts) generates it; otherwise check the name.`,
        data: { kind: provider.kind, name: provider.name },
      };
    });
  },
};
