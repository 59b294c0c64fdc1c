import { commands, Disposable, ProgressLocation, Uri, window, workspace } from 'vscode';
import { LanguageClient, WorkDoneProgress } from 'vscode-languageclient/node';
import { ProbeOptions, ProbeRequest, ProbeResult } from '../../server/src/protocol';
import { SETTINGS_SECTION } from '../../server/src/settings';
import { pickStage } from './commands';

export const PROBE_COMMAND = 'meshKustomize.probe';

/** The `meshKustomize.probe.*` settings of a kustomization's folder; the server checks them. */
function probeOptions(uri: Uri): ProbeOptions {
  const settings = workspace.getConfiguration(`${SETTINGS_SECTION}.probe`, uri);
  const keys = [
    'command',
    'host',
    'workload',
    'container',
    'port',
    'namespace',
    'context',
    'answerPattern',
    'requests',
    'concurrency',
    'timeoutSeconds',
    'maxFailedPercent',
  ] as const satisfies readonly (keyof ProbeOptions)[];
  return Object.fromEntries(keys.map((key) => [key, settings.get(key)])) as ProbeOptions;
}

let runs = 0;

/**
 * "Mesh Kustomize: Test traffic split": asks the server for the plan and the kube context, lets the
 * user confirm in a modal dialog, then runs the requests on the server under a cancellable
 * notification that shows the server's work-done progress. The report goes to the output channel.
 */
export function registerProbe(client: LanguageClient): Disposable {
  return commands.registerCommand(PROBE_COMMAND, async () => {
    const stage = await pickStage(client);
    if (!stage) return;
    const options = probeOptions(client.protocol2CodeConverter.asUri(stage.uri));
    const plan = await client.sendRequest(ProbeRequest, { uri: stage.uri, options, dryRun: true });
    if (plan.error !== undefined || plan.question === undefined) {
      void window.showErrorMessage(`Mesh Kustomize: ${plan.error ?? 'nothing to test'}`);
      return;
    }
    const send = 'Send';
    if ((await window.showWarningMessage(plan.question, { modal: true, detail: plan.command }, send)) !== send) return;
    const result = await window.withProgress(
      { location: ProgressLocation.Notification, title: 'Mesh Kustomize: testing the traffic split', cancellable: true },
      async (progress, token): Promise<ProbeResult> => {
        const workDoneToken = `${PROBE_COMMAND}/${++runs}`;
        let shown = 0;
        const listener = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
          if (value.kind === 'end') return;
          const percentage = value.percentage ?? shown;
          progress.report({ message: value.message, increment: percentage - shown });
          shown = percentage;
        });
        try {
          return await client.sendRequest(ProbeRequest, { uri: stage.uri, options, workDoneToken }, token);
        } finally {
          listener.dispose();
        }
      },
    );
    if (result.error !== undefined || !result.report) {
      void window.showErrorMessage(`Mesh Kustomize: ${result.error ?? 'the test gave no report'}`);
      return;
    }
    const output = client.outputChannel;
    output.appendLine(`Live split test of ${client.protocol2CodeConverter.asUri(stage.uri).fsPath}${result.context ? ` (${result.context})` : ''}:`);
    for (const line of result.text ?? []) output.appendLine(line);
    const summary = result.report.services.map((s) => s.summary).join('; ');
    const show = 'Show report';
    const message = result.report.cancelled ? `cancelled: ${summary}` : summary;
    const shown = result.report.ok
      ? window.showInformationMessage(`Mesh Kustomize: ${message}`, show)
      : window.showWarningMessage(`Mesh Kustomize: ${message}`, show);
    if ((await shown) === show) output.show(true);
  });
}
