import { commands, Disposable, StatusBarAlignment, window, workspace } from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { ClientCommands, StagesRequest } from '../../server/src/protocol';

/** Shows the stage of the active editor's kustomization; a click opens the rollout view. */
export function stageStatusBar(client: LanguageClient): Disposable {
  const item = window.createStatusBarItem('meshKustomize.stage', StatusBarAlignment.Left, 10);
  item.name = 'Mesh Kustomize stage';
  item.command = ClientCommands.showRollout;

  let generation = 0;
  const refresh = async (): Promise<void> => {
    const current = ++generation;
    const document = window.activeTextEditor?.document;
    if (!document || document.languageId !== 'yaml') {
      item.hide();
      return;
    }
    const stages = await client.sendRequest(StagesRequest, { activeUri: document.uri.toString() }).catch(() => []);
    if (current !== generation) return;
    // The palette's stage commands appear only where some kustomization has stages.
    void commands.executeCommand('setContext', 'meshKustomize.hasStages', stages.length > 0);
    const directory = document.uri.toString().replace(/\/[^/]*$/, '/');
    const stage = stages.find((s) => s.uri.startsWith(directory));
    if (!stage) {
      item.hide();
      return;
    }
    item.text = `$(git-merge) ${stage.label.replace(/^Stage: /, '')}`;
    item.tooltip = `${stage.label}\nClick for the rollout view.`;
    item.show();
  };

  let timer: NodeJS.Timeout | undefined;
  const soon = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 150);
  };
  void refresh();
  return Disposable.from(item, window.onDidChangeActiveTextEditor(soon), workspace.onDidChangeTextDocument(soon), workspace.onDidSaveTextDocument(soon), {
    dispose: () => timer && clearTimeout(timer),
  });
}
