import { isRecord } from '../../../manifest';
import { isAppMesh } from '../traffic';
import { locate } from '../../../yaml';
import { Finding, FileRule } from '../../../rules/rule';

export const duplicateRouteName: FileRule<{ unused: string }> = {
  code: 'duplicate-route-name',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'Two routes of one router share a name; the App Mesh webhook rejects the router.',
  check(file) {
    const findings: Finding<{ unused: string }>[] = [];
    for (const object of file.objects) {
      if (!isAppMesh(object) || !isRecord(object.value.spec) || !Array.isArray(object.value.spec.routes)) continue;
      const routes: unknown[] = object.value.spec.routes;
      const seen = new Set<string>();
      routes.forEach((route, index) => {
        if (!isRecord(route) || typeof route.name !== 'string') return;
        if (seen.has(route.name)) {
          findings.push({
            code: this.code,
            path: file.path,
            range: locate(object.doc, file.parsed.lines, ['spec', 'routes', index, 'name']),
            message: `Route name ${route.name} is used twice in ${object.kind} ${object.name}; route names must be unique within a router.`,
            data: { unused: unusedName(route.name, routes) },
          });
        }
        seen.add(route.name);
      });
    }
    return findings;
  },
  fixes(finding) {
    const unused = finding.data?.unused;
    return unused
      ? [{ title: `Rename to ${unused}`, isPreferred: true, changes: [{ path: finding.path, edits: [{ range: finding.range, newText: unused }] }] }]
      : [];
  },
};

/** `name-2`, `name-3`, ...: the first name no route of the router uses. */
function unusedName(name: string, routes: unknown[]): string {
  const taken = new Set(routes.map((r) => (isRecord(r) ? r.name : undefined)));
  for (let n = 2; ; n++) if (!taken.has(`${name}-${n}`)) return `${name}-${n}`;
}
