import * as path from 'node:path';
import { BuiltObject } from '../../../build';
import { BuildRule, Finding } from '../../../rules/rule';
import { rangeOfNode, YamlNode } from '../../../yaml';
import { ROUTE_LISTS } from '../api';
import { gatewaysOf, MESH } from '../gateways';
import { hostKey } from '../hosts';
import { covers, matchesOf, RouteMatch } from '../matches';
import { hostsOf, isVirtualService, routesOfVirtualService } from '../traffic';
import { ClashingEntries, clashingEntries, disableEntryFixes, sameId } from './entries';

interface Claim {
  built: BuiltObject;
  host: string;
  node: YamlNode;
}

/**
 * Sidecars keep one VirtualService per host: pilot drops the virtual host of a later one as a
 * duplicate domain (httproute.go, "duplicate domain from virtual service"), and which is later
 * depends on creation times the files do not have (IST0109: "undefined behavior"). A gateway
 * appends the later one's rules to the earlier one's (gateway.go), so there only matches that one
 * takes from the other lose. Two router files enabled together is the usual cause.
 */
export const virtualServicesOverlap: BuildRule<ClashingEntries> = {
  code: 'virtual-services-overlap',
  scope: 'build',
  defaultSeverity: 'error',
  summary: 'Two running VirtualServices route the same host for the same gateway (the mesh by default): only one of them applies, and which is undefined.',
  check(analysis) {
    const byHost = new Map<string, Claim[]>();
    for (const built of analysis.objects) {
      if (!isVirtualService(built.source)) continue;
      for (const { host, node } of hostsOf(built.source)) {
        for (const gateway of gatewaysOf(built)) {
          const key = `${gateway.key}\0${hostKey(host, built.namespace)}`;
          const claims = byHost.get(key) ?? [];
          // Each object once per host and gateway, at the first place it writes the host.
          if (!claims.some((c) => c.built === built)) claims.push({ built, host, node });
          byHost.set(key, claims);
        }
      }
    }
    const findings: Finding<ClashingEntries>[] = [];
    const reported = new Set<string>();
    for (const [key, claims] of byHost) {
      if (claims.length < 2) continue;
      const gateway = key.split('\0')[0];
      for (const claim of claims) {
        for (const other of claims) {
          // The same object twice is duplicate-object's: kustomize fails before anything runs.
          if (other === claim || sameId(other.built, claim.built)) continue;
          if (gateway !== MESH && !matchesOverlap(claim.built, other.built)) continue;
          const seen = `${claim.built.source.path}\0${claim.node.start}\0${other.built.source.path}\0${other.built.name}`;
          const range = rangeOfNode(claim.built.source.lines, claim.node);
          const otherRange = rangeOfNode(other.built.source.lines, other.node);
          if (reported.has(seen) || !range || !otherRange) continue;
          reported.add(seen);
          const otherFile = path.basename(other.built.source.path);
          const where = gateway === MESH ? 'the sidecars of the mesh' : `Gateway ${gateway}`;
          const what =
            gateway === MESH
              ? `Requests for ${claim.host} follow only one of two VirtualServices, and which one is undefined: sidecars keep one VirtualService per host, and ${vsTitle(other.built)} (${otherFile}) also routes ${claim.host}`
              : `Requests for ${claim.host} at Gateway ${gateway} may follow another VirtualService: ${vsTitle(other.built)} (${otherFile}) routes the same host there with a match in common, and the gateway tries the rules of the older one first`;
          findings.push({
            code: this.code,
            path: claim.built.source.path,
            range,
            message: `${what}. Enable only one of these files, or merge their rules into one VirtualService.`,
            related: [{ path: other.built.source.path, range: otherRange, message: `${vsTitle(other.built)} routes ${other.host} for ${where}` }],
            data: clashingEntries(claim.built, other.built),
          });
        }
      }
    }
    return findings;
  },
  fixes(finding, context) {
    return disableEntryFixes(finding.data, context);
  },
};

function vsTitle(built: BuiltObject): string {
  return `VirtualService ${built.namespace ? `${built.namespace}/` : ''}${built.name}`;
}

/** Whether a rule of one takes requests a rule of the other matches, in either order: a rule without match takes them all. */
function matchesOverlap(a: BuiltObject, b: BuiltObject): boolean {
  const rulesOf = (built: BuiltObject, list: string): (RouteMatch[] | undefined)[] =>
    routesOfVirtualService(built.source)
      .filter((r) => r.list === list)
      .map((r) => matchesOf(built.source, r));
  for (const list of ROUTE_LISTS) {
    const left = rulesOf(a, list);
    const right = rulesOf(b, list);
    if (left.length === 0 || right.length === 0) continue;
    if (left.includes(undefined) || right.includes(undefined)) return true;
    for (const x of left.flat() as RouteMatch[]) for (const y of right.flat() as RouteMatch[]) if (covers(x, y) || covers(y, x)) return true;
  }
  return false;
}
