import { spawn } from 'node:child_process';
import { ProbePlan, readAnswer, sample, ServiceObservation } from '../engine';

/**
 * Runs a probe plan's commands as processes, without a shell: the only part of the live split test
 * that touches the world. The CLI and the language server share it; the engine judges what it gives.
 */

export interface ProbeRunOptions {
  /** Requests per service. */
  requests: number;
  /** Commands running at once. */
  concurrency: number;
  /** A request taking longer is killed and counted as failed. */
  timeoutMs: number;
  /** Picks the version's name out of an answer (one capture group). */
  pattern: RegExp;
  /** Stops sending: the requests under way are killed, and what came back so far is the result. */
  signal?: AbortSignal;
  /** After each finished request: how many finished, of how many. */
  onProgress?: (done: number, total: number) => void;
  env?: NodeJS.ProcessEnv;
}

export interface ProbeRunResult {
  observations: ServiceObservation[];
  cancelled: boolean;
  elapsedMs: number;
}

const MAX_OUTPUT = 64 * 1024;
const SAMPLES = 3;

interface Outcome {
  /** The process's exit status; undefined when it did not run or was killed. */
  status: number | undefined;
  stdout: string;
  stderr: string;
  error: string | undefined;
}

/** Runs one command to its end, its output capped: never throws. */
function runOnce(argv: readonly string[], timeoutMs: number, signal: AbortSignal | undefined, env: NodeJS.ProcessEnv | undefined): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], shell: false, timeout: timeoutMs, signal, env, windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (into.reduce((n, b) => n + b.length, 0) < MAX_OUTPUT) into.push(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    let error: string | undefined;
    child.on('error', (e: NodeJS.ErrnoException) => {
      // An abort is reported by the caller as a cancellation, not as this request's failure.
      error = e.name === 'AbortError' ? 'cancelled' : e.code === 'ENOENT' ? `cannot run ${argv[0]}: not found` : e.message;
    });
    child.on('close', (code, killSignal) => {
      if (killSignal && !error) error = `no answer within ${timeoutMs / 1000} s (killed)`;
      resolve({ status: code ?? undefined, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), error });
    });
  });
}

/** The last line with text: where kubectl and curl say what went wrong, after their log lines. */
function lastLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .pop() ?? ''
  );
}

/**
 * Sends every service its requests, taking turns between services so that a cancelled run has asked
 * each about as often; at most `concurrency` processes at a time.
 */
export async function runProbe(plan: ProbePlan, options: ProbeRunOptions): Promise<ProbeRunResult> {
  const started = Date.now();
  const observations = plan.targets.map((t): ServiceObservation => ({ service: t.service, sent: 0, answers: {}, failed: 0, failureSamples: [] }));
  const jobs: number[] = [];
  for (let i = 0; i < options.requests; i++) plan.targets.forEach((_, index) => jobs.push(index));
  const total = jobs.length;
  let next = 0;
  let done = 0;
  const fail = (observation: ServiceObservation, message: string): void => {
    observation.failed++;
    if (observation.failureSamples.length < SAMPLES && !observation.failureSamples.includes(message)) observation.failureSamples.push(message);
  };
  const worker = async (): Promise<void> => {
    while (next < jobs.length && !options.signal?.aborted) {
      const index = jobs[next++];
      const target = plan.targets[index];
      const outcome = await runOnce(target.argv, options.timeoutMs, options.signal, options.env);
      if (options.signal?.aborted) return;
      const observation = observations[index];
      observation.sent++;
      if (outcome.error) fail(observation, outcome.error);
      else if (outcome.status !== 0) fail(observation, `exit status ${outcome.status}: ${sample(lastLine(outcome.stderr) || outcome.stdout)}`);
      else {
        const reading = readAnswer(
          outcome.stdout,
          options.pattern,
          target.service,
          target.versions.map((v) => v.name),
        );
        if ('version' in reading) observation.answers[reading.version] = (observation.answers[reading.version] ?? 0) + 1;
        else fail(observation, reading.error);
      }
      options.onProgress?.(++done, total);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, total)) }, worker));
  return { observations, cancelled: options.signal?.aborted === true, elapsedMs: Date.now() - started };
}

export interface KubeContext {
  /** The context's name; undefined when kubectl has none. */
  name: string | undefined;
  /** For people: "kube context prod-eu (given)", or "kubectl has no current context (…)". */
  description: string;
}

/**
 * The kube context the plan's requests go through, for people to see before anything is sent: the
 * one given, else kubectl's current one; undefined when the program is not kubectl.
 */
export async function kubeContext(plan: ProbePlan, env?: NodeJS.ProcessEnv): Promise<KubeContext | undefined> {
  if (plan.context) return { name: plan.context, description: `kube context ${plan.context} (given)` };
  if (!plan.contextArgv) return undefined;
  const outcome = await runOnce(plan.contextArgv, 10_000, undefined, env);
  const name = outcome.stdout.trim();
  if (outcome.status === 0 && !outcome.error && name) return { name, description: `kube context ${name}` };
  const why = outcome.error ?? (lastLine(outcome.stderr) || `exit status ${outcome.status}`);
  return { name: undefined, description: `kubectl has no current context (${sample(why)})` };
}
