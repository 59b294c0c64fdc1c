import { ManifestObject } from '../../../../manifest';
import { Finding, ReadRecorder, RuleOption } from '../../../../rules/rule';
import { Workspace, WorkspaceFile } from '../../../../workspace';
import { isMap, isSeq, locate, nodeAt, PathSegment, YamlNode } from '../../../../yaml';
import { GATEWAY_API_GROUP, ROUTE_KINDS } from '../../api';
import { hasGatewayParent, isRouteOfKind, LatticeData, PROFILE_OPTION, reportedOnLattice, routeIsOnLattice } from '../../lattice';

/** A route a Lattice rule looks at, and whether the workspace shows it on Lattice. */
export interface LatticeRoute {
  object: ManifestObject;
  detected: boolean;
}

/** What every Lattice rule declares: the profile option, and reporting by it. */
export const latticeProfile = {
  options: [PROFILE_OPTION] as readonly RuleOption[],
  reported: reportedOnLattice,
};

/**
 * The routes of these kinds in a file that name a Gateway as a parent (the only way onto Lattice),
 * each with whether its Gateway is Lattice's. Routes not seen on Lattice are returned too: the
 * profile setting may still report them.
 */
export function latticeRoutesIn(file: WorkspaceFile, workspace: Workspace, read: ReadRecorder, kinds: readonly string[]): LatticeRoute[] {
  // Found once per file version and workspace generation for all the Lattice rules, with the files it read.
  let found = routesByFile.get(file);
  if (found?.routes.length === 0 && found.reads.length === 0) return [];
  // Lattice routes are Gateway API routes: a file that never names the group has none, whatever else changes.
  if (file.isKustomization || !file.text.includes(GATEWAY_API_GROUP)) {
    routesByFile.set(file, { generation: workspace.generation, routes: [], reads: [] });
    return [];
  }
  if (found?.generation !== workspace.generation) {
    const reads: string[] = [];
    const routes = file.objects
      .filter((o) => isRouteOfKind(o, ROUTE_KINDS) && hasGatewayParent(o))
      .map((object) => ({ object, detected: routeIsOnLattice(object, workspace, (p) => reads.push(p)) }));
    found = { generation: workspace.generation, routes, reads };
    routesByFile.set(file, found);
  }
  for (const p of found.reads) read(p);
  return found.routes.filter((route) => kinds.includes(route.object.kind));
}

const routesByFile = new WeakMap<WorkspaceFile, { generation: number; routes: LatticeRoute[]; reads: string[] }>();

/** One rule of a route: its node and its path. */
export interface RouteRuleNode {
  node: YamlNode;
  path: PathSegment[];
}

export function routeRules(object: ManifestObject): RouteRuleNode[] {
  const rules = nodeAt(object.doc.contents, ['spec', 'rules']);
  if (!isSeq(rules)) return [];
  return rules.items.flatMap((node, index) => (isMap(node) ? [{ node, path: ['spec', 'rules', index] }] : []));
}

/** The items of a list under a node, each with its path; nothing when it is not a list. */
export function itemsAt(root: YamlNode, path: PathSegment[], key: string): RouteRuleNode[] {
  const list = nodeAt(root, [key]);
  if (!isSeq(list)) return [];
  return list.items.flatMap((node, index) => (node ? [{ node, path: [...path, key, index] }] : []));
}

/** A finding about a route on Lattice, at a path of the route. */
export function latticeFinding<Data extends LatticeData>(
  code: string,
  route: LatticeRoute,
  path: PathSegment[],
  at: 'key' | 'value',
  message: string,
  extra?: Omit<Data, 'detected'>,
): Finding<Data> {
  return {
    code,
    path: route.object.path,
    range: locate(route.object.doc, route.object.lines, path, at),
    message,
    data: { detected: route.detected, ...extra } as Data,
  };
}

/** The route kinds whose rules carry HTTP matches, filters and timeouts (GRPCRoute's are read the same way by the controller). */
export const MATCHING_ROUTE_KINDS: readonly string[] = ['HTTPRoute', 'GRPCRoute'];
