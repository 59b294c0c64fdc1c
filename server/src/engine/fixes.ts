import * as path from 'node:path';
import { TextEdit, toggleEntries } from './edits';
import { Kustomization, KustomizationEntry } from './kustomization';
import { ManifestObject } from './manifest';
import { Range } from './text';
import { mustRun, RouterFile, runningVersions, stageModel } from './stages';
import { Workspace } from './workspace';

/** Edits to one file. */
export interface FileEdit {
  path: string;
  edits: TextEdit[];
}

/** A quick fix for one diagnostic. */
export interface CodeFix {
  title: string;
  /** The fix a user almost always wants; editors apply it with one key. */
  isPreferred?: boolean;
  /** Applied by "fix all": it cannot change where traffic goes. */
  safe?: boolean;
  changes: FileEdit[];
}

/** What a rule's fixes may ask: the workspace, as validated. */
export interface FixContext {
  workspace: Workspace;
}

export function kustomizationAt(workspace: Workspace, filePath: string | undefined): Kustomization | undefined {
  return filePath === undefined ? undefined : workspace.file(filePath)?.kustomization;
}

export function entryOnLine(kustomization: Kustomization, line: number): KustomizationEntry | undefined {
  return kustomization.entries.find((e) => e.line === line);
}

export function replace(range: Range, newText: string): TextEdit {
  return { range, newText };
}

/** Names of files for titles: "a.yaml and b.yaml", "a.yaml, b.yaml and c.yaml". */
export function listNames(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** "Enable a.yaml and b.yaml": uncomments the entries, and nothing else. */
export function enableEntriesFix(kustomization: Kustomization, entries: KustomizationEntry[]): CodeFix {
  return {
    title: `Enable ${listNames(entries.map((e) => e.value))}`,
    changes: [
      {
        path: kustomization.path,
        edits: toggleEntries(
          kustomization,
          entries.map((entry) => ({ entry, enable: true })),
        ),
      },
    ],
  };
}

/** Disabled entries of a kustomization whose files define every one of the named objects, or undefined. */
export function entriesDefining(workspace: Workspace, kustomization: Kustomization, kind: string, names: string[]): KustomizationEntry[] | undefined {
  return entriesWith(workspace, kustomization, names, (object, name) => object.kind === kind && object.name === name);
}

/** The commented-out entries whose files define the versions of those names, objects of the kinds routers name. */
export function entriesDefiningVersions(
  workspace: Workspace,
  kustomization: Kustomization,
  kinds: ReadonlySet<string>,
  names: string[],
): KustomizationEntry[] | undefined {
  return entriesWith(workspace, kustomization, names, (object, name) => object.name === name && kinds.has(object.kind));
}

function entriesWith(
  workspace: Workspace,
  kustomization: Kustomization,
  names: string[],
  defines: (object: ManifestObject, name: string) => boolean,
): KustomizationEntry[] | undefined {
  const dir = path.dirname(kustomization.path);
  const chosen: KustomizationEntry[] = [];
  for (const name of names) {
    const entry = kustomization.entries.find((e) => !e.enabled && workspace.file(path.resolve(dir, e.value))?.objects.some((o) => defines(o, name)));
    if (!entry) return undefined;
    if (!chosen.includes(entry)) chosen.push(entry);
  }
  return chosen;
}

/**
 * "Switch router to X": router files of the kustomization's directory whose targets all
 * run now; enabling one turns the other router entries off, so exactly one stays enabled.
 */
export function routerFileFixes(workspace: Workspace, kustomization: Kustomization): CodeFix[] {
  const model = stageModel(workspace, kustomization);
  if (!model) return [];
  const running = runningVersions(model);
  return model.routerFiles
    .filter((file) => file.entry && !file.entry.enabled)
    .filter((file) => [...file.splits.values()].every((targets) => targets.length > 0 && targets.every((t) => running.has(t.name) || !mustRun(file, t))))
    .map((file) => ({
      title: `Switch router to ${path.basename(file.path)}`,
      changes: [
        {
          path: kustomization.path,
          edits: toggleEntries(
            kustomization,
            model.routerFiles.filter((f) => f.entry).map((f) => ({ entry: f.entry!, enable: f === file })),
          ),
        },
      ],
    }));
}

/**
 * "Enable X" for each router file of the kustomization's directory, commented out, that defines the
 * routers named (those defining all of them when some do): with the version files its targets need
 * when they are not running ("Enable X with a.yaml"), and with the enabled router files that define
 * the same routers turned off. Preferred: the one whose targets all run that sends the most traffic
 * to the old version (blue/green before canary before green), since turning a router on starts
 * traffic and the least move is the safest. With `sendingTo`, only router files that give that
 * version traffic.
 */
export function enableRouterFixes(workspace: Workspace, kustomization: Kustomization, routers: string[], sendingTo?: string): CodeFix[] {
  const model = stageModel(workspace, kustomization);
  if (!model || routers.length === 0) return [];
  const sends = (file: RouterFile): boolean =>
    sendingTo === undefined || [...file.splits.values()].some((targets) => targets.some((t) => t.name === sendingTo && t.weight > 0));
  const disabled = model.routerFiles.filter((file) => file.entry && !file.entry.enabled && sends(file));
  const complete = disabled.filter((file) => routers.every((r) => file.splits.has(r)));
  const candidates = complete.length > 0 ? complete : disabled.filter((file) => routers.some((r) => file.splits.has(r)));
  const running = runningVersions(model);
  const oldShare = (file: RouterFile): number =>
    model.state.services.reduce((sum, s) => {
      const targets = file.splits.get(s.router) ?? [];
      const total = targets.reduce((t, x) => t + x.weight, 0);
      return sum + (total > 0 ? targets.filter((t) => t.name === s.old).reduce((t, x) => t + x.weight, 0) / total : 0);
    }, 0);
  const planned = candidates.flatMap((file) => {
    const missing = [
      ...new Set([...file.splits.values()].flatMap((targets) => targets.filter((t) => mustRun(file, t) && !running.has(t.name)).map((t) => t.name))),
    ];
    const versionEntries = missing.length === 0 ? [] : entriesDefiningVersions(workspace, kustomization, model.versionKinds, missing);
    if (!versionEntries) return [];
    const clashing = model.routerFiles.filter((f) => f !== file && f.entry?.enabled && [...f.splits.keys()].some((r) => file.splits.has(r)));
    const changes = [
      { entry: file.entry!, enable: true },
      ...clashing.map((f) => ({ entry: f.entry!, enable: false })),
      ...versionEntries.map((entry) => ({ entry, enable: true })),
    ];
    const name = path.basename(file.path);
    const title = versionEntries.length === 0 ? `Enable ${name}` : `Enable ${name} with ${listNames(versionEntries.map((e) => e.value))}`;
    const fix: CodeFix = { title, changes: [{ path: kustomization.path, edits: toggleEntries(kustomization, changes) }] };
    return [{ fix, runs: versionEntries.length === 0, oldShare: oldShare(file) }];
  });
  // Files whose targets all run first, most traffic to the old version first; listing order otherwise.
  const ranked = planned
    .map((plan, index) => ({ ...plan, index }))
    .sort((a, b) => Number(b.runs) - Number(a.runs) || (a.runs ? b.oldShare - a.oldShare : 0) || a.index - b.index);
  if (ranked[0]?.runs) ranked[0].fix.isPreferred = true;
  return ranked.map((plan) => plan.fix);
}
