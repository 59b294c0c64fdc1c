import { RolloutInfo, RolloutProblem } from '../protocol';
import { Severity } from '../engine';
import { ServerContext } from './context';
import { uriToPath } from './convert';

const ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** The rollout of a file's kustomization with the problems of its tree, as published (the user's severities applied). */
export async function rollout(context: ServerContext, uri: unknown): Promise<RolloutInfo | null> {
  await context.settled();
  const filePath = typeof uri === 'string' ? uriToPath(uri) : undefined;
  const view = filePath ? context.service.stageView(filePath) : undefined;
  if (!filePath || !view) return null;
  const problems: (RolloutProblem & { rank: number })[] = context.service.rolloutFiles(filePath).flatMap((file) =>
    context.diagnosticsOf(file).map((d) => ({
      uri: context.uriOf(file),
      line: d.range.start.line,
      character: d.range.start.character,
      severity: d.severity,
      code: d.code,
      message: d.message,
      rank: ORDER[d.severity],
    })),
  );
  problems.sort((a, b) => a.rank - b.rank || a.uri.localeCompare(b.uri) || a.line - b.line);
  return {
    uri: context.uriOf(view.kustomization),
    version: context.versionOf(view.kustomization),
    view,
    problems: problems.map(({ rank: _rank, ...problem }) => problem),
  };
}
