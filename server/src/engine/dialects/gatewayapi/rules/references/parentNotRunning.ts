import { toggleEntries } from '../../../../edits';
import { renameNote } from '../../../../rules/routerTargetNotRunning';
import { BuildRule, Finding } from '../../../../rules/rule';
import { rangeOfNode } from '../../../../yaml';
import { chainPaths, disabledEntryDefining, isCoreService, isGateway, routeTitle, runningRoutes } from './objects';
import { parentsOf, runningParent } from './parents';

interface ParentData {
  kind: 'Gateway' | 'Service';
  name: string;
  kustomizations: string[];
}

/**
 * A route's parentRef to a Gateway or Service that does not run in the build: the route attaches
 * to nothing there and serves none of its traffic. A parent some file defines can be enabled; one
 * that no file defines gets its own message.
 */
export const parentNotRunning: BuildRule<ParentData> = {
  code: 'parent-not-running',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'A route is attached to a Gateway or Service that is not running in the build.',
  check(analysis) {
    const findings: Finding<ParentData>[] = [];
    for (const route of runningRoutes(analysis)) {
      for (const parent of parentsOf(route)) {
        if (runningParent(analysis, route, parent) !== undefined) continue;
        const defined = analysis.isDefinedAnywhere(parent.kind, parent.name);
        if (!defined && analysis.hasUnreadEntries) continue;
        const range = rangeOfNode(route.source.lines, parent.ref.nameNode);
        if (!range) continue;
        const where = parent.namespace ? ` (namespace ${parent.namespace})` : '';
        const why = defined
          ? `which is not running in this build${renameNote(analysis.renamedTo(parent.kind, parent.name))}`
          : `which no file of the workspace defines`;
        findings.push({
          code: this.code,
          path: route.source.path,
          range,
          message: `${routeTitle(route)} is attached to ${parent.kind} ${parent.name}${where}, ${why}: the route has no parent there and serves none of its traffic.`,
          data: { kind: parent.kind, name: parent.name, kustomizations: chainPaths(route) },
        });
      }
    }
    return findings;
  },
  fixes(finding, { workspace }) {
    const data = finding.data;
    if (!data) return [];
    const accepts = data.kind === 'Gateway' ? isGateway : isCoreService;
    const found = disabledEntryDefining(workspace, data.kustomizations, (object) => accepts(object) && object.name === data.name);
    if (!found) return [];
    const { kustomization, entry } = found;
    return [
      {
        title: `Enable ${entry.value} (it defines ${data.kind} ${data.name})`,
        isPreferred: true,
        changes: [{ path: kustomization.path, edits: toggleEntries(kustomization, [{ entry, enable: true }]) }],
      },
    ];
  },
};
