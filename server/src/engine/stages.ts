import * as path from 'node:path';
import { servicesOf, splitsOf } from './dialects';
import { applyEdits, insertEntry, TextEdit, toggleEntries } from './edits';
import { Fresh } from './fresh';
import { Kustomization, KustomizationEntry } from './kustomization';
import type { VersionNeed } from './dialect';
import { ManifestObject } from './manifest';
import { TrafficSplit, versionIdOf } from './traffic';
import { Workspace } from './workspace';

/** Where a rollout stands: which versions run and where the enabled router sends traffic. */
export type StageKind = 'blue' | 'blue-green' | 'canary' | 'green' | 'green-final';

export interface StageTarget {
  kind: StageKind;
  /** Share of traffic to the new version, for canary stages. */
  percent?: number;
  /**
   * The generations the stage is between ("v1", "v3"), where services have more than two versions:
   * a move then names which two it shifts traffic between. Undefined: the current old and new ones.
   */
  from?: string;
  to?: string;
}

/** A file of the kustomization's directory that defines routers (traffic splits). */
export interface RouterFile {
  path: string;
  /** Its entry in the kustomization, enabled or not; undefined when not listed at all. */
  entry: KustomizationEntry | undefined;
  /** Per router name: the version each target names (see versionIdOf) and its weight. */
  splits: Map<string, { name: string; weight: number }[]>;
  /** Whether its targets of weight 0 may name versions that do not run (the API loses no traffic to them). */
  idleTargetsMayBeMissing: boolean;
}

/** Whether a router file's target must run for the router to work: all must, unless idle ones may be missing. */
export function mustRun(file: RouterFile, target: { weight: number }): boolean {
  return target.weight !== 0 || !file.idleTargetsMayBeMissing;
}

/** A file listed in the kustomization that defines versions that routers target. */
export interface VersionFile {
  path: string;
  entry: KustomizationEntry;
  versions: string[];
}

export interface ServiceStage {
  /** The service's name, or the router's when no service names it as its provider. */
  service: string;
  router: string;
  /** Every version some router file targets, old to new. */
  versions: string[];
  old: string;
  new: string;
  /** Traffic shares in percent, old/new, under the enabled router (undefined when none is enabled). */
  split: [number, number] | undefined;
  stage: StageTarget | undefined;
  /** Versions the enabled router sends this service's traffic to that are not running. */
  stopped: string[];
  /** Why the service is in no stage, when it is not and no stopped version explains it. */
  problem: string | undefined;
  /**
   * Where the data plane drops the stopped versions from the route (VPC Lattice), and the old/new
   * split that then runs in effect instead of the one the file declares.
   */
  effective: { where: string; split: [number, number] | undefined } | undefined;
}

export interface StageState {
  stage: StageTarget | undefined;
  /** Why no stage applies, when none does. */
  reason: string | undefined;
  services: ServiceStage[];
  /** "Stage: canary 5 % — metal 95/5, jazz 95/5" */
  label: string;
}

export interface StageModel {
  kustomization: Kustomization;
  /** What must run for each version to run, and which version files provide it. */
  needs: Map<string, VersionNeed[]>;
  /** The versions whose every need the enabled files meet. */
  running: ReadonlySet<string>;
  routerFiles: RouterFile[];
  versionFiles: VersionFile[];
  /** The kinds the routers' targets name (a version is an object of one of them, by name). */
  versionKinds: ReadonlySet<string>;
  state: StageState;
  /** Names of the old and new generation for titles ("v1", "v2"), from what the version names share. */
  generations: [string, string];
  /** Every generation the services' versions share, old to new, when they share them ("v1", "v2", "v3"); else empty. */
  allGenerations: string[];
}

export interface StageMove {
  target: StageTarget;
  title: string;
  /** The router file the move enables. */
  routerFile: string;
  edits: TextEdit[];
}

/** Names in the order people read versions: v2 before v10. */
export const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

const modelCache = new WeakMap<Kustomization, { workspace: Workspace; model: Fresh<StageModel | undefined> }>();

/** The stage model of a kustomization, inferred from the content of its directory's files; undefined when it has no routers. */
export function stageModel(workspace: Workspace, kustomization: Kustomization): StageModel | undefined {
  // Lenses, fixes and "fix all" ask again and again: computed again only when its directory or one of its files changed.
  const cached = modelCache.get(kustomization);
  if (cached && cached.workspace === workspace && cached.model.isFresh(workspace)) return cached.model.value;
  const model = Fresh.compute(workspace, (reads) => computeStageModel(workspace, kustomization, reads.path));
  modelCache.set(kustomization, { workspace, model });
  return model.value;
}

function computeStageModel(workspace: Workspace, kustomization: Kustomization, read: (filePath: string) => void): StageModel | undefined {
  // With namePrefix/nameSuffix, references inside custom resources no longer match the renamed objects in any stage.
  if (kustomization.namePrefix || kustomization.nameSuffix) return undefined;
  const dir = path.dirname(kustomization.path);
  const entryByPath = new Map<string, KustomizationEntry>();
  for (const entry of kustomization.entries) {
    if (entry.field === 'resources' || entry.field === 'bases') entryByPath.set(path.resolve(dir, entry.value), entry);
  }
  const candidates = new Set(entryByPath.keys());
  read(dir);
  for (const file of workspace.listDirectory(dir)) {
    if (file.kind === 'file' && /\.ya?ml$/i.test(file.name)) candidates.add(path.join(dir, file.name));
  }

  const routerFiles: RouterFile[] = [];
  const versionKinds = new Set<string>();
  const serviceNames = new Map<string, string>();
  const splitsByFile = new Map<string, TrafficSplit[]>();
  const objectsByFile = new Map<string, readonly ManifestObject[]>();
  for (const filePath of candidates) {
    read(filePath);
    const file = workspace.file(filePath);
    if (file && !file.isKustomization) objectsByFile.set(filePath, file.objects);
  }
  const candidateObjects = [...objectsByFile.values()].flat();
  const needs = new Map<string, VersionNeed[]>();
  for (const filePath of objectsByFile.keys()) {
    const file = workspace.file(filePath)!;
    for (const binding of servicesOf(file)) {
      if (binding.provider?.role === 'split') serviceNames.set(binding.provider.name, binding.object.name);
    }
    const splits = splitsOf(file);
    if (splits.length === 0) continue;
    splitsByFile.set(filePath, splits);
    const byRouter = new Map<string, { name: string; weight: number }[]>();
    for (const split of splits) {
      versionKinds.add(split.versionKind);
      if (split.serviceName && !serviceNames.has(split.object.name)) serviceNames.set(split.object.name, split.serviceName);
      // A route's only target gets all of its traffic where the API says so, whatever its weight.
      const takesAll = (count: number): boolean => count === 1 && split.dialect.weights.soleTargetTakesAll;
      const targets = split.routes.flatMap((route) =>
        // Targets outside the cluster's Services (an external host) are no version of the rollout.
        route.targets
          .filter((t) => !split.dialect.namesExternal(split, t, candidateObjects))
          .map((t) => {
            const name = versionIdOf(t);
            // What each version needs to run, asked of its dialect once, over the objects of the files a user chooses between.
            if (!needs.has(name)) needs.set(name, split.dialect.versionNeeds(split, t, candidateObjects));
            return { name, weight: takesAll(route.targets.length) ? Math.max(t.weight ?? 0, 1) : (t.weight ?? 0) };
          }),
      );
      byRouter.set(split.object.name, targets);
    }
    routerFiles.push({
      path: filePath,
      entry: entryByPath.get(filePath),
      splits: byRouter,
      idleTargetsMayBeMissing: splits.every((split) => split.dialect.weights.idleTargetsMayBeMissing),
    });
  }
  if (routerFiles.length === 0) return undefined;
  routerFiles.sort((a, b) => (a.entry?.line ?? Infinity) - (b.entry?.line ?? Infinity) || naturalOrder(a.path, b.path));

  const versionsByRouter = new Map<string, Set<string>>();
  for (const file of routerFiles) {
    for (const [router, targets] of file.splits) {
      const set = versionsByRouter.get(router) ?? new Set<string>();
      targets.forEach((t) => set.add(t.name));
      versionsByRouter.set(router, set);
    }
  }
  const versionFiles: VersionFile[] = [];
  /** Per version file: per version, which of its needs the file's objects meet. */
  const provided = new Map<VersionFile, Map<string, Set<number>>>();
  for (const [filePath, entry] of entryByPath) {
    if (splitsByFile.has(filePath)) continue;
    const objects = objectsByFile.get(filePath);
    if (!objects || objects.length === 0) continue;
    const met = new Map<string, Set<number>>();
    for (const [id, list] of needs) {
      list.forEach((need, index) => {
        if (objects.some((o) => need.satisfiedBy(o))) met.set(id, (met.get(id) ?? new Set()).add(index));
      });
    }
    if (met.size === 0) continue;
    const file: VersionFile = { path: filePath, entry, versions: [...met.keys()] };
    versionFiles.push(file);
    provided.set(file, met);
  }
  /** The versions whose every need the given version files meet together. */
  const runningWith = (files: readonly VersionFile[]): Set<string> => {
    const met = new Map<string, Set<number>>();
    for (const file of files) for (const [id, indexes] of provided.get(file) ?? []) indexes.forEach((i) => met.set(id, (met.get(id) ?? new Set()).add(i)));
    return new Set([...needs].filter(([id, list]) => list.length > 0 && met.get(id)?.size === list.length).map(([id]) => id));
  };

  const running = runningWith(versionFiles.filter((f) => f.entry.enabled));
  const enabledRouters = routerFiles.filter((f) => f.entry?.enabled);
  // A router whose routes name no version at all has no stage of its own.
  const services: ServiceStage[] = [...versionsByRouter]
    .filter(([, set]) => set.size > 0)
    .sort(([a], [b]) => naturalOrder(a, b))
    .map(([router, set]) => {
      const versions = [...set].sort(naturalOrder);
      const enabled = enabledRouters.length === 1 ? enabledRouters[0] : undefined;
      const [old, next] = generationsOf(versions, running, enabled?.splits.get(router));
      const split = enabled ? shares(enabled.splits.get(router), old, next) : undefined;
      // Targets that must run: an idle one the API lets name nothing is no broken stage.
      const targets = enabled?.splits.get(router)?.filter((t) => mustRun(enabled, t));
      const stopped = (targets ?? []).filter((t) => !running.has(t.name)).map((t) => t.name);
      const service: ServiceStage = {
        service: serviceNames.get(router) ?? router,
        router,
        versions,
        old,
        new: next,
        split,
        stage: undefined,
        stopped,
        problem: undefined,
        effective: undefined,
      };
      if (enabled && stopped.length > 0) {
        const where = (splitsByFile.get(enabled.path) ?? [])
          .filter((s) => s.object.name === router)
          .map((s) => s.dialect.dropsMissingTargets(s, workspace, read))
          .find((w) => w !== undefined);
        const live = enabled.splits.get(router)?.filter((t) => running.has(t.name));
        if (where) service.effective = { where, split: shares(live, old, next) };
      }
      service.stage = classify(service, running, targets);
      if (!service.stage && enabledRouters.length === 1 && stopped.length === 0) {
        const live = [old, next].filter((v) => running.has(v)).join(' and ') || 'no version';
        service.problem = `${service.service}: ${service.split ? `${service.split[0]}/${service.split[1]} with ${live} running` : 'no split between its versions'} is no stage`;
      }
      return service;
    });

  if (services.length === 0) return undefined;
  const allGenerations = sharedGenerations(services);
  if (allGenerations.length > 2) {
    // With more than two versions, the stage says which two it is between.
    for (const service of services) if (service.stage) Object.assign(service.stage, { from: generationOf(service.old), to: generationOf(service.new) });
  }
  const model: StageModel = {
    kustomization,
    needs,
    running,
    routerFiles,
    versionFiles,
    versionKinds,
    state: summarize(services, enabledRouters),
    generations: [commonGeneration(services.map((s) => s.old)) ?? 'old version', commonGeneration(services.map((s) => s.new)) ?? 'new version'],
    allGenerations,
  };
  runningCache.set(model, runningWith);
  objectsCache.set(model, objectsByFile);
  return model;
}

const objectsCache = new WeakMap<StageModel, Map<string, readonly ManifestObject[]>>();

/** For each model, which versions a set of its version files runs: planMove checks a move with it. */
const runningCache = new WeakMap<StageModel, (files: readonly VersionFile[]) => Set<string>>();

/**
 * The versions the enabled version files run: those whose every need they meet together (an Istio
 * subset's Service, DestinationRule subset and workload), not those of which a file meets one.
 */
export function runningVersions(model: StageModel): Set<string> {
  return runningCache.get(model)?.(model.versionFiles.filter((f) => f.entry.enabled)) ?? new Set();
}

/** The generations every service has, old to new ("v1", "v2", "v3"); empty when their versions do not share them. */
function sharedGenerations(services: ServiceStage[]): string[] {
  const sets = services.map((s) => s.versions.map(generationOf));
  const first = sets[0] ?? [];
  if (first.some((g, i) => first.indexOf(g) !== i) || sets.some((set) => set.length !== first.length || first.some((g) => !set.includes(g)))) return [];
  return [...first].sort(naturalOrder);
}

/**
 * Old and new version of a service: the two the enabled router sends traffic to; else the one it
 * sends traffic to with a running neighbour; else the two running ones, or the running one and its neighbour.
 */
function generationsOf(versions: string[], running: Set<string>, routed: { name: string; weight: number }[] | undefined): [string, string] {
  const weighted = versions.filter((v) => routed?.some((t) => t.name === v && t.weight > 0));
  if (weighted.length >= 2) return [weighted[0], weighted[weighted.length - 1]];
  if (weighted.length === 1) {
    const [only] = weighted;
    const index = versions.indexOf(only);
    const others = versions.filter((v) => v !== only && running.has(v));
    // The running version nearest to the routed one is the other end of the stage.
    const nearest = others.sort((a, b) => Math.abs(versions.indexOf(a) - index) - Math.abs(versions.indexOf(b) - index))[0];
    if (nearest !== undefined) return versions.indexOf(nearest) < index ? [nearest, only] : [only, nearest];
    if (!running.has(only)) return index + 1 < versions.length ? [only, versions[index + 1]] : [versions[Math.max(0, index - 1)], only];
  }
  const live = versions.filter((v) => running.has(v));
  if (live.length >= 2) return [live[0], live[live.length - 1]];
  if (live.length === 1) {
    const index = versions.indexOf(live[0]);
    if (index + 1 < versions.length) return [live[0], versions[index + 1]];
    return [versions[Math.max(0, index - 1)], live[0]];
  }
  return [versions[0], versions[Math.min(1, versions.length - 1)]];
}

function shares(targets: { name: string; weight: number }[] | undefined, old: string, next: string): [number, number] | undefined {
  if (!targets) return undefined;
  const total = targets.reduce((sum, t) => sum + t.weight, 0);
  if (total <= 0) return undefined;
  const weightOf = (name: string): number => targets.filter((t) => t.name === name).reduce((sum, t) => sum + t.weight, 0);
  const oldShare = (weightOf(old) / total) * 100;
  const newShare = (weightOf(next) / total) * 100;
  if (Math.abs(oldShare + newShare - 100) > 1e-9) return undefined;
  return [round(oldShare), round(newShare)];
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function classify(service: ServiceStage, running: Set<string>, targets: { name: string; weight: number }[] | undefined): StageTarget | undefined {
  if (!service.split || !targets) return undefined;
  // A router that names a version that is not running is a broken stage, whatever its weights.
  if (targets.some((t) => !running.has(t.name))) return undefined;
  const oldRuns = running.has(service.old);
  const newRuns = running.has(service.new) && service.new !== service.old;
  const newShare = service.split[1];
  if (oldRuns && !newRuns) return newShare === 0 ? { kind: 'blue' } : undefined;
  if (!oldRuns && newRuns) return newShare === 100 ? { kind: 'green-final' } : undefined;
  if (!oldRuns || !newRuns) return undefined;
  if (newShare === 0) return { kind: 'blue-green' };
  if (newShare === 100) return { kind: 'green' };
  return { kind: 'canary', percent: newShare };
}

export function sameStage(a: StageTarget | undefined, b: StageTarget | undefined): boolean {
  if (a === undefined || b === undefined || a.kind !== b.kind || (a.kind === 'canary' && a.percent !== b.percent)) return false;
  // Between which generations matters only when both say; blue runs only the old one, green final only the new one.
  if (a.from === undefined || b.from === undefined) return true;
  return (a.kind === 'green-final' || a.from === b.from) && (a.kind === 'blue' || a.to === b.to);
}

function summarize(services: ServiceStage[], enabledRouters: RouterFile[]): StageState {
  const splits = services.map((s) => `${s.service} ${s.split ? `${s.split[0]}/${s.split[1]}` : '?'}`).join(', ');
  const state = (stage: StageTarget | undefined, reason: string | undefined): StageState => ({
    stage,
    reason,
    services,
    label: stage ? `Stage: ${stageName(stage)} — ${splits}` : `Stage: unknown — ${reason}`,
  });
  if (enabledRouters.length === 0) return state(undefined, 'no router file is enabled');
  if (enabledRouters.length > 1) {
    return state(undefined, `${enabledRouters.length} router files are enabled (${enabledRouters.map((f) => path.basename(f.path)).join(', ')})`);
  }
  const first = services[0]?.stage;
  if (first && services.every((s) => sameStage(s.stage, first))) return state(first, undefined);
  const stopped = services.flatMap((s) => s.stopped);
  if (stopped.length > 0) {
    const dropped = services.filter((s) => s.stopped.length > 0 && s.effective);
    const inEffect = dropped.map(
      (s) => `${s.service} ${s.effective!.split ? s.effective!.split.join('/') : 'gets nothing'} in effect, not ${s.split ? s.split.join('/') : '?'}`,
    );
    const note = dropped.length > 0 ? `; ${dropped[0].effective!.where} leaves them out of the routes: ${inEffect.join(', ')}` : '';
    return state(
      undefined,
      `${path.basename(enabledRouters[0].path)} routes to ${stopped.join(', ')}, which ${stopped.length === 1 ? 'is' : 'are'} not running${note}`,
    );
  }
  const broken = services.filter((s) => s.problem);
  if (broken.length > 0) return state(undefined, broken.map((s) => s.problem).join('; '));
  const router = path.basename(enabledRouters[0].path);
  const moved = services.filter((s) => s.split && s.split[1] > 0).map((s) => s.service);
  const kept = services.filter((s) => s.split && s.split[1] === 0).map((s) => s.service);
  if (moved.length > 0 && kept.length > 0) {
    return state(undefined, `${router} moves ${moved.join(', ')} but not ${kept.join(', ')} (${splits})`);
  }
  return state(undefined, `services on different splits (${splits})`);
}

export function stageName(stage: StageTarget): string {
  const name = plainStageName(stage);
  if (stage.from === undefined || stage.to === undefined) return name;
  if (stage.kind === 'blue') return `${name} (${stage.from})`;
  if (stage.kind === 'green-final') return `${name} (${stage.to})`;
  return `${name} (${stage.from} → ${stage.to})`;
}

function plainStageName(stage: StageTarget): string {
  switch (stage.kind) {
    case 'blue':
      return 'blue';
    case 'blue-green':
      return 'blue/green';
    case 'canary':
      return `canary ${stage.percent} %`;
    case 'green':
      return 'green with rollback';
    case 'green-final':
      return 'green final';
  }
}

/** "v1" from metal-v1 or from reviews/v1 (a subset): what a version name says after its last dash or slash, or the whole name without one. */
export function generationOf(version: string): string {
  return version.slice(Math.max(version.lastIndexOf('-'), version.lastIndexOf('/')) + 1);
}

/** "v1" from metal-v1 and jazz-v1: the suffix all names share after a dash. */
function commonGeneration(names: string[]): string | undefined {
  if (names.length === 0) return undefined;
  const suffixes = names.map(generationOf);
  return suffixes.every((s) => s === suffixes[0]) && suffixes[0] !== names[0] ? suffixes[0] : undefined;
}

/** The title of a move, as lenses and the palette show it. */
export function moveTitle(model: StageModel, target: StageTarget): string {
  const old = target.from ?? model.generations[0];
  const next = target.to ?? model.generations[1];
  const current = model.state.stage;
  const pair = target.from !== undefined && target.to !== undefined ? ` (${old} → ${next})` : '';
  switch (target.kind) {
    case 'blue':
      return current && current.kind !== 'blue' && !pair ? 'Roll back to blue' : `Switch to blue (${old} only)`;
    case 'blue-green':
      return pair ? `Stage ${next} for testing (blue/green with ${old})` : `Stage ${next} for testing (blue/green)`;
    case 'canary':
      return `Switch to canary ${target.percent}%${pair}`;
    case 'green':
      return pair ? `Switch to green ${next} (keep ${old} for rollback)` : `Switch to green (keep ${old} for rollback)`;
    case 'green-final':
      return pair ? `Finalize green ${next} (remove ${old})` : `Finalize green (remove ${old})`;
  }
}

/** A service's old and new version for a target: the versions of its generations, or the service's current ones. */
function pairFor(service: ServiceStage, target: Pick<StageTarget, 'from' | 'to'>): [string, string] | undefined {
  if (target.from === undefined || target.to === undefined) return [service.old, service.new];
  const old = service.versions.find((v) => generationOf(v) === target.from);
  const next = service.versions.find((v) => generationOf(v) === target.to);
  return old !== undefined && next !== undefined ? [old, next] : undefined;
}

/** Every stage some router file of the directory makes reachable, in rollout order. */
export function reachableTargets(model: StageModel): StageTarget[] {
  const generations = model.allGenerations;
  if (generations.length <= 2) return targetsBetween(model, undefined);
  // Several versions: every pair of generations, the current one first; a move two pairs share is offered once.
  const current = model.state.services[0];
  const pairs: [string, string][] = current ? [[generationOf(current.old), generationOf(current.new)]] : [];
  generations.forEach((from, i) => generations.slice(i + 1).forEach((to) => pairs.push([from, to])));
  const seen = new Set<string>();
  const targets: StageTarget[] = [];
  for (const pair of pairs) {
    for (const target of targetsBetween(model, pair)) {
      const key = JSON.stringify(planMove(model, target)?.edits);
      if (seen.has(key)) continue;
      seen.add(key);
      targets.push(target);
    }
  }
  return targets;
}

/** The stages between two generations (the current old and new ones when undefined) that some router file makes reachable. */
function targetsBetween(model: StageModel, pair: [string, string] | undefined): StageTarget[] {
  const between = pair ? { from: pair[0], to: pair[1] } : {};
  const percents = new Set<number>();
  for (const file of model.routerFiles) {
    const newShares = model.state.services.map((s) => {
      const versions = pairFor(s, between);
      return versions && shares(file.splits.get(s.router), versions[0], versions[1])?.[1];
    });
    if (newShares.every((p) => p !== undefined && p > 0 && p < 100 && p === newShares[0])) percents.add(newShares[0]!);
  }
  const targets: StageTarget[] = [
    { kind: 'blue', ...between },
    { kind: 'blue-green', ...between },
    ...[...percents].sort((a, b) => a - b).map((percent) => ({ kind: 'canary' as const, percent, ...between })),
    { kind: 'green', ...between },
    { kind: 'green-final', ...between },
  ];
  return targets.filter((target) => planMove(model, target) !== undefined);
}

/**
 * The edits that take the kustomization to a stage, or undefined when no router file fits it.
 * The router enabled only targets versions that will run, so no move stops a version that still
 * gets traffic, and exactly one router file ends up enabled.
 */
export function planMove(model: StageModel, target: StageTarget): StageMove | undefined {
  const services = model.state.services;
  const pairs = new Map<ServiceStage, [string, string]>();
  for (const s of services) {
    const pair = pairFor(s, target);
    if (!pair || pair[0] === pair[1]) return undefined;
    pairs.set(s, pair);
  }
  const wanted = new Set<string>();
  for (const [old, next] of pairs.values()) {
    if (target.kind !== 'green-final') wanted.add(old);
    if (target.kind !== 'blue') wanted.add(next);
  }
  const newShare = target.kind === 'blue' || target.kind === 'blue-green' ? 0 : target.kind === 'canary' ? target.percent : 100;
  const fits = (file: RouterFile): boolean =>
    services.every((s) => {
      const targets = file.splits.get(s.router);
      const [old, next] = pairs.get(s)!;
      const split = shares(targets, old, next);
      return targets !== undefined && split !== undefined && split[1] === newShare && targets.every((t) => wanted.has(t.name) || !mustRun(file, t));
    });
  const candidates = model.routerFiles.filter(fits);
  const router = candidates.find((f) => f.entry?.enabled) ?? candidates.find((f) => f.entry) ?? candidates[0];
  if (!router) return undefined;
  // A version file is kept on when it provides some of what a wanted version needs (make before
  // break: a subset's DestinationRule and workloads come on with the router that sends it traffic);
  // a wanted version the enabled files cannot run makes the move impossible.
  const changes: { entry: KustomizationEntry; enable: boolean }[] = [];
  const enabled: VersionFile[] = [];
  for (const file of model.versionFiles) {
    const enable = file.versions.some((v) => wanted.has(v));
    if (enable) enabled.push(file);
    changes.push({ entry: file.entry, enable });
  }
  const runs = runningCache.get(model)?.(enabled);
  if (!runs || [...wanted].some((v) => !runs.has(v))) return undefined;
  for (const file of model.routerFiles) if (file.entry) changes.push({ entry: file.entry, enable: file === router });
  const edits = toggleEntries(model.kustomization, changes);
  if (!router.entry) {
    const dir = path.dirname(model.kustomization.path);
    const added = insertEntry(model.kustomization, 'resources', path.relative(dir, router.path).split(path.sep).join('/'));
    if (!added) return undefined;
    edits.push(added);
  }
  if (edits.length === 0) return undefined;
  return { target, title: moveTitle(model, target), routerFile: router.path, edits };
}

/**
 * Why no move takes the kustomization to a stage, for people: a version a service lacks, no router
 * file with that split, or what a version needs that no listed file provides (make before break).
 */
export function moveRefusal(model: StageModel, target: StageTarget): string {
  if (planMove(model, target)) return `${stageName(target)} is reachable`;
  const services = model.state.services;
  const wanted = new Set<string>();
  for (const s of services) {
    const pair = pairFor(s, target);
    if (!pair) return `${s.service} has no version ${[target.from, target.to].filter((g) => !s.versions.some((v) => generationOf(v) === g)).join(' or ')}`;
    if (target.kind !== 'green-final') wanted.add(pair[0]);
    if (target.kind !== 'blue') wanted.add(pair[1]);
  }
  const missing: string[] = [];
  for (const version of wanted) {
    for (const need of model.needs.get(version) ?? []) {
      if (!model.versionFiles.some((f) => f.versions.includes(version) && fileMeets(model, f, need))) missing.push(`${version} needs ${need.label}`);
    }
  }
  const where = path.basename(model.kustomization.path);
  if (missing.length > 0) return `no file listed in ${where} provides what ${[...wanted].join(' and ')} need to run (${missing.join('; ')})`;
  if (model.state.stage && sameStage(model.state.stage, target)) return `${where} is at ${stageName(target)} already`;
  return `no router file of ${path.basename(path.dirname(model.kustomization.path))} sends traffic for ${stageName(target)} while only ${[...wanted].join(' and ')} run`;
}

/** Whether a version file's objects meet a need. */
function fileMeets(model: StageModel, file: VersionFile, need: VersionNeed): boolean {
  return (objectsCache.get(model)?.get(file.path) ?? []).some((o) => need.satisfiedBy(o));
}

export interface RouterProposal {
  /** Path of the router file to create. */
  path: string;
  /** The router file it is made from. */
  template: string;
  text: string;
}

/**
 * A router file for a canary split no file has yet: a copy of a router file that targets both
 * versions of every service, with weights changed, named after the directory's pattern
 * (dj-mesh-router-v1-95-v2-5.yaml gives dj-mesh-router-v1-80-v2-20.yaml for 20 %).
 */
export function canaryRouterProposal(workspace: Workspace, model: StageModel, percent: number): RouterProposal | undefined {
  if (!Number.isInteger(percent) || percent <= 0 || percent >= 100) return undefined;
  const services = model.state.services;
  const bothTargeted = (file: RouterFile): boolean =>
    services.every((s) => {
      const names = (file.splits.get(s.router) ?? []).map((t) => t.name);
      return names.includes(s.old) && names.includes(s.new) && names.every((n) => n === s.old || n === s.new);
    });
  const template = model.routerFiles.find((f) => f.entry?.enabled && bothTargeted(f)) ?? model.routerFiles.find(bothTargeted);
  const file = template && workspace.file(template.path);
  if (!template || !file) return undefined;
  const oldByRouter = new Map(services.map((s) => [s.router, s.old]));
  const edits: TextEdit[] = [];
  for (const split of splitsOf(file)) {
    const old = oldByRouter.get(split.object.name);
    for (const route of split.routes) {
      for (const target of route.targets) {
        if (!target.weightRange) return undefined;
        edits.push({ range: target.weightRange, newText: String(versionIdOf(target) === old ? 100 - percent : percent) });
      }
    }
  }
  const text = applyEdits(file.text, edits, (p) => file.parsed.lines.offsetAt(p));
  const current = services[0] ? shares(template.splits.get(services[0].router), services[0].old, services[0].new) : undefined;
  const name = renamedForSplit(path.basename(template.path), current, [100 - percent, percent]);
  const target = path.join(path.dirname(template.path), name);
  if (workspace.kindOf(target) !== undefined) return undefined;
  return { path: target, template: template.path, text };
}

/** Replaces the split written in a file name (the last "95…5" pair of numbers) with another; else appends it. */
function renamedForSplit(name: string, from: [number, number] | undefined, to: [number, number]): string {
  const parts = name.split(/(\d+)/);
  if (from) {
    // split() with a capture group puts the numbers at odd indexes.
    for (let i = parts.length - 2; i >= 1; i -= 2) {
      if (parts[i] !== String(from[1])) continue;
      for (let j = i - 2; j >= 1; j -= 2) {
        if (parts[j] !== String(from[0])) continue;
        parts[j] = String(to[0]);
        parts[i] = String(to[1]);
        return parts.join('');
      }
    }
  }
  return name.replace(/(\.ya?ml)$/i, `-canary-${to[1]}$1`);
}
