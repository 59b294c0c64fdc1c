import type { MeshService } from './service';
import { StageView } from './stageView';
import { stageName } from './stages';

/** One side of a diff: the rollouts and the errors of a tree at one revision. */
export interface DiffSide {
  views: StageView[];
  errors: DiffError[];
}

/** An error-severity diagnostic, as far as a diff compares it: lines move, so the line is only shown. */
export interface DiffError {
  path: string;
  /** 1-based. */
  line: number;
  code: string;
  message: string;
}

export interface ServiceDiff {
  name: string;
  /** "95/5", shares of `versions` in order; undefined when no router is enabled on that side. */
  before: string | undefined;
  after: string | undefined;
  /** The versions the splits are of, old to new: those with a share on either side. */
  versions: string[];
  started: string[];
  stopped: string[];
}

export interface KustomizationDiff {
  /** The kustomization file as of the newer side (the older side's for a removed one). */
  kustomization: string;
  change: 'added' | 'removed' | 'changed' | 'unchanged';
  renamedFrom: string | undefined;
  before: string | undefined;
  after: string | undefined;
  services: ServiceDiff[];
  /** One line: "canary 5 % → canary 95 %", "removed (metal 95/5)"; what the rollout view shows. */
  summary: string;
}

export interface TrafficDiff {
  kustomizations: KustomizationDiff[];
  introduced: DiffError[];
  fixed: DiffError[];
}

/**
 * A side of a diff from a checked service: every rollout and every error, at the rules' default
 * severities (the user's settings are not in a revision, so both sides are read alike); `only` keeps
 * one kustomization's rollout and the errors of its tree.
 */
export function diffSide(service: MeshService, only?: string): DiffSide {
  const files = only === undefined ? undefined : new Set(service.rolloutFiles(only));
  const own = only === undefined ? undefined : service.stageView(only);
  const views = only === undefined ? service.stageViews() : own ? [own] : [];
  const errors = [...service.check().diagnostics().values()]
    .flat()
    .filter((d) => d.severity === 'error' && (!files || files.has(d.path)))
    .map((d) => ({ path: d.path, line: d.range.start.line + 1, code: d.code, message: d.message }));
  return { views, errors };
}

function stageText(view: StageView): string {
  return view.stage ? stageName(view.stage) : 'no stage';
}

function shares(view: StageView | undefined, service: string): Map<string, number> | undefined {
  const s = view?.services.find((x) => x.name === service);
  if (!s || s.versions.every((v) => v.percent === undefined)) return undefined;
  return new Map(s.versions.map((v) => [v.name, v.percent ?? 0]));
}

function running(view: StageView | undefined, service: string): Set<string> {
  return new Set(view?.services.find((x) => x.name === service)?.versions.flatMap((v) => (v.running ? [v.name] : [])) ?? []);
}

function serviceDiff(name: string, before: StageView | undefined, after: StageView | undefined): ServiceDiff {
  const old = shares(before, name);
  const now = shares(after, name);
  const order = [...(before?.services.find((s) => s.name === name)?.versions ?? []), ...(after?.services.find((s) => s.name === name)?.versions ?? [])].map(
    (v) => v.name,
  );
  const versions = [...new Set(order)].filter((v) => (old?.get(v) ?? 0) > 0 || (now?.get(v) ?? 0) > 0);
  const split = (m: Map<string, number> | undefined): string | undefined => m && versions.map((v) => m.get(v) ?? 0).join('/');
  const wasRunning = running(before, name);
  const isRunning = running(after, name);
  return {
    name,
    before: split(old),
    after: split(now),
    versions,
    started: [...isRunning].filter((v) => !wasRunning.has(v)),
    stopped: [...wasRunning].filter((v) => !isRunning.has(v)),
  };
}

function carried(view: StageView): string {
  const parts = view.services.map((s) => {
    const d = serviceDiff(s.name, view, undefined);
    return d.before === undefined ? undefined : `${s.name} ${d.before}`;
  });
  return parts.filter((p) => p !== undefined).join(', ');
}

function kustomizationDiff(
  kustomization: string,
  renamedFrom: string | undefined,
  before: StageView | undefined,
  after: StageView | undefined,
): KustomizationDiff {
  const names = [...new Set([...(before?.services ?? []), ...(after?.services ?? [])].map((s) => s.name))].sort();
  const services = names.map((n) => serviceDiff(n, before, after));
  const moved = services.some((s) => s.before !== s.after || s.started.length > 0 || s.stopped.length > 0);
  const change = !before
    ? 'added'
    : !after
      ? 'removed'
      : moved || renamedFrom !== undefined || stageText(before) !== stageText(after)
        ? 'changed'
        : 'unchanged';
  const renamed = renamedFrom !== undefined ? `renamed from ${renamedFrom}` : undefined;
  let summary: string;
  if (!before) summary = `added: ${stageText(after!)}`;
  else if (!after) summary = `removed (${stageText(before)}${carried(before) ? `, carried ${carried(before)}` : ''})`;
  else if (stageText(before) !== stageText(after)) summary = `${stageText(before)} → ${stageText(after)}`;
  else if (moved) summary = `${stageText(after)}, traffic changed`;
  else summary = renamed ? stageText(after) : 'no traffic change';
  if (renamed) summary = `${renamed}: ${summary}`;
  return { kustomization, change, renamedFrom, before: before && stageText(before), after: after && stageText(after), services, summary };
}

/**
 * What a change does to traffic. Kustomizations are matched by path, a renamed one with its old path
 * (`renamedTo`: an old path → its new path, the file's or its directory's). Errors match by code, file
 * and message, since lines move with every edit.
 */
export function trafficDiff(before: DiffSide, after: DiffSide, renamedTo: (oldPath: string) => string | undefined = () => undefined): TrafficDiff {
  const newPath = (p: string): string => renamedTo(p) ?? p;
  const oldByNew = new Map(before.views.map((v) => [newPath(v.kustomization), v]));
  const afterByPath = new Map(after.views.map((v) => [v.kustomization, v]));
  const paths = [...new Set([...oldByNew.keys(), ...afterByPath.keys()])].sort();
  const kustomizations = paths.map((p) => {
    const old = oldByNew.get(p);
    const renamedFrom = old && old.kustomization !== p && afterByPath.has(p) ? old.kustomization : undefined;
    return kustomizationDiff(afterByPath.has(p) ? p : (old?.kustomization ?? p), renamedFrom, old, afterByPath.get(p));
  });
  const key = (e: DiffError, rename: boolean): string => `${e.code}\0${rename ? newPath(e.path) : e.path}\0${e.message}`;
  const beforeKeys = new Set(before.errors.map((e) => key(e, true)));
  const afterKeys = new Set(after.errors.map((e) => key(e, false)));
  return {
    kustomizations,
    introduced: after.errors.filter((e) => !beforeKeys.has(key(e, false))),
    fixed: before.errors.filter((e) => !afterKeys.has(key(e, true))),
  };
}

function serviceLine(s: ServiceDiff, k: KustomizationDiff): string | undefined {
  const parts: string[] = [];
  if (s.before !== s.after)
    parts.push(`${s.before ?? 'no router'} → ${s.after ?? 'no router'}${k.before !== k.after ? ` (${k.before ?? 'none'} → ${k.after ?? 'none'})` : ''}`);
  if (s.started.length > 0) parts.push(`started ${s.started.join(', ')}`);
  if (s.stopped.length > 0) parts.push(`stopped ${s.stopped.join(', ')}`);
  return parts.length > 0 ? `${s.name}: ${parts.join('; ')}` : undefined;
}

const errorText = (e: DiffError, relative: (p: string) => string): string => `${relative(e.path)}:${e.line} ${e.code} ${e.message}`;

/** The summary with the old path of a rename relative too. */
const summaryText = (k: KustomizationDiff, relative: (p: string) => string): string =>
  k.renamedFrom === undefined ? k.summary : k.summary.replace(k.renamedFrom, relative(k.renamedFrom));

/** The diff as text lines, paths relative to `relative`; unchanged kustomizations are left out. */
export function trafficDiffText(diff: TrafficDiff, relative: (p: string) => string): string[] {
  const changed = diff.kustomizations.filter((k) => k.change !== 'unchanged');
  const lines = changed.flatMap((k) => [
    `${relative(k.kustomization)}: ${summaryText(k, relative)}`,
    ...(k.change === 'changed' ? k.services.flatMap((s) => serviceLine(s, k) ?? []).map((l) => `  ${l}`) : []),
  ]);
  if (lines.length === 0) lines.push('No traffic change.');
  lines.push(...diff.introduced.map((e) => `introduces error: ${errorText(e, relative)}`), ...diff.fixed.map((e) => `fixes error: ${errorText(e, relative)}`));
  return lines;
}

/** The diff as markdown, for a pull-request comment. */
export function trafficDiffMarkdown(diff: TrafficDiff, relative: (p: string) => string): string[] {
  const changed = diff.kustomizations.filter((k) => k.change !== 'unchanged');
  const lines = ['### Traffic diff', ''];
  if (changed.length === 0) lines.push('No traffic change.', '');
  for (const k of changed) {
    lines.push(`**\`${relative(k.kustomization)}\`**: ${summaryText(k, relative)}`, '');
    const rows = k.change === 'changed' ? k.services.filter((s) => serviceLine(s, k) !== undefined) : [];
    if (rows.length > 0) {
      lines.push('| service | before | after | started | stopped |', '|---|---|---|---|---|');
      for (const s of rows) lines.push(`| ${s.name} | ${s.before ?? '—'} | ${s.after ?? '—'} | ${s.started.join(', ')} | ${s.stopped.join(', ')} |`);
      lines.push('');
    }
  }
  if (diff.introduced.length > 0) lines.push('**Errors introduced**', '', ...diff.introduced.map((e) => `- \`${errorText(e, relative)}\``), '');
  if (diff.fixed.length > 0) lines.push('**Errors fixed**', '', ...diff.fixed.map((e) => `- \`${errorText(e, relative)}\``), '');
  return lines;
}
