import { randomBytes } from 'node:crypto';
import { commands, Disposable, languages, Position, Range, TextEditorRevealType, Uri, ViewColumn, WebviewPanel, window, workspace } from 'vscode';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';
import {
  ClientCommands,
  CommandResult,
  MoveStageArguments,
  RolloutInfo,
  RolloutRequest,
  ServerCommands,
  TrafficDiffInfo,
  TrafficDiffRequest,
} from '../../server/src/protocol';
import type { FromPage, ToPage } from '../webview/messages';

const VIEW_TYPE = 'meshKustomize.rollout';

/** "canary 5 % → canary 95 %, introduces 2 errors"; nothing when the tree is as committed. */
function uncommitted(diff: TrafficDiffInfo | null): string | undefined {
  if (!diff || (diff.diff.change === 'unchanged' && diff.introduced.length === 0 && diff.fixed.length === 0)) return undefined;
  const count = (n: number, what: string): string => `${what} ${n} error${n === 1 ? '' : 's'}`;
  return [
    diff.diff.change === 'unchanged' ? 'no traffic change' : diff.summary,
    ...(diff.introduced.length > 0 ? [count(diff.introduced.length, 'introduces')] : []),
    ...(diff.fixed.length > 0 ? [count(diff.fixed.length, 'fixes')] : []),
  ].join(', ');
}

/** Nothing remote, nothing inline but the one script that carries the nonce. */
function pageHtml(panel: WebviewPanel, extensionUri: Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string): Uri => panel.webview.asWebviewUri(Uri.joinPath(extensionUri, 'dist', name));
  const source = panel.webview.cspSource;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${source}; font-src ${source}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('rollout.css').toString()}">
<title>Rollout</title>
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" src="${asset('rollout.js').toString()}"></script>
</body>
</html>`;
}

/**
 * The rollout view: one panel beside the editor showing the rollout of a kustomization as the
 * server computes it (RolloutRequest), redrawn when a file changes or the server publishes new
 * diagnostics, and following the active editor to other kustomizations.
 */
export function rolloutView(client: LanguageClient, extensionUri: Uri): Disposable {
  let panel: WebviewPanel | undefined;
  /** The file whose kustomization is shown. */
  let subject: string | undefined;
  let generation = 0;

  const post = (message: ToPage): void => void panel?.webview.postMessage(message);

  const refresh = async (): Promise<void> => {
    if (!panel || !subject) return;
    const current = ++generation;
    const [info, diff] = await Promise.all([
      client.sendRequest(RolloutRequest, { uri: subject }).catch(() => null),
      client.sendRequest(TrafficDiffRequest, { uri: subject }).catch(() => null),
    ]);
    if (current !== generation || !panel) return;
    if (!info) {
      post({ type: 'empty', reason: `${Uri.parse(subject).path.replace(/^.*\//, '')} belongs to no kustomization with router files.` });
      return;
    }
    subject = info.uri;
    const kustomization = Uri.parse(info.uri);
    panel.title = `Rollout: ${kustomization.path.split('/').slice(-2, -1)[0] ?? 'kustomization'}`;
    post({ type: 'show', info, uncommitted: uncommitted(diff), workspaceRelative: workspace.asRelativePath(kustomization) });
  };

  let timer: NodeJS.Timeout | undefined;
  const soon = (): void => {
    if (!panel?.visible) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 150);
  };

  const move = async (message: Extract<FromPage, { type: 'move' }>): Promise<void> => {
    const args: MoveStageArguments = { uri: message.uri, version: message.version, target: message.target };
    const result = (await client.sendRequest(ExecuteCommandRequest.type, { command: ServerCommands.moveStage, arguments: [args] })) as
      CommandResult | undefined;
    if (result && result.status !== 'applied') void window.showWarningMessage(`Mesh Kustomize: ${result.message}`);
    else if (result) void window.setStatusBarMessage(`Mesh Kustomize: ${result.message}`, 5000);
    soon();
  };

  const open = async (message: Extract<FromPage, { type: 'open' }>): Promise<void> => {
    const position = new Position(message.line, message.character);
    const editor = await window.showTextDocument(Uri.parse(message.uri), { viewColumn: ViewColumn.One, selection: new Range(position, position) });
    editor.revealRange(new Range(position, position), TextEditorRevealType.InCenterIfOutsideViewport);
  };

  const adopt = (created: WebviewPanel): void => {
    panel = created;
    panel.webview.options = { enableScripts: true, localResourceRoots: [Uri.joinPath(extensionUri, 'dist')] };
    panel.webview.html = pageHtml(panel, extensionUri);
    panel.onDidDispose(() => {
      panel = undefined;
    });
    panel.onDidChangeViewState(() => soon());
    panel.webview.onDidReceiveMessage((message: FromPage) => {
      if (message.type === 'ready') void refresh();
      else if (message.type === 'move') void move(message);
      else if (message.type === 'open') void open(message);
    });
  };

  const show = async (args?: { uri?: string }): Promise<void> => {
    const uri = args?.uri ?? window.activeTextEditor?.document.uri.toString();
    if (!uri) {
      void window.showInformationMessage('Mesh Kustomize: open a kustomization, or a file of its directory, to see its rollout.');
      return;
    }
    subject = uri;
    if (panel) {
      panel.reveal(undefined, true);
      await refresh();
      return;
    }
    adopt(window.createWebviewPanel(VIEW_TYPE, 'Rollout', { viewColumn: ViewColumn.Beside, preserveFocus: true }, { enableScripts: true }));
  };

  /** Another editor's file with a rollout of its own takes the view over; files without one leave it as it is. */
  const follow = async (uri: string): Promise<void> => {
    if (!panel || uri === subject) return;
    const info: RolloutInfo | null = await client.sendRequest(RolloutRequest, { uri }).catch(() => null);
    if (info && info.uri !== subject) {
      subject = info.uri;
      await refresh();
    }
  };

  return Disposable.from(
    commands.registerCommand(ClientCommands.showRollout, show),
    window.registerWebviewPanelSerializer(VIEW_TYPE, {
      // After a reload the panel comes back empty; it shows the active editor's rollout again.
      deserializeWebviewPanel: async (restored) => {
        subject = window.activeTextEditor?.document.uri.toString();
        adopt(restored);
      },
    }),
    window.onDidChangeActiveTextEditor((editor) => {
      if (editor && editor.document.languageId === 'yaml' && editor.document.uri.scheme === 'file') void follow(editor.document.uri.toString());
    }),
    workspace.onDidChangeTextDocument(soon),
    languages.onDidChangeDiagnostics(soon),
    { dispose: () => (timer && clearTimeout(timer), panel?.dispose()) },
  );
}
