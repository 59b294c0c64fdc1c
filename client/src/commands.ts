import { commands, Disposable, window } from 'vscode';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';
import { CommandResult, ServerCommands, SetCanaryWeightArguments, StageInfo, StagesRequest, StageTarget } from '../../server/src/protocol';

/** The kustomization a command acts on: the active editor's, else the one the user picks. */
async function pickStage(client: LanguageClient): Promise<StageInfo | undefined> {
  const activeUri = window.activeTextEditor?.document.uri.toString();
  const stages = await client.sendRequest(StagesRequest, { activeUri });
  if (stages.length === 0) {
    void window.showInformationMessage('Mesh Kustomize: no kustomization with router files in this workspace.');
    return undefined;
  }
  if (stages.length === 1) return stages[0];
  const picked = await window.showQuickPick(
    stages.map((stage) => ({ label: client.protocol2CodeConverter.asUri(stage.uri).fsPath, description: stage.label, stage })),
    { placeHolder: 'Which kustomization?' },
  );
  return picked?.stage;
}

async function report(result: CommandResult | undefined): Promise<void> {
  if (!result) return;
  if (result.status === 'applied') void window.setStatusBarMessage(`Mesh Kustomize: ${result.message}`, 5000);
  else void window.showWarningMessage(`Mesh Kustomize: ${result.message}`);
}

function run(client: LanguageClient, command: string, args: unknown): Promise<CommandResult | undefined> {
  return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args] }) as Promise<CommandResult | undefined>;
}

/** A palette command that moves the chosen kustomization to a stage. */
function moveTo(client: LanguageClient, target: StageTarget): () => Promise<void> {
  return async () => {
    const stage = await pickStage(client);
    if (stage) await report(await run(client, ServerCommands.moveStage, { uri: stage.uri, version: stage.version, target }));
  };
}

function setCanaryWeight(client: LanguageClient): () => Promise<void> {
  return async () => {
    const stage = await pickStage(client);
    if (!stage) return;
    const answer = await window.showInputBox({
      prompt: 'Share of traffic for the new version, in percent',
      placeHolder: '0–100',
      validateInput: (value) => (/^\d+$/.test(value.trim()) && Number(value) <= 100 ? undefined : 'A whole number from 0 to 100'),
    });
    if (answer === undefined) return;
    const args: SetCanaryWeightArguments = { uri: stage.uri, version: stage.version, percent: Number(answer), create: false };
    const result = await run(client, ServerCommands.setCanaryWeight, args);
    if (result?.status === 'missing' && result.proposal) {
      const create = `Create ${result.proposal.file}`;
      const choice = await window.showInformationMessage(`${result.message} Create ${result.proposal.file} from ${result.proposal.template}?`, create);
      if (choice === create) await report(await run(client, ServerCommands.setCanaryWeight, { ...args, create: true }));
      return;
    }
    await report(result);
  };
}

/** The moves of the active kustomization, offered in a quick pick (the status bar item opens it). */
function showMoves(client: LanguageClient): () => Promise<void> {
  return async () => {
    const stage = await pickStage(client);
    if (!stage) return;
    const picked = await window.showQuickPick(
      stage.moves.map((move) => ({ label: move.title, move })),
      { placeHolder: stage.label },
    );
    if (picked) await report(await run(client, ServerCommands.moveStage, { uri: stage.uri, version: stage.version, target: picked.move.target }));
  };
}

/** Palette commands, contributed in package.json under the category "Mesh Kustomize". */
export function registerCommands(client: LanguageClient): Disposable[] {
  const factories: Record<string, () => Promise<void>> = {
    'meshKustomize.switchToBlue': moveTo(client, { kind: 'blue' }),
    'meshKustomize.stageForTesting': moveTo(client, { kind: 'blue-green' }),
    'meshKustomize.switchToCanary5': moveTo(client, { kind: 'canary', percent: 5 }),
    'meshKustomize.switchToCanary95': moveTo(client, { kind: 'canary', percent: 95 }),
    'meshKustomize.switchToGreen': moveTo(client, { kind: 'green' }),
    'meshKustomize.finalizeGreen': moveTo(client, { kind: 'green-final' }),
    'meshKustomize.rollBack': moveTo(client, { kind: 'blue' }),
    'meshKustomize.setCanaryWeight': setCanaryWeight(client),
    'meshKustomize.showStageMoves': showMoves(client),
  };
  return Object.entries(factories).map(([id, handler]) => commands.registerCommand(id, handler));
}
