import { ProbePlan } from './plan';
import { judgeSplit, VersionJudgement } from './statistics';

/** What the requests to one service gave. */
export interface ServiceObservation {
  service: string;
  /** Requests that finished (answered or failed). */
  sent: number;
  /** Answers per version name. */
  answers: Record<string, number>;
  /** Requests that failed: a non-zero exit, a timeout, or no version in the answer. */
  failed: number;
  /** A few of their errors, different ones first. */
  failureSamples: string[];
}

export interface ServiceReport extends ServiceObservation {
  host: string;
  answered: number;
  versions: VersionJudgement[];
  verdict: 'consistent' | 'inconsistent' | 'no answers';
  /** "metal: observed 93/7 over 200 requests, configured 95/5: consistent" */
  summary: string;
}

export interface ProbeReport {
  kustomization: string;
  label: string;
  namespace: string;
  /** The kube context the requests went through, as shown before they ran. */
  context: string | undefined;
  /** Requests asked per service. */
  requests: number;
  maxFailedPercent: number;
  cancelled: boolean;
  elapsedMs: number;
  services: ServiceReport[];
  /** Every split consistent, failures within the threshold, not cancelled. */
  ok: boolean;
}

const percentText = (x: number): string => (Math.round(x * 10) / 10).toFixed(1);

/** The report of a probe: each service's observed split judged against its configured one. */
export function probeReport(
  plan: ProbePlan,
  observations: readonly ServiceObservation[],
  run: { requests: number; maxFailedPercent: number; cancelled: boolean; elapsedMs: number; context: string | undefined },
): ProbeReport {
  const services = plan.targets.map((target): ServiceReport => {
    const observation = observations.find((o) => o.service === target.service) ?? {
      service: target.service,
      sent: 0,
      answers: {},
      failed: 0,
      failureSamples: [],
    };
    const answered = Object.values(observation.answers).reduce((a, b) => a + b, 0);
    const versions = judgeSplit(target.versions, observation.answers, answered);
    const verdict = answered === 0 ? 'no answers' : versions.every((v) => v.consistent) ? 'consistent' : 'inconsistent';
    const observed = versions.map((v) => (answered === 0 ? '–' : String(Math.round((100 * v.observed) / answered)))).join('/');
    const configured = versions.map((v) => v.configured).join('/');
    const over = observation.failed === 0 ? `${answered} requests` : `${answered} answers (${observation.failed} of ${observation.sent} requests failed)`;
    return {
      ...observation,
      host: target.host,
      answered,
      versions,
      verdict,
      summary: `${target.service}: observed ${observed} over ${over}, configured ${configured}: ${verdict}`,
    };
  });
  const failedTooOften = (s: ServiceReport): boolean => s.sent > 0 && (100 * s.failed) / s.sent > run.maxFailedPercent;
  return {
    kustomization: plan.kustomization,
    label: plan.label,
    namespace: plan.namespace,
    context: run.context,
    requests: run.requests,
    maxFailedPercent: run.maxFailedPercent,
    cancelled: run.cancelled,
    elapsedMs: run.elapsedMs,
    services,
    ok: !run.cancelled && services.every((s) => s.verdict === 'consistent' && !failedTooOften(s)),
  };
}

/** The report as text lines: per service its summary, each version's count, share and interval, and the failures. */
export function probeReportText(report: ProbeReport): string[] {
  const width = Math.max(...report.services.flatMap((s) => s.versions.map((v) => v.name.length)), 4);
  const lines = report.services.flatMap((s) => [
    s.summary,
    ...s.versions.map(
      (v) =>
        `  ${v.name.padEnd(width)}  ${String(v.observed).padStart(5)}  ${s.answered === 0 ? '    –' : `${percentText((100 * v.observed) / s.answered).padStart(5)} %`}` +
        `  95 % interval ${percentText(v.interval[0])}–${percentText(v.interval[1])} %, configured ${v.configured} %${v.consistent ? '' : '  ← inconsistent'}`,
    ),
    ...(s.failed > 0
      ? [`  failed: ${s.failed} of ${s.sent} (${percentText((100 * s.failed) / s.sent)} %), e.g.`, ...s.failureSamples.map((e) => `    ${e}`)]
      : []),
  ]);
  const seconds = (report.elapsedMs / 1000).toFixed(1);
  const status = report.cancelled
    ? `Cancelled after ${report.services.reduce((a, s) => a + s.sent, 0)} of ${report.requests * report.services.length} requests (${seconds} s).`
    : `${report.ok ? 'Consistent' : 'NOT consistent'}: ${report.requests} requests per service in ${seconds} s; failures allowed up to ${report.maxFailedPercent} %.`;
  return [...lines, status];
}
