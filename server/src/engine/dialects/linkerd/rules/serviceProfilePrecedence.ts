import { listingEntry } from '../../../analysis';
import { BuiltObject } from '../../../build';
import { toggleEntries } from '../../../edits';
import { entryOnLine, kustomizationAt } from '../../../fixes';
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
/** The entries that list the overriding profiles' files, when those files define nothing else. */
interface PrecedenceData {
  route: string;
  entries: { kustomization: string; line: number; value: string }[];
}

export const serviceProfilePrecedence: BuildRule<PrecedenceData> = {
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
    const findings: Finding<PrecedenceData>[] = [];
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
        // Disabling a file that holds anything but these profiles would stop more than them.
        const onlyProfiles = overriding.every((profile) =>
          (analysis.workspace.file(profile.source.path)?.objects ?? []).every((o) => overriding.some((p) => p.source === o)),
        );
        const entries = onlyProfiles
          ? [...new Map(overriding.map((p) => listingEntry(p)).map((e) => [`${e.kustomization.path}:${e.entry.line}`, e])).values()].map((e) => ({
              kustomization: e.kustomization.path,
              line: e.entry.line,
              value: e.entry.value,
            }))
          : [];
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
          data: { route: built.name, entries },
        });
      }
    }
    return findings;
  },
  fixes(finding, { workspace }) {
    const data = finding.data;
    if (!data || data.entries.length === 0) return [];
    const changes = [];
    for (const { kustomization: kustomizationPath, line } of data.entries) {
      const kustomization = kustomizationAt(workspace, kustomizationPath);
      const entry = kustomization && entryOnLine(kustomization, line);
      if (!kustomization || !entry?.enabled) return [];
      changes.push({ path: kustomization.path, edits: toggleEntries(kustomization, [{ entry, enable: false }]) });
    }
    // The profile's retries and timeouts stop with it: never applied by "fix all".
    return [{ title: `Let ${data.route} apply: disable ${data.entries.map((e) => e.value).join(', ')}`, safe: false, changes }];
  },
};
