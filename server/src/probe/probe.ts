import { MeshService, probePlan, ProbeOptions, ProbePlan, probeReport, ProbeReport, ResolvedProbeOptions, resolveProbeOptions } from '../engine';
import { KubeContext, kubeContext, runProbe } from './runner';

/** A probe ready to run: its plan, its checked options, and the kube context it would go through, to be confirmed first. */
export interface PreparedProbe {
  plan: ProbePlan;
  options: ResolvedProbeOptions;
  context: KubeContext | undefined;
}

/** The plan of a live split test of a file's kustomization, with its kube context; or why there is none. */
export async function prepareProbe(
  service: MeshService,
  filePath: string,
  options: ProbeOptions,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PreparedProbe | { error: string }> {
  const resolved = resolveProbeOptions(options);
  if ('error' in resolved) return resolved;
  const view = service.stageView(filePath);
  if (!view) return { error: `${filePath}: no kustomization with router files` };
  const plan = probePlan(view, service.rolloutNamespace(filePath), resolved.settings, env);
  if ('error' in plan) return plan;
  return { plan, options: resolved, context: await kubeContext(plan, env) };
}

/** "Send 200 requests to metal, jazz in namespace prod through kube context X?" */
export function probeQuestion(prepared: PreparedProbe): string {
  const { plan, options, context } = prepared;
  const what = `Send ${options.requests} requests to ${plan.targets.map((t) => t.service).join(', ')} in namespace ${plan.namespace}`;
  if (!context) return `${what} with ${plan.targets[0].argv[0]}?`;
  return context.name ? `${what} through kube context ${context.name}?` : `${what}? ${context.description}.`;
}

/** Runs a prepared probe and judges what came back. */
export async function executeProbe(
  prepared: PreparedProbe,
  run: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void; env?: NodeJS.ProcessEnv } = {},
): Promise<ProbeReport> {
  const { plan, options } = prepared;
  const result = await runProbe(plan, { ...options, ...run });
  return probeReport(plan, result.observations, {
    requests: options.requests,
    maxFailedPercent: options.maxFailedPercent,
    cancelled: result.cancelled,
    elapsedMs: result.elapsedMs,
    context: prepared.context?.description,
  });
}
