import { reachableTargets, sameStage, StageModel, StageTarget, stageName } from './stages';

/** One kustomization's rollout as people look at it: what the rollout view, `mesh-kustomize stage` and any client show. */
export interface StageView {
  kustomization: string;
  /** "Stage: canary 5 % — jazz 95/5, metal 95/5" */
  label: string;
  stage: StageTarget | undefined;
  /** Why no stage applies, when none does. */
  reason: string | undefined;
  /** The rollout path, blue to green final with the canary splits the router files offer; the current stage marked. */
  path: { name: string; current: boolean }[];
  services: ServiceView[];
  moves: { title: string; target: StageTarget }[];
  /** The title of the next move on the rollout path, and of the roll back, among `moves`. */
  next: string | undefined;
  rollBack: string | undefined;
}

export interface ServiceView {
  name: string;
  /** Every version some router file targets, old to new, whether it runs, and its share under the enabled router. */
  versions: { name: string; running: boolean; percent: number | undefined }[];
  /** Versions the enabled router sends traffic to that do not run. */
  stopped: string[];
}

const KINDS: StageTarget['kind'][] = ['blue', 'blue-green', 'canary', 'green', 'green-final'];

type Move = { title: string; target: StageTarget };

export function stageView(model: StageModel, moves: Move[], pathMoves: { next: Move | undefined; rollBack: Move | undefined }): StageView {
  const { state } = model;
  const canaries = [
    ...new Set([...reachableTargets(model), ...(state.stage ? [state.stage] : [])].flatMap((t) => (t.kind === 'canary' ? [t.percent!] : []))),
  ].sort((a, b) => a - b);
  const steps = KINDS.flatMap((kind): StageTarget[] => (kind === 'canary' ? canaries.map((percent) => ({ kind, percent })) : [{ kind }]));
  const current = state.stage && { kind: state.stage.kind, percent: state.stage.percent };
  return {
    kustomization: model.kustomization.path,
    label: state.label,
    stage: state.stage,
    reason: state.reason,
    path: steps.map((step) => ({ name: stageName(step), current: current !== undefined && sameStage(step, current) })),
    services: state.services.map((s) => ({
      name: s.service,
      versions: s.versions.map((name) => ({
        name,
        running: model.running.has(name),
        percent: s.split ? (name === s.old ? s.split[0] : name === s.new ? s.split[1] : 0) : undefined,
      })),
      stopped: s.stopped,
    })),
    moves,
    next: pathMoves.next?.title,
    rollBack: pathMoves.rollBack?.title,
  };
}

/** A share as a bar of 20 cells, for text: "███████████████████░ 95 %". */
function bar(percent: number): string {
  const filled = Math.round(percent / 5);
  return `${'█'.repeat(filled)}${'░'.repeat(20 - filled)} ${`${percent} %`.padStart(7)}`;
}

/** The view as text lines, paths relative to `relative`. */
export function stageViewText(view: StageView, relative: (p: string) => string): string[] {
  const width = Math.max(...view.services.map((s) => s.name.length), 4);
  const versionWidth = Math.max(...view.services.flatMap((s) => s.versions.map((v) => v.name.length)), 4);
  return [
    `${relative(view.kustomization)}: ${view.label}`,
    `  path: ${view.path.map((p) => (p.current ? `[${p.name}]` : p.name)).join(' → ')}`,
    ...view.services.flatMap((s) =>
      s.versions.map(
        (v, i) =>
          `  ${(i === 0 ? s.name : '').padEnd(width)}  ${v.name.padEnd(versionWidth)}  ${v.percent === undefined ? 'no router enabled' : bar(v.percent)}  ${v.running ? 'running' : s.stopped.includes(v.name) ? 'NOT RUNNING, routed' : 'not running'}`,
      ),
    ),
    `  moves: ${view.moves.map((m) => m.title).join(' · ') || 'none'}`,
  ];
}

/** The view as markdown, for a pull-request comment. */
export function stageViewMarkdown(view: StageView, relative: (p: string) => string): string[] {
  return [
    `### \`${relative(view.kustomization)}\`: ${view.label.replace(/^Stage: /, '')}`,
    '',
    view.path.map((p) => (p.current ? `**${p.name}**` : p.name)).join(' → '),
    '',
    '| service | version | share | runs |',
    '|---|---|---|---|',
    ...view.services.flatMap((s) =>
      s.versions.map(
        (v, i) =>
          `| ${i === 0 ? s.name : ''} | ${v.name} | ${v.percent === undefined ? '—' : `${v.percent} %`} | ${v.running ? 'yes' : s.stopped.includes(v.name) ? '**no, routed**' : 'no'} |`,
      ),
    ),
    '',
    `Moves: ${view.moves.map((m) => m.title).join(' · ') || 'none'}`,
    '',
  ];
}
