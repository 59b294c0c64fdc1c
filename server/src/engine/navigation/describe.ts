import { ManifestObject } from '../manifest';
import { NavigationModel } from './model';

/** Words shared by hover, completion and symbols, so every feature says the same thing. */

export function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

/** "`kustomization.yaml`", "`a.yaml` and `b.yaml`", "`a`, `b` and `c`". */
export function listOf(paths: string[]): string {
  const quoted = paths.map(code);
  return quoted.length <= 1 ? (quoted[0] ?? '') : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/** "running in `kustomization.yaml`": the root builds that take an object in. */
export function runningIn(model: NavigationModel, roots: string[]): string {
  return `running in ${listOf(roots.map((r) => model.display(r)))}`;
}

/**
 * Why a file's objects do not run: "`a.yaml` is commented out in `kustomization.yaml`", "`a.yaml` is
 * not listed in any kustomization"…
 */
export function whyNotRunning(model: NavigationModel, filePath: string): string {
  const file = code(model.display(filePath));
  const entries = model.entriesNaming(filePath).filter((e) => isResourceField(e.entry.field));
  const enabled = entries.filter((e) => e.entry.enabled);
  if (enabled.length > 0) {
    return `${file} is listed in ${listOf(unique(enabled.map((e) => model.display(e.kustomization.path))))}, which no root kustomization builds`;
  }
  if (entries.length > 0) return `${file} is commented out in ${listOf(unique(entries.map((e) => model.display(e.kustomization.path))))}`;
  return `${file} is not listed in any kustomization`;
}

/** "running in `kustomization.yaml`" or "not running: `a.yaml` is commented out in `kustomization.yaml`". */
export function objectStateText(model: NavigationModel, object: ManifestObject): string {
  const state = model.objectState(object);
  return state.running ? runningIn(model, state.roots) : `not running: ${whyNotRunning(model, object.path)}`;
}

/** Fields whose entries bring objects into the build; the others (patches, crds…) are applied or read. */
export function isResourceField(field: string): boolean {
  return field === 'resources' || field === 'bases' || field === 'components';
}

export function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
