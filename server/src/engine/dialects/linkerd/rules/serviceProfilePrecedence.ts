import { BuiltObject } from '../../../build';
import { BuildRule, Finding } from '../../../rules/rule';
import { rangeOfNode, locate } from '../../../yaml';
import { isGatewayRoute, parentIsService, parentRefsOf } from '../../gatewayapi/traffic';
import { isLinkerdRoute, isServiceProfile, profiledService } from '../traffic';

/** The route kinds a ServiceProfile overrides for its Service (Linkerd's HTTPRoute and GRPCRoute reference pages). */
const HTTP_ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute']);

/**
 * Linkerd uses a ServiceProfile for a Service instead of any HTTPRoute or GRPCRoute attached to it,
 * for as long as the profile exists (reference/httproute.md, "for backwards-compatibility reasons"):
 * the route's weights, matches and timeouts silently do nothing.
 */
export const serviceProfilePrecedence: BuildRule = {
  code: 'linkerd-service-profile-precedence',
  scope: 'build',
  defaultSeverity: 'warning',
  summary: 'A running ServiceProfile for a Service takes precedence over the HTTPRoutes attached to that Service: Linkerd ignores the routes.',
  check(analysis) {
    // Profiles by the Service they are for: `<service>\0<namespace>`.
    const profiles = new Map<string, BuiltObject[]>();
    for (const object of analysis.objects) {
      if (!isServiceProfile(object.source)) continue;
      const target = profiledService(object.name);
      if (!target) continue;
      const key = `${target.service}\0${target.namespace}`;
      profiles.set(key, [...(profiles.get(key) ?? []), object]);
    }
    if (profiles.size === 0) return [];
    const findings: Finding[] = [];
    for (const { split, built } of analysis.runningSplits) {
      const route = split.object;
      if (!HTTP_ROUTE_KINDS.has(route.kind) || !(isGatewayRoute(route) || isLinkerdRoute(route))) continue;
      for (const parent of parentRefsOf(route)) {
        if (!parentIsService(parent) || parent.name === undefined) continue;
        const namespace = parent.namespace ?? built.namespace;
        const overriding = [...profiles.entries()]
          .filter(([key]) => {
            const [service, profileNamespace] = key.split('\0');
            // A route without a namespace runs wherever it is applied: any profile for its Service may apply.
            return service === parent.name && (namespace === '' || profileNamespace === namespace);
          })
          .flatMap(([, objects]) => objects);
        if (overriding.length === 0) continue;
        const names = [...new Set(overriding.map((p) => p.name))].join(', ');
        findings.push({
          code: this.code,
          path: route.path,
          range: rangeOfNode(route.lines, parent.nameNode) ?? locate(route.doc, route.lines, ['spec', 'parentRefs']),
          message:
            `ServiceProfile ${names} is for Service ${parent.name}, so Linkerd uses the profile and ignores ${route.kind} ${built.name} for it ` +
            `(a ServiceProfile takes precedence over routes attached to the same Service while it exists). ` +
            `Move what the profile does (retries, timeouts, routes) to the route and remove the profile, or drop the route.`,
          related: overriding.map((profile) => ({
            path: profile.source.path,
            range: locate(profile.source.doc, profile.source.lines, ['metadata', 'name']),
            message: `ServiceProfile ${profile.name} takes precedence`,
          })),
        });
      }
    }
    return findings;
  },
};
