import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeLens, CodeLensParams } from 'vscode-languageserver';
import { Kustomization } from '../engine';
import { canaryRouterProposal, moveTitle, planMove, reachableTargets, StageModel, stageModel } from '../engine/stages';
import { CommandResult, MoveStageArguments, ServerCommands, SetCanaryWeightArguments, StageInfo, StageTarget } from '../protocol';
import { ServerContext } from './context';
import { pathToUri, uriToPath } from './convert';
import { toWorkspaceEdit } from './workspaceEdit';

/** The kustomization a file belongs to for stage purposes: itself, or the one of its directory. */
function stageOf(context: ServerContext, filePath: string): { kustomization: Kustomization; model: StageModel } | undefined {
  const workspace = context.workspace();
  const kustomizationPath = workspace.file(filePath)?.isKustomization ? filePath : workspace.kustomizationIn(path.dirname(filePath));
  const kustomization = kustomizationPath ? workspace.file(kustomizationPath)?.kustomization : undefined;
  const model = kustomization && stageModel(workspace, kustomization);
  return kustomization && model ? { kustomization, model } : undefined;
}

function stageInfo(context: ServerContext, model: StageModel): StageInfo {
  return {
    uri: pathToUri(model.kustomization.path),
    version: context.versionOf(model.kustomization.path),
    label: model.state.label,
    stage: model.state.stage ?? null,
    moves: reachableTargets(model).map((target) => ({ title: moveTitle(model, target), target })),
  };
}

/** Lenses on a kustomization: its stage (click for why), then one per reachable move. */
export async function codeLenses(context: ServerContext, params: CodeLensParams): Promise<CodeLens[]> {
  await context.settled();
  const filePath = uriToPath(params.textDocument.uri);
  if (!filePath || !context.workspace().file(filePath)?.isKustomization) return [];
  const found = stageOf(context, filePath);
  if (!found) return [];
  const { kustomization, model } = found;
  const line = kustomization.keys.get('resources')?.start.line ?? 0;
  const range = { start: { line, character: 0 }, end: { line, character: 0 } };
  const info = stageInfo(context, model);
  return [
    { range, command: { title: info.label, command: ServerCommands.showStage, arguments: [{ uri: params.textDocument.uri }] } },
    ...info.moves.map((move) => ({
      range,
      command: {
        title: move.title,
        command: ServerCommands.moveStage,
        arguments: [{ uri: params.textDocument.uri, version: info.version, target: move.target } satisfies MoveStageArguments],
      },
    })),
  ];
}

export async function stages(context: ServerContext, activeUri: string | undefined): Promise<StageInfo[]> {
  await context.settled();
  const workspace = context.workspace();
  const active = activeUri ? uriToPath(activeUri) : undefined;
  const activeKustomization = active ? stageOf(context, active)?.kustomization.path : undefined;
  const infos: StageInfo[] = [];
  for (const file of workspace.kustomizationFiles()) {
    const kustomization = workspace.file(file)?.kustomization;
    const model = kustomization && stageModel(workspace, kustomization);
    if (model) infos.push(stageInfo(context, model));
  }
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

async function applyMove(context: ServerContext, model: StageModel, target: StageTarget): Promise<CommandResult> {
  const plan = planMove(model, target);
  if (!plan) return refuse(`No router file of ${path.basename(path.dirname(model.kustomization.path))} takes it to that stage.`);
  const result = await context.connection.workspace.applyEdit({
    label: plan.title,
    edit: toWorkspaceEdit(context, [{ path: model.kustomization.path, edits: plan.edits }]),
  });
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
  const found = stageOf(context, filePath);
  if (!found) return refuse(`${path.basename(filePath)} has no rollout stages.`);
  return applyMove(context, found.model, args.target);
}

export async function showStage(context: ServerContext, args: { uri: string }): Promise<CommandResult> {
  await context.settled();
  const filePath = uriToPath(args.uri);
  const found = filePath ? stageOf(context, filePath) : undefined;
  const message = found ? found.model.state.label : 'No rollout stage here.';
  if (context.support.showMessage) void context.connection.window.showInformationMessage(message);
  return { status: 'applied', message };
}

/**
 * Switches to a canary split; when no router file has it, proposes one made from the current
 * router, and creates it on an explicit second call (`create`).
 */
export async function setCanaryWeight(context: ServerContext, args: SetCanaryWeightArguments): Promise<CommandResult> {
  const filePath = uriToPath(args.uri);
  if (!filePath) return refuse(`Not a file: ${args.uri}`);
  if (!Number.isInteger(args.percent) || args.percent < 0 || args.percent > 100) return refuse('The canary weight must be a whole number from 0 to 100.');
  const stale = staleness(context, filePath, args.version);
  if (stale) return stale;
  await context.settled();
  const found = stageOf(context, filePath);
  if (!found) return refuse(`${path.basename(filePath)} has no rollout stages.`);
  const target: StageTarget =
    args.percent === 0 ? { kind: 'blue-green' } : args.percent === 100 ? { kind: 'green' } : { kind: 'canary', percent: args.percent };
  if (planMove(found.model, target)) return applyMove(context, found.model, target);
  const proposal = canaryRouterProposal(context.workspace(), found.model, args.percent);
  if (!proposal) return refuse(`No router file sends ${args.percent} % to the new version, and none can serve as a template.`);
  const names = { file: path.basename(proposal.path), template: path.basename(proposal.template) };
  if (!args.create) return { status: 'missing', message: `No router file sends ${args.percent} % to the new version.`, proposal: names };
  // Written on the user's explicit request; the kustomization edit then goes through the editor.
  fs.writeFileSync(proposal.path, proposal.text, { flag: 'wx' });
  context.workspace().invalidate(proposal.path);
  const model = stageModel(context.workspace(), found.kustomization);
  return model ? applyMove(context, model, target) : refuse('The new router file could not be read back.');
}
