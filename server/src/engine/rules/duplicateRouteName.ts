import { isAppMesh, isRecord } from '../manifest';
import { locate } from '../yaml';
import { Finding, FileRule } from './rule';

export const duplicateRouteName: FileRule = {
  code: 'duplicate-route-name',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'Two routes of one router share a name; the App Mesh webhook rejects the router.',
  check(file) {
    const findings: Finding[] = [];
    for (const object of file.objects) {
      if (!isAppMesh(object) || !isRecord(object.value.spec) || !Array.isArray(object.value.spec.routes)) continue;
      const seen = new Set<string>();
      object.value.spec.routes.forEach((route: unknown, index: number) => {
        if (!isRecord(route) || typeof route.name !== 'string') return;
        if (seen.has(route.name)) {
          findings.push({
            code: this.code,
            path: file.path,
            range: locate(object.doc, file.parsed.lines, ['spec', 'routes', index, 'name']),
            message: `Route name ${route.name} is used twice in ${object.kind} ${object.name}; route names must be unique within a router.`,
          });
        }
        seen.add(route.name);
      });
    }
    return findings;
  },
};
