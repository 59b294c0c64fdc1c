import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeLens, CodeLensParams } from 'vscode-languageserver';
import { KustomizationStage, StageTarget } from '../engine';
import { ClientCommands, CommandResult, MoveStageArguments, ServerCommands, SetCanaryWeightArguments, StageInfo } from '../protocol';
import { ServerContext } from './context';
import { pathToUri, uriToPath } from './convert';
import { toWorkspaceEdit } from './workspaceEdit';

function stageInfo(context: ServerContext, stage: KustomizationStage): StageInfo {
  return {
    uri: pathToUri(stage.path),
    version: context.versionOf(stage.path),
    label: stage.label,
    stage: stage.stage ?? null,
    moves: stage.moves,
  };
}

/** Lenses on a kustomization: its stage (click for the rollout view, or why), then one per reachable move. */
export async function codeLenses(context: ServerContext, params: CodeLensParams): Promise<CodeLens[]> {
  await context.settled();
  const filePath = uriToPath(params.textDocument.uri);
  const stage = filePath ? context.service.stageOf(filePath) : undefined;
  if (!filePath) return [];
  // Clients with a rollout view open it from the stage; the others are told the stage in a message.
  const showStage = context.support.clientCommands.includes(ClientCommands.showRollout) ? ClientCommands.showRollout : ServerCommands.showStage;
  // A manifest gets one lens per route, saying where its traffic goes (a click shows its directory's stage).
  if (!stage || stage.path !== filePath) {
    return context.service.splitLenses(filePath).map((lens) => ({
      range: { start: { line: lens.line, character: 0 }, end: { line: lens.line, character: 0 } },
      command: { title: lens.title, command: showStage, arguments: [{ uri: params.textDocument.uri }] },
    }));
  }
  const range = { start: { line: stage.line, character: 0 }, end: { line: stage.line, character: 0 } };
  const info = stageInfo(context, stage);
  const moveLens = (move: { title: string; target: StageTarget }): CodeLens => ({
    range,
    command: {
      title: move.title,
      command: ServerCommands.moveStage,
      arguments: [{ uri: params.textDocument.uri, version: info.version, target: move.target } satisfies MoveStageArguments],
    },
  });
  const label: CodeLens = { range, command: { title: info.label, command: showStage, arguments: [{ uri: params.textDocument.uri }] } };
  // Every move on one line is cut off in a common window: where the client can list them (VS Code's
  // quick pick), the line holds the next move, the roll back and "More…"; other clients get them all.
  if (!context.support.clientCommands.includes(ClientCommands.showMoves)) return [label, ...info.moves.map(moveLens)];
  const shown = [stage.next, stage.rollBack].filter((m): m is NonNullable<typeof m> => m !== undefined);
  const more = info.moves.length > shown.length ? [{ range, command: { title: 'More…', command: ClientCommands.showMoves, arguments: [] } }] : [];
  return [label, ...shown.map(moveLens), ...more];
}

export async function stages(context: ServerContext, activeUri: string | undefined): Promise<StageInfo[]> {
  await context.settled();
  const active = activeUri ? uriToPath(activeUri) : undefined;
  const activeKustomization = active ? context.service.stageOf(active)?.path : undefined;
  const infos = context.service.stages().map((stage) => stageInfo(context, stage));
  const first = activeKustomization ? pathToUri(activeKustomization) : undefined;
  return infos.sort((a, b) => Number(b.uri === first) - Number(a.uri === first));
}

function refuse(message: string): CommandResult {
  return { status: 'refused', message };
}

/** Refuses arguments computed for another version of the document than the one open now. */
function staleness(context: ServerContext, filePath: string, version: number | null): CommandResult | undefined {
  const current = context.versionOf(filePath);
  if (version !== null && version !== current) {
    return refuse(`${path.basename(filePath)} changed since this move was offered; nothing was changed. Try again.`);
  }
  return undefined;
}

async function applyMove(context: ServerContext, stage: KustomizationStage, target: StageTarget): Promise<CommandResult> {
  const plan = context.service.planMove(stage.path, target);
  if (!plan) return refuse(`Not moved: ${context.service.moveRefusal(stage.path, target)}.`);
  const result = await context.connection.workspace.applyEdit({ label: plan.title, edit: toWorkspaceEdit(context, plan.changes) });
  return result.applied
    ? { status: 'applied', message: `${plan.title}: ${path.basename(plan.routerFile)} is the enabled router.` }
    : refuse(`The editor did not apply the move${result.failureReason ? `: ${result.failureReason}` : ''}.`);
}

export async function moveStage(context: ServerContext, args: MoveStageArguments): Promise<CommandResult> {
  const filePath = uriToPath(args.uri);
  if (!filePath) return refuse(`Not a file: ${args.uri}`);
  const stale = staleness(context, filePath, args.version);
  if (stale) return stale;
  await context.settled();
  const stage = context.service.stageOf(filePath);
  if (!stage) return refuse(`${path.basename(filePath)} has no rollout stages.`);
  return applyMove(context, stage, args.target);
}

export async function showStage(context: ServerContext, args: { uri: string }): Promise<CommandResult> {
  await context.settled();
  const filePath = uriToPath(args.uri);
  const stage = filePath ? context.service.stageOf(filePath) : undefined;
  const message = stage ? stage.label : 'No rollout stage here.';
  if (context.support.showMessage) void context.connection.window.showInformationMessage(message);
  return { status: 'applied', message };
}

/**
 * Switches to a canary split; when no router file has it, proposes one made from the current
 * router, and creates it on an explicit second call (`create`).
 */
export async function setCanaryWeight(context: ServerContext, args: SetCanaryWeightArguments): Promise<CommandResult> {
  const { service } = context;
  const filePath = uriToPath(args.uri);
  if (!filePath) return refuse(`Not a file: ${args.uri}`);
  const target = service.canaryTarget(args.percent);
  if (!target) return refuse('The canary weight must be a whole number from 0 to 100.');
  const stale = staleness(context, filePath, args.version);
  if (stale) return stale;
  await context.settled();
  const stage = service.stageOf(filePath);
  if (!stage) return refuse(`${path.basename(filePath)} has no rollout stages.`);
  if (service.planMove(stage.path, target)) return applyMove(context, stage, target);
  const proposal = service.canaryRouterProposal(stage.path, args.percent);
  if (!proposal) return refuse(`No router file sends ${args.percent} % to the new version, and none can serve as a template.`);
  const names = { file: path.basename(proposal.path), template: path.basename(proposal.template) };
  if (!args.create) return { status: 'missing', message: `No router file sends ${args.percent} % to the new version.`, proposal: names };
  // Written on the user's explicit request; the kustomization edit then goes through the editor.
  fs.writeFileSync(proposal.path, proposal.text, { flag: 'wx' });
  service.workspace.invalidate(proposal.path);
  const updated = service.stageOf(stage.path);
  return updated ? applyMove(context, updated, target) : refuse('The new router file could not be read back.');
}
