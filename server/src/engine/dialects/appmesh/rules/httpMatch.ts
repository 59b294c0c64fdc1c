import { lineEndOf } from '../../../edits';
import { isRecord } from '../../../manifest';
import { isAppMesh } from '../traffic';
import { Range } from '../../../text';
import { isMap, isScalar, locate, nodeAt, pairOf } from '../../../yaml';
import { Finding, FileRule } from '../../../rules/rule';

const HTTP_ROUTE_KEYS = ['httpRoute', 'http2Route'];

/** Where a missing `prefix` goes, or the lines of the two keys, one of which to remove. */
type MatchData = { insertAt: Range['start'] | undefined } | { prefixLines: [number, number] | undefined; pathLines: [number, number] | undefined };

export const httpMatch: FileRule<MatchData> = {
  code: 'http-match',
  scope: 'file',
  defaultSeverity: 'error',
  summary: 'An HTTP route match must set exactly one of prefix and path.',
  check(file) {
    const findings: Finding<MatchData>[] = [];
    const lines = file.parsed.lines;
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
          const matchNode = nodeAt(object.doc.contents, ['spec', 'routes', index, key, 'match']);
          // Where each key's lines are, to remove one of them, or where a `prefix: /` line would go.
          const linesOf = (name: string): [number, number] | undefined => {
            const pair = pairOf(matchNode, name);
            if (!pair) return undefined;
            return [lines.positionAt(pair.key.start).line, lines.positionAt(Math.max(pair.value.end - 1, pair.value.start)).line];
          };
          const firstKey = isMap(matchNode) && !matchNode.flow ? matchNode.items[0]?.key : undefined;
          const insertAt = isScalar(firstKey) ? lines.positionAt(firstKey.start) : undefined;
          findings.push({
            code: this.code,
            path: file.path,
            range: locate(object.doc, lines, ['spec', 'routes', index, key, 'match'], 'key'),
            message: hasPrefix
              ? 'This match sets both prefix and path; App Mesh accepts exactly one of them.'
              : 'This match sets neither prefix nor path; App Mesh needs exactly one of them.',
            data: hasPrefix ? { prefixLines: linesOf('prefix'), pathLines: linesOf('path') } : { insertAt },
          });
        }
      });
    }
    return findings;
  },
  fixes(finding, { workspace }) {
    const file = workspace.file(finding.path);
    if (!file) return [];
    const lines = file.parsed.lines;
    const removal = (name: string, span: [number, number] | undefined) =>
      span
        ? [
            {
              title: `Remove ${name}`,
              changes: [
                {
                  path: finding.path,
                  edits: [
                    {
                      range: {
                        start: { line: span[0], character: 0 },
                        end: lines.positionAt(span[1] + 1 < lines.lineCount ? lines.lineStart(span[1] + 1) : lines.text.length),
                      },
                      newText: '',
                    },
                  ],
                },
              ],
            },
          ]
        : [];
    const data = finding.data;
    if (!data) return [];
    const insertAt = 'insertAt' in data ? data.insertAt : undefined;
    if (insertAt) {
      const indent = ' '.repeat(insertAt.character);
      return [
        {
          title: 'Match every path (prefix: /)',
          isPreferred: true,
          changes: [{ path: finding.path, edits: [{ range: { start: insertAt, end: insertAt }, newText: `prefix: /${lineEndOf(lines.text)}${indent}` }] }],
        },
      ];
    }
    return [...removal('path', 'pathLines' in data ? data.pathLines : undefined), ...removal('prefix', 'prefixLines' in data ? data.prefixLines : undefined)];
  },
};
