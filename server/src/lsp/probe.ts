import { ProbeRequest, ProbeResult } from '../protocol';
import { probeReportText } from '../engine';
import { executeProbe, prepareProbe, probeQuestion } from '../probe/probe';
import { ServerContext } from './context';
import { uriToPath } from './convert';

/** `meshKustomize/probe`: the live split test, run by the server with progress and cancellation. */
export function registerProbe(context: ServerContext): void {
  context.connection.onRequest(ProbeRequest, async (params, token): Promise<ProbeResult> => {
    await context.settled();
    const filePath = typeof params?.uri === 'string' ? uriToPath(params.uri) : undefined;
    if (!filePath) return { error: 'no file given' };
    const options = params.options && typeof params.options === 'object' ? params.options : {};
    const prepared = await prepareProbe(context.service, filePath, options);
    if ('error' in prepared) return { error: prepared.error };
    const question = probeQuestion(prepared);
    const contextText = prepared.context?.description;
    const command = commandLine(prepared.plan.targets[0].argv);
    if (params.dryRun === true || token.isCancellationRequested) return { question, command, context: contextText };

    const controller = new AbortController();
    const cancelled = token.onCancellationRequested(() => controller.abort());
    const total = prepared.options.requests * prepared.plan.targets.length;
    const progress = context.support.workDoneProgress && params.workDoneToken !== undefined;
    const workDone = context.connection.window.attachWorkDoneProgress(progress ? params.workDoneToken : undefined);
    if (progress) workDone.begin('Testing the traffic split', 0, `0 of ${total} requests`, true);
    let reported = 0;
    try {
      const report = await executeProbe(prepared, {
        signal: controller.signal,
        onProgress: (done) => {
          // About a hundred reports per run, not one per request.
          const percentage = Math.floor((100 * done) / total);
          if (!progress || (percentage === reported && done !== total)) return;
          reported = percentage;
          workDone.report(percentage, `${done} of ${total} requests`);
        },
      });
      return { question, command, context: contextText, report, text: [`${report.label}, namespace ${report.namespace}`, ...probeReportText(report)] };
    } finally {
      cancelled.dispose();
      if (progress) workDone.done();
    }
  });
}

/** Arguments as a shell would read them back, quoted where needed. */
function commandLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
}
