import { isAppMesh, isRecord } from '../manifest';
import { locate } from '../yaml';
import { Finding, FileRule } from './rule';

const HTTP_ROUTE_KEYS = ['httpRoute', 'http2Route'];

export const httpMatch: FileRule = {
  code: 'http-match',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'An HTTP route match must set exactly one of prefix and path.',
  check(file) {
    const findings: Finding[] = [];
    for (const object of file.objects) {
      if (!isAppMesh(object) || object.kind !== 'VirtualRouter' || !isRecord(object.value.spec)) continue;
      const routes = object.value.spec.routes;
      if (!Array.isArray(routes)) continue;
      routes.forEach((route: unknown, index: number) => {
        if (!isRecord(route)) return;
        for (const key of HTTP_ROUTE_KEYS) {
          const httpRoute = route[key];
          if (!isRecord(httpRoute) || !isRecord(httpRoute.match)) continue;
          const hasPrefix = httpRoute.match.prefix !== undefined;
          const hasPath = httpRoute.match.path !== undefined;
          if (hasPrefix !== hasPath) continue;
          findings.push({
            code: this.code,
            path: file.path,
            range: locate(object.doc, file.parsed.lines, ['spec', 'routes', index, key, 'match'], 'key'),
            message: hasPrefix
              ? 'This match sets both prefix and path; App Mesh accepts exactly one of them.'
              : 'This match sets neither prefix nor path; App Mesh needs exactly one of them.',
          });
        }
      });
    }
    return findings;
  },
};
