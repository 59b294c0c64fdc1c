import * as path from 'node:path';
import { listNames } from '../fixes';
import { generationOf, naturalOrder, RouterFile, sameStage, StageModel, stageModel, stageName } from '../stages';
import { Range } from '../text';
import { formatPercent, inRange, TrafficSplit, VersionRef, versionIdOf } from '../traffic';
import { BuildRule, Finding } from './rule';

/** Where one router of a router file sends its service's traffic, by generation ("v1", "v2"). */
interface RouterPosition {
  split: TrafficSplit;
  /** Every version some router file of the directory targets through this router, in natural order (filled when needed). */
  versions: string[];
  /** Targets with weight, and their shares in percent. */
  served: { target: VersionRef; percent: number }[];
  /** The generations that get traffic, sorted: what routers must agree on. */
  generations: string[];
  key: string;
}

/** Why the expected position is the expected one. */
type Verdict = { by: 'name'; named: string[] } | { by: 'majority' } | { by: 'first' };

/** The router that disagrees, and the target names that would make it agree (when one generation does). */
interface DisagreeData {
  router: string;
  renames: { range: Range; name: string }[] | undefined;
}

export const routersDisagreeOnStage: BuildRule<DisagreeData> = {
  code: 'routers-disagree-on-stage',
  scope: 'build',
  defaultSeverity: 'warning',
  summary: 'The routers of one router file send traffic to different generations (metal all to v2, jazz all to v1): most likely a copy-paste slip.',
  check(analysis) {
    // The router files a user chooses between; what their routers target is gathered only when needed.
    const byFile = new Map<string, TrafficSplit[]>();
    for (const split of analysis.localSplits) {
      const list = byFile.get(split.object.path);
      if (list) list.push(split);
      else byFile.set(split.object.path, [split]);
    }
    let versionsByRouter: Map<string, Set<string>> | undefined;
    const versionsOf = (split: TrafficSplit): string[] => {
      if (!versionsByRouter) {
        versionsByRouter = new Map();
        for (const other of analysis.localSplits) {
          const key = routerKey(other);
          const versions = versionsByRouter.get(key) ?? new Set<string>();
          for (const route of other.routes) route.targets.forEach((t) => versions.add(versionIdOf(t)));
          versionsByRouter.set(key, versions);
        }
      }
      return [...(versionsByRouter.get(routerKey(split)) ?? [])].sort(naturalOrder);
    };
    // A version of a generation: one some router file targets, or a running node named like the others.
    const versionOf = ({ versions, split }: RouterPosition, generation: string): string | undefined => {
      const targeted = versions.find((v) => generationOf(v) === generation);
      if (targeted) return targeted;
      const prefixes = new Set(versions.map((v) => v.slice(0, v.length - generationOf(v).length)));
      const [prefix] = prefixes;
      if (prefixes.size !== 1 || !prefix) return undefined;
      return analysis.isRunning(split.versionKind, prefix + generation, '') ? prefix + generation : undefined;
    };
    // The stage model names stages; it is built only for a file whose routers disagree.
    const modelOf = (filePath: string): { model: StageModel; routerFile: RouterFile } | undefined => {
      for (const kustomization of analysis.kustomizations) {
        const model = stageModel(analysis.workspace, kustomization);
        const routerFile = model?.routerFiles.find((f) => f.path === filePath);
        if (model && routerFile) return { model, routerFile };
      }
      return undefined;
    };
    const findings: Finding<DisagreeData>[] = [];
    for (const [filePath, splits] of byFile) {
      if (splits.length < 2) continue;
      const positions = splits.flatMap((split) => positionOf(split) ?? []);
      // Most files agree: nothing more to compute.
      if (positions.every((p) => p.key === positions[0].key)) continue;
      for (const position of positions) position.versions = versionsOf(position.split);
      findings.push(...checkRouterFile(filePath, positions, versionOf, modelOf, this.code));
    }
    return findings;
  },
  fixes(finding) {
    const renames = finding.data?.renames;
    if (!finding.data || !renames || renames.length === 0) return [];
    return [
      {
        title: `Send ${finding.data.router}'s traffic to ${listNames([...new Set(renames.map((r) => r.name))])}`,
        isPreferred: true,
        changes: [{ path: finding.path, edits: renames.map((r) => ({ range: r.range, newText: r.name })) }],
      },
    ];
  },
};

/** Routers of the same kind and name in one directory are one router in different stages. */
function routerKey(split: TrafficSplit): string {
  return `${path.dirname(split.object.path)}\0${split.object.kind}\0${split.object.name}`;
}

type VersionOf = (position: RouterPosition, generation: string) => string | undefined;
type ModelOf = (filePath: string) => { model: StageModel; routerFile: RouterFile } | undefined;

function checkRouterFile(filePath: string, all: RouterPosition[], versionOf: VersionOf, modelOf: ModelOf, code: string): Finding<DisagreeData>[] {
  // Only routers whose service has versions of two of the generations here could be set otherwise.
  const generationsHere = [...new Set(all.flatMap((p) => p.generations))];
  const positions = all.filter((p) => generationsHere.filter((g) => versionOf(p, g) !== undefined).length >= 2);
  const keys = new Set(positions.map((p) => p.key));
  if (keys.size < 2) return [];
  const groups = new Map<string, RouterPosition[]>();
  for (const position of positions) groups.set(position.key, [...(groups.get(position.key) ?? []), position]);
  const { key: expected, verdict } = expectedPosition(filePath, positions, groups);
  const modelled = modelOf(filePath);
  const agreeing = groups.get(expected)!;
  const generations = agreeing[0].generations;
  const findings: Finding<DisagreeData>[] = [];
  for (const odd of positions) {
    if (odd.key === expected) continue;
    // Only a router whose service has the generations the others send to can be set like them.
    if (!generations.every((g) => versionOf(odd, g) !== undefined)) continue;
    const offTarget = odd.served.find((s) => !generations.includes(generationOf(versionIdOf(s.target))));
    const range = offTarget?.target.subset?.range ?? offTarget?.target.nameRange ?? odd.split.routes[0].targetsRange;
    findings.push({
      code,
      path: filePath,
      range,
      message: `${odd.split.object.kind} ${odd.split.object.name} sends ${trafficOf(odd)}, but ${reasonOf(verdict, filePath, agreeing)} ${stageOf(agreeing, modelled)}: a copy-paste slip?`,
      related: agreeing.map((p) => ({
        path: filePath,
        range: p.served[0].target.nameRange,
        message: `${p.split.object.name} sends ${trafficOf(p)}`,
      })),
      data: { router: odd.split.object.name, renames: generations.length === 1 ? renamesFor(odd, versionOf(odd, generations[0])!) : undefined },
    });
  }
  return findings;
}

/** The position of a router whose weights are all literal and send traffic somewhere; undefined otherwise. */
function positionOf(split: TrafficSplit): RouterPosition | undefined {
  const targets = split.routes.flatMap((route) => route.targets);
  // Placeholders and weights outside the API's range leave the split unknown (weight-out-of-range says why).
  if (targets.length === 0 || targets.some((t) => t.weight === undefined || !inRange(split, t.weight))) return undefined;
  const total = targets.reduce((sum, t) => sum + t.weight!, 0);
  if (total <= 0) return undefined;
  const served = targets.filter((t) => t.weight! > 0).map((target) => ({ target, percent: (target.weight! / total) * 100 }));
  const generations = [...new Set(served.map((s) => generationOf(versionIdOf(s.target))))].sort();
  return { split, versions: [], served, generations, key: generations.join('\n') };
}

/**
 * The position the file means: the one its name states ("…-v2.yaml", "…-v1-95-v2-5.yaml"), since a
 * copied file is renamed first and edited after; else the one most of its routers hold; else that of
 * its first router, since a copy is edited from the top and the routers left behind come later.
 */
function expectedPosition(filePath: string, positions: RouterPosition[], groups: Map<string, RouterPosition[]>): { key: string; verdict: Verdict } {
  const known = new Set(positions.flatMap((p) => p.versions.map(generationOf)).filter((g) => !/^\d+$/.test(g)));
  const tokens = path
    .basename(filePath)
    .replace(/\.ya?ml$/i, '')
    .split(/[^A-Za-z0-9]+/);
  const named: string[] = [];
  tokens.forEach((token, i) => {
    const weight = /^\d+$/.test(tokens[i + 1] ?? '') ? Number(tokens[i + 1]) : undefined;
    if (known.has(token) && weight !== 0 && !named.includes(token)) named.push(token);
  });
  const nameKey = [...named].sort().join('\n');
  if (named.length > 0 && groups.has(nameKey)) return { key: nameKey, verdict: { by: 'name', named } };
  const sizes = [...groups].map(([key, group]) => ({ key, size: group.length })).sort((a, b) => b.size - a.size);
  if (sizes[0].size > sizes[1].size) return { key: sizes[0].key, verdict: { by: 'majority' } };
  return { key: positions[0].key, verdict: { by: 'first' } };
}

/** "all its traffic to jazz-v1", "jazz-v1 95 % / jazz-v2 5 %" */
function trafficOf(position: RouterPosition): string {
  if (position.served.length === 1) return `all its traffic to ${versionIdOf(position.served[0].target)}`;
  return position.served.map((s) => `${versionIdOf(s.target)} ${formatPercent(s.percent)} %`).join(' / ');
}

function reasonOf(verdict: Verdict, filePath: string, agreeing: RouterPosition[]): string {
  const names = agreeing.map((p) => p.split.object.name);
  const verb = names.length === 1 ? 'sets' : 'set';
  const file = path.basename(filePath);
  switch (verdict.by) {
    case 'name':
      return `${file} is named for ${listNames(verdict.named)} and ${listNames(names)} ${verb}`;
    case 'majority':
      return `the other routers of ${file}, ${listNames(names)}, ${verb}`;
    case 'first':
      return `${names[0]}, the first router of ${file}, ${verb}`;
  }
}

/**
 * The stage the agreeing routers set, named as the stage model names it: the stage itself when the
 * file is the enabled one and their services are all in it ("green final"), else from the traffic
 * (blue: all to the old generation, green: all to the new, canary N %), with where it goes.
 */
function stageOf(agreeing: RouterPosition[], modelled: ReturnType<ModelOf>): string {
  const generations = agreeing[0].generations;
  const where = generations.length === 1 ? `all traffic to ${generations[0]}` : `traffic split between ${listNames(generations)}`;
  if (!modelled) return where;
  const { model, routerFile } = modelled;
  const stages = agreeing.map((p) => model.state.services.find((s) => s.router === p.split.object.name)?.stage);
  if (routerFile.entry?.enabled && stages[0] && stages.every((s) => sameStage(s, stages[0]))) return `${stageName(stages[0]!)} (${where})`;
  const [old, next] = model.generations;
  if (generations.length === 1 && generations[0] === old) return `blue (${where})`;
  if (generations.length === 1 && generations[0] === next) return `green (${where})`;
  if (generations.length === 2 && generations.includes(old) && generations.includes(next)) {
    const shares = agreeing.map((p) =>
      formatPercent(p.served.filter((s) => generationOf(versionIdOf(s.target)) === next).reduce((sum, s) => sum + s.percent, 0)),
    );
    return shares.every((s) => s === shares[0]) ? `canary ${shares[0]} % (${where})` : `a canary (${where})`;
  }
  return where;
}

/**
 * The renames that set the odd router like the others when they send everything to one generation:
 * in each route, its one target with weight becomes its service's version of that generation.
 */
function renamesFor(odd: RouterPosition, version: string): { range: Range; name: string }[] | undefined {
  const renames: { range: Range; name: string }[] = [];
  for (const route of odd.split.routes) {
    const served = route.targets.filter((t) => (t.weight ?? 0) > 0);
    if (served.length === 0) continue;
    if (served.length > 1 || route.targets.some((t) => t !== served[0] && versionIdOf(t) === version)) return undefined;
    const [target] = served;
    if (versionIdOf(target) === version) continue;
    // A subset target keeps its object and changes its subset ("reviews/v2" → subset v2).
    if (target.subset) {
      const slash = version.lastIndexOf('/');
      if (slash < 0 || version.slice(0, slash) !== target.name) return undefined;
      renames.push({ range: target.subset.range, name: version.slice(slash + 1) });
    } else renames.push({ range: target.nameRange, name: version });
  }
  return renames.length > 0 ? renames : undefined;
}
