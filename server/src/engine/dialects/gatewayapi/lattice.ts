import { ManifestObject, isRecord } from '../../manifest';
import { EnumRuleOption, Finding, ReadRecorder, RuleOptionValues } from '../../rules/rule';
import { formatPercent, TrafficRoute, VersionRef } from '../../traffic';
import { Workspace, WorkspaceFile } from '../../workspace';
import { GATEWAY_API_GROUP, LATTICE_CONTROLLER, LATTICE_GATEWAY_CLASS } from './api';
import { groupOf, isGatewayApi, parentRefsOf } from './traffic';

/**
 * Whether a route runs on Amazon VPC Lattice (the AWS Gateway API Controller), whose API refuses or
 * ignores parts of what the Gateway API allows. A route is on Lattice when a Gateway its parentRefs
 * name uses the GatewayClass `amazon-vpc-lattice` or a GatewayClass of the Lattice controller; the
 * setting `meshKustomize.gatewayApi.profile` can say so for every route (the Gateways are defined
 * elsewhere) or for none.
 */

export const PROFILE_VALUES = ['auto', 'lattice', 'generic'] as const;
export type GatewayProfile = (typeof PROFILE_VALUES)[number];

/** The option every Lattice rule declares: one setting, `meshKustomize.gatewayApi.profile`. */
export const PROFILE_OPTION: EnumRuleOption = {
  key: 'gatewayApi.profile',
  type: 'string',
  enum: PROFILE_VALUES,
  default: 'auto',
  description:
    "Which Gateway API implementation the routes run on: 'auto' checks what Amazon VPC Lattice refuses or ignores on routes whose Gateway uses a Lattice GatewayClass found in the workspace; 'lattice' checks it on every route with a Gateway parent (the Gateways are defined elsewhere); 'generic' never does.",
};

/** What every Lattice finding carries: whether the workspace shows the route on Lattice. */
export interface LatticeData {
  detected: boolean;
}

/** The `reported` hook of the Lattice rules: findings on routes seen on Lattice, unless the profile says otherwise. */
export function reportedOnLattice(finding: Finding<LatticeData>, options: RuleOptionValues): boolean {
  const profile = options[PROFILE_OPTION.key];
  if (profile === 'lattice') return true;
  return finding.data?.detected === true && profile !== 'generic';
}

/** A Gateway or GatewayClass as written, with what says whether it is Lattice's. */
interface GatewayDefinition {
  path: string;
  kind: 'Gateway' | 'GatewayClass';
  name: string;
  namespace: string | undefined;
  /** A Gateway's `spec.gatewayClassName`, a GatewayClass's `spec.controllerName`. */
  names: string | undefined;
}

const definedInFile = new WeakMap<WorkspaceFile, GatewayDefinition[]>();

function definitionsIn(file: WorkspaceFile): GatewayDefinition[] {
  let found = definedInFile.get(file);
  if (found) return found;
  found = [];
  // Gateway files name the Gateway API's group: files without it are never parsed here.
  if (!file.isKustomization && file.mentionsMesh && file.text.includes('Gateway')) {
    for (const object of file.objects) {
      if (!isGatewayApi(object) || (object.kind !== 'Gateway' && object.kind !== 'GatewayClass')) continue;
      const spec = object.value.spec;
      const field = object.kind === 'Gateway' ? 'gatewayClassName' : 'controllerName';
      const value = isRecord(spec) && typeof spec[field] === 'string' ? spec[field] : undefined;
      found.push({ path: object.path, kind: object.kind, name: object.name, namespace: object.namespace, names: value });
    }
  }
  definedInFile.set(file, found);
  return found;
}

/**
 * Every Gateway and GatewayClass of the workspace, by kind and name. Brought up to date once per
 * workspace generation, from the changed files only when the change log tells them (an edit), so a
 * keystroke in a 12,000-file workspace costs a few lookups.
 */
class GatewayIndex {
  private generation = -1;
  private readonly perFile = new Map<string, GatewayDefinition[]>();
  private byName = new Map<string, GatewayDefinition[]>();

  constructor(private readonly workspace: Workspace) {}

  find(kind: GatewayDefinition['kind'], name: string): readonly GatewayDefinition[] {
    if (this.generation !== this.workspace.generation) this.refresh();
    return this.byName.get(`${kind}\0${name}`) ?? [];
  }

  private refresh(): void {
    const changes = this.generation < 0 ? undefined : this.workspace.changesSince(this.generation);
    this.generation = this.workspace.generation;
    const yamlFiles = this.workspace.yamlFileSet();
    let changed = false;
    // Edits of YAML files update their own entries; anything else (a directory, a root) rereads them all.
    if (changes && changes.every((p) => yamlFiles.has(p))) {
      for (const filePath of changes) changed = this.update(filePath, yamlFiles) || changed;
    } else {
      for (const filePath of [...this.perFile.keys()]) if (!yamlFiles.has(filePath)) changed = this.perFile.delete(filePath) || changed;
      for (const filePath of yamlFiles) changed = this.update(filePath, yamlFiles) || changed;
    }
    if (!changed) return;
    const byName = new Map<string, GatewayDefinition[]>();
    for (const definitions of this.perFile.values()) {
      for (const definition of definitions) {
        const key = `${definition.kind}\0${definition.name}`;
        byName.set(key, [...(byName.get(key) ?? []), definition]);
      }
    }
    this.byName = byName;
  }

  /** Reads what one file defines; true when that changed. */
  private update(filePath: string, yamlFiles: ReadonlySet<string>): boolean {
    const file = yamlFiles.has(filePath) ? this.workspace.file(filePath) : undefined;
    const definitions = file ? definitionsIn(file) : [];
    const before = this.perFile.get(filePath);
    if (definitions.length === 0) return before !== undefined && this.perFile.delete(filePath);
    this.perFile.set(filePath, definitions);
    return before !== definitions;
  }
}

const indexes = new WeakMap<Workspace, GatewayIndex>();

function indexOf(workspace: Workspace): GatewayIndex {
  let index = indexes.get(workspace);
  if (!index) indexes.set(workspace, (index = new GatewayIndex(workspace)));
  return index;
}

/** Whether a parentRef names a Gateway: its group and kind default to just that. */
function namesGateway(ref: { group: string | undefined; kind: string | undefined }): boolean {
  return (ref.group === undefined || ref.group === GATEWAY_API_GROUP) && (ref.kind === undefined || ref.kind === 'Gateway');
}

/** Whether a route names at least one Gateway as a parent (Lattice has no mesh mode: Service parents are not its). */
export function hasGatewayParent(route: ManifestObject): boolean {
  return parentRefsOf(route).some(namesGateway);
}

/**
 * Whether the workspace shows a route on VPC Lattice: a Gateway its parentRefs name (by name, and by
 * namespace where both are written; a parentRef's namespace defaults to the route's) uses the
 * GatewayClass `amazon-vpc-lattice`, or a GatewayClass of that name whose controller is Lattice's.
 * Every file looked at is passed to `read`, so a file rule is checked again when one changes; a
 * Gateway defined later in a new file is seen at the next change of the route's file or folder.
 */
export function routeIsOnLattice(route: ManifestObject, workspace: Workspace, read: ReadRecorder = () => undefined): boolean {
  const index = indexOf(workspace);
  let onLattice = false;
  for (const ref of parentRefsOf(route)) {
    if (!namesGateway(ref) || ref.name === undefined) continue;
    const namespace = ref.namespace ?? route.namespace;
    const candidates = index.find('Gateway', ref.name).filter((g) => namespace === undefined || g.namespace === undefined || g.namespace === namespace);
    // A Gateway in the very namespace beats one whose namespace kustomize sets.
    const exact = candidates.filter((g) => namespace !== undefined && g.namespace === namespace);
    for (const gateway of exact.length > 0 ? exact : candidates) {
      read(gateway.path);
      if (gateway.names === undefined) continue;
      if (gateway.names === LATTICE_GATEWAY_CLASS) onLattice = true;
      for (const gatewayClass of index.find('GatewayClass', gateway.names)) {
        read(gatewayClass.path);
        if (gatewayClass.names === LATTICE_CONTROLLER) onLattice = true;
      }
    }
  }
  return onLattice;
}

/** Whether an object belongs to the Gateway API's route kinds that Lattice rules look at. */
export function isRouteOfKind(object: ManifestObject, kinds: readonly string[]): boolean {
  return groupOf(object.apiVersion) === GATEWAY_API_GROUP && kinds.includes(object.kind);
}

/**
 * What a missing backend's share does on Lattice: the controller leaves a backendRef whose Service
 * does not resolve out of the Lattice rule, so the rule's other backends share its traffic by their
 * weights; only a rule none of whose backends resolves answers with a fixed HTTP 500
 * (pkg/deploy/lattice/rule_manager.go, v2.1.3). Says what the others then get.
 */
export function latticeLostShare(route: TrafficRoute, missing: readonly VersionRef[]): string {
  // Not rules/routes' literalWeights: it loads the dialect list, which loads this file.
  const weights = route.targets.map((t) => t.weight);
  if (weights.some((w) => w === undefined)) return 'goes to the rule’s other backends on VPC Lattice, which leaves a missing Service out of the rule';
  const total = weights.reduce((a: number, b) => a + (b ?? 0), 0);
  const gone = new Set(missing);
  const remaining = route.targets.filter((t) => !gone.has(t) && (t.weight ?? 0) > 0);
  const remainingTotal = remaining.reduce((sum, t) => sum + (t.weight ?? 0), 0);
  if (remainingTotal === 0) return 'gets HTTP 500: on VPC Lattice a rule none of whose backends resolves answers with a fixed 500';
  const now = remaining.map((t, i) => `${i === 0 ? `${t.name} then gets ` : `${t.name} `}${formatPercent(((t.weight ?? 0) / remainingTotal) * 100)} %`);
  const declared = remaining.map((t) => `${formatPercent(((t.weight ?? 0) / total) * 100)} %`);
  return `is not lost on VPC Lattice, which leaves the missing Service out of the rule: ${listOf(now)}, not the ${listOf(declared)} the file declares`;
}

function listOf(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The route kinds the Lattice controller reconciles (docs/api-types); TCPRoute and UDPRoute it does not. */
export const LATTICE_ROUTE_KINDS: readonly string[] = ['HTTPRoute', 'GRPCRoute', 'TLSRoute'];
