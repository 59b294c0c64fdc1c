import { commands, Disposable, ViewColumn, window, workspace } from 'vscode';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';
import {
  ClientCommands,
  CommandResult,
  MigrateArguments,
  MigrationTarget,
  ServerCommands,
  SetCanaryWeightArguments,
  StageInfo,
  StagesRequest,
  StageTarget,
} from '../../server/src/protocol';

/** The kustomization a command acts on: the active editor's, else the one the user picks. */
export async function pickStage(client: LanguageClient): Promise<StageInfo | undefined> {
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

const TARGETS: { target: MigrationTarget; label: string; detail: string }[] = [
  { target: 'gamma', label: 'Gateway API mesh mode (GAMMA)', detail: 'HTTPRoutes attached to the Services clients call, for Istio or Linkerd' },
  { target: 'lattice', label: 'Amazon VPC Lattice', detail: 'HTTPRoutes on a Gateway of class amazon-vpc-lattice, TargetGroupPolicies with the health checks' },
  { target: 'istio', label: 'Istio VirtualService and DestinationRule', detail: 'one VirtualService per host, the versions as DestinationRule subsets' },
];

/** Migrates an App Mesh rollout (the code action passes where and to what; the palette asks), then shows the report. */
function migrate(client: LanguageClient): (args?: { uri: string; target: MigrationTarget }) => Promise<void> {
  return async (args) => {
    let uri = args?.uri;
    let target = args?.target;
    if (!uri) uri = (await pickStage(client))?.uri;
    if (!uri) return;
    if (!target) target = (await window.showQuickPick(TARGETS, { placeHolder: 'Migrate this rollout to…' }))?.target;
    if (!target) return;
    // First what it would write and what does not carry over, shown beside; then the user decides.
    const preview = await run(client, ServerCommands.migrate, { uri, target, dryRun: true } satisfies MigrateArguments);
    if (preview?.status !== 'preview') return report(preview);
    if (preview.report) await showReport(preview.report);
    const create = 'Create files';
    if ((await window.showInformationMessage(preview.message, { modal: true }, create)) !== create) return;
    let result = await run(client, ServerCommands.migrate, { uri, target } satisfies MigrateArguments);
    if (result?.status === 'missing') {
      const write = 'Write the files';
      if ((await window.showInformationMessage(result.message, write)) !== write) return;
      result = await run(client, ServerCommands.migrate, { uri, target, write: true } satisfies MigrateArguments);
    }
    await report(result);
  };
}

/** The report beside the editor, as markdown text: a rendered preview of an untitled document stayed blank in code-server. */
async function showReport(markdown: string): Promise<void> {
  const document = await workspace.openTextDocument({ content: markdown, language: 'markdown' });
  await window.showTextDocument(document, { viewColumn: ViewColumn.Beside, preview: true, preserveFocus: true });
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
  // Code actions name this one with their arguments; the palette runs it without.
  const withArguments = { [ClientCommands.migrate]: migrate(client) };
  return [
    ...Object.entries(factories).map(([id, handler]) => commands.registerCommand(id, handler)),
    ...Object.entries(withArguments).map(([id, handler]) => commands.registerCommand(id, handler)),
  ];
}
