import { FileRule, Finding } from '../../../../rules/rule';
import { parseDuration } from './duration';
import { findingAt, mapsAt, present, routesOf, textOf } from './fields';

export const routeTimeouts: FileRule = {
  code: 'route-timeouts',
  scope: 'file',
  defaultSeverity: 'error',
  summary: "An HTTPRoute rule's backendRequest timeout is longer than its request timeout, which the API server rejects.",
  check(file) {
    const findings: Finding[] = [];
    for (const { object, spec } of routesOf(file.objects, ['HTTPRoute'])) {
      for (const rule of mapsAt(spec, ['rules'])) {
        const timeouts = present(rule.node, 'timeouts')?.value;
        const requestText = textOf(present(timeouts, 'request')?.value);
        const backendNode = present(timeouts, 'backendRequest')?.value;
        const backendText = textOf(backendNode);
        if (requestText === undefined || backendText === undefined) continue;
        const request = parseDuration(requestText);
        const backend = parseDuration(backendText);
        // A request timeout of zero turns the limit off; then any backendRequest timeout is allowed.
        if (request === undefined || backend === undefined || request === 0 || backend <= request) continue;
        findings.push(
          findingAt(
            this.code,
            object,
            backendNode,
            `The backendRequest timeout (${backendText}) is longer than the request timeout (${requestText}): one try at a backend cannot outlast the whole request, and the API server rejects the route. Lower backendRequest or raise request.`,
          ),
        );
      }
    }
    return findings;
  },
};
