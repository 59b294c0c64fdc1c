import * as path from 'node:path';
import { toggleEntries } from '../edits';
import { entryOnLine, kustomizationAt } from '../fixes';
import { Workspace } from '../workspace';
import { BuildRule } from './rule';

export const kustomizationCycle: BuildRule<{ line: number }> = {
  code: 'kustomization-cycle',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'An entry includes a directory whose kustomization is already being built (or a directory above one), which kustomize refuses as a cycle.',
  check(analysis) {
    return analysis.entries.flatMap((resolved) => {
      if (!resolved.entry.enabled || resolved.target.type !== 'directory' || !resolved.target.cycle) return [];
      const { entry, kustomization } = resolved;
      const { visited, chain } = resolved.target.cycle;
      const candidate = analysis.workspace.realPath(resolved.target.path);
      // The directories from the root's down to this one, then the one it includes.
      const loop = [...chain, candidate].map((dir) => display(analysis.workspace, dir));
      const how =
        visited === candidate
          ? chain.length === 1
            ? `includes this kustomization's own directory`
            : `includes ${display(analysis.workspace, candidate)} again, whose kustomization is being built (${loop.join(' → ')})`
          : `includes ${display(analysis.workspace, candidate)}, which contains ${display(analysis.workspace, visited)}, being built (${loop.join(' → ')})`;
      return [
        {
          code: this.code,
          path: kustomization.path,
          range: entry.range,
          message: `${entry.value} ${how}: \`kubectl kustomize\` stops with "cycle detected: candidate root '${candidate}' contains visited root '${visited}'". The entry is not followed.`,
          data: { line: entry.line },
        },
      ];
    });
  },
  fixes(finding, { workspace }) {
    const kustomization = kustomizationAt(workspace, finding.path);
    const entry = kustomization && finding.data && entryOnLine(kustomization, finding.data.line);
    if (!kustomization || !entry) return [];
    // Not safe: which side of the cycle should go is the user's choice.
    return [{ title: `Comment out ${entry.value}`, changes: [{ path: kustomization.path, edits: toggleEntries(kustomization, [{ entry, enable: false }]) }] }];
  },
};

/** A directory for people: relative to the workspace folder holding it, with `/` separators. */
function display(workspace: Workspace, dir: string): string {
  // The directories are real paths (kustomize compares those): so are the folders they are shown against.
  const root = workspace.roots.map((r) => workspace.realPath(r)).find((r) => dir === r || dir.startsWith(r + path.sep));
  const relative = root === undefined ? dir : path.relative(root, dir).split(path.sep).join('/');
  return relative === '' ? './' : `${relative}/`;
}
