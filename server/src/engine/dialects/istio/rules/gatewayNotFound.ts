import { toggleEntries } from '../../../edits';
import { BuildRule, Finding } from '../../../rules/rule';
import { rangeOfNode } from '../../../yaml';
import { chainPaths, disabledEntryDefining, runningObjects } from '../../gatewayapi/rules/references/objects';
import { gatewaysOf, MESH } from '../gateways';
import { isIstio, isVirtualService } from '../traffic';

interface GatewayData {
  name: string;
  kustomizations: string[];
}

/**
 * A VirtualService applies to the Gateways its `gateways` names (`name` in its own namespace, or
 * `namespace/name`; `mesh` is the sidecars): one that does not run binds nothing, so the requests
 * the VirtualService means to route there get the gateway's 404, or no listener at all. Kiali:
 * KIA1102. A Gateway of another namespace is checked when that namespace is part of the build:
 * otherwise it may come from elsewhere (the platform's ingress setup, say).
 */
export const gatewayNotFound: BuildRule<GatewayData> = {
  code: 'gateway-not-found',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'A VirtualService names an Istio Gateway that is not running in the build.',
  check(analysis) {
    const findings: Finding<GatewayData>[] = [];
    const namespaces = new Set(analysis.objects.map((o) => o.namespace));
    for (const built of analysis.objects) {
      if (!isVirtualService(built.source)) continue;
      for (const gateway of gatewaysOf(built)) {
        if (gateway.key === MESH || !gateway.node || gateway.name === '') continue;
        const namespace = gateway.namespace ?? '';
        if (namespace !== built.namespace && !namespaces.has(namespace)) continue;
        if (runningObjects(analysis, 'Gateway', gateway.name, namespace, isIstio).length > 0) continue;
        const defined = analysis.isDefinedAnywhere('Gateway', gateway.name);
        if (!defined && analysis.hasUnreadEntries) continue;
        const range = rangeOfNode(built.source.lines, gateway.node);
        if (!range) continue;
        const where = namespace ? ` (namespace ${namespace})` : '';
        findings.push({
          code: this.code,
          path: built.source.path,
          range,
          message:
            `No request follows VirtualService ${built.name} at Gateway ${gateway.name}${where}: that Gateway ${defined ? 'is not running in this build' : 'is defined by no file of the workspace'}. ` +
            `${defined ? 'Enable its file' : 'Correct the name'}, or remove it from gateways.`,
          data: { name: gateway.name, kustomizations: chainPaths(built) },
        });
      }
    }
    return findings;
  },
  fixes(finding, { workspace }) {
    const data = finding.data;
    if (!data) return [];
    const found = disabledEntryDefining(workspace, data.kustomizations, (o) => o.kind === 'Gateway' && isIstio(o) && o.name === data.name);
    if (!found) return [];
    const { kustomization, entry } = found;
    return [
      {
        title: `Enable ${entry.value} (it defines Gateway ${data.name})`,
        isPreferred: true,
        changes: [{ path: kustomization.path, edits: toggleEntries(kustomization, [{ entry, enable: true }]) }],
      },
    ];
  },
};
