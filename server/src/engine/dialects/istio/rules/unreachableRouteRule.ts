import { FileRule, Finding } from '../../../rules/rule';
import { keyAt, nodeAt, rangeOfNode, scalarText } from '../../../yaml';
import { covers, isCatchAll, matchesOf, RouteMatch } from '../matches';
import { isVirtualService, routesOfVirtualService, VirtualServiceRoute } from '../traffic';

/** `http rule "reviews-v2"` or `http[1]`: a rule as messages name it. */
function ruleTitle(route: VirtualServiceRoute): string {
  const name = scalarText(nodeAt(route.node, ['name']));
  return name !== undefined ? `${route.list} rule "${name}"` : `${route.list}[${route.index}]`;
}

/**
 * Envoy tries a VirtualService's rules in order and the first that matches takes the request
 * (istio/api virtual_service.proto: "the first rule matching an incoming request is used"). A rule
 * after one without match (or with a catch-all one) never gets a request, nor does a rule each of
 * whose matches an earlier rule already takes; a single such match is dead too (istioctl's IST0130
 * and IST0131, from pilot's validation.go analyzeUnreachableHTTPRules, which compares matches written
 * the same; here also a match an earlier one covers: a shorter uri prefix with the same other conditions).
 */
export const unreachableRouteRule: FileRule = {
  code: 'unreachable-route-rule',
  scope: 'file',
  defaultSeverity: 'warning',
  summary: 'A VirtualService rule (or one of its matches) never applies: an earlier rule without match, or with the same match, takes its requests first.',
  check(file) {
    const findings: Finding[] = [];
    for (const object of file.objects) {
      if (!isVirtualService(object)) continue;
      const routes = routesOfVirtualService(object);
      for (const list of new Set(routes.map((r) => r.list))) {
        // What earlier rules of this list match: a rule without match takes everything.
        let takesAll: VirtualServiceRoute | undefined;
        const earlier: { route: VirtualServiceRoute; match: RouteMatch }[] = [];
        for (const route of routes.filter((r) => r.list === list)) {
          const matches = matchesOf(object, route);
          const title = ruleTitle(route);
          const ruleRange = rangeOfNode(object.lines, keyAt(route.node, ['match'])) ?? rangeOfNode(object.lines, route.node);
          if (takesAll) {
            if (ruleRange)
              findings.push({
                code: this.code,
                path: object.path,
                range: ruleRange,
                message: `${title} never gets a request: ${ruleTitle(takesAll)} before it matches every request. Move it before that rule, or remove it.`,
                related: related(object.path, object.lines, takesAll.node, `${ruleTitle(takesAll)} takes every request`),
              });
            continue;
          }
          if (matches === undefined) {
            takesAll = route;
            continue;
          }
          const hidden = matches.map((match) => earlier.find((e) => covers(e.match, match)));
          const sameRule = matches.map((match, i) => matches.slice(0, i).find((m) => covers(m, match)));
          if (matches.length > 0 && hidden.every((h) => h !== undefined)) {
            const by = hidden[0]!;
            if (ruleRange)
              findings.push({
                code: this.code,
                path: object.path,
                range: ruleRange,
                message: `${title} never gets a request: ${matches.length === 1 ? 'its match is' : 'each of its matches is'} taken first by an earlier rule (${ruleTitle(by.route)}). Remove it, or make its match narrower than that rule's.`,
                related: related(object.path, object.lines, by.match.node, `the earlier match in ${ruleTitle(by.route)}`),
              });
          } else {
            matches.forEach((match, i) => {
              const before = hidden[i]?.match ?? sameRule[i];
              const range = rangeOfNode(object.lines, match.node);
              if (!before || !range) return;
              const where = hidden[i] ? ruleTitle(hidden[i].route) : 'the same rule';
              const what = hidden[i]
                ? `Remove it, or move ${title} before ${where} if these requests belong here.`
                : 'Remove it: that match sends them to the same destinations.';
              findings.push({
                code: this.code,
                path: object.path,
                range,
                message: `Match ${i + 1} of ${title} never applies: an earlier match in ${where} already takes its requests. ${what}`,
                related: related(object.path, object.lines, before.node, `the earlier match in ${where}`),
              });
            });
          }
          if (matches.some(isCatchAll)) takesAll = route;
          for (const match of matches) earlier.push({ route, match });
        }
      }
    }
    return findings;
  },
};

function related(path: string, lines: Parameters<typeof rangeOfNode>[0], node: Parameters<typeof rangeOfNode>[1], message: string): Finding['related'] {
  const range = rangeOfNode(lines, node);
  return range ? [{ path, range, message }] : undefined;
}
