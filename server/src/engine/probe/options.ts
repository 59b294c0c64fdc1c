import { answerPattern, DEFAULT_ANSWER_PATTERN } from './answer';
import { DEFAULT_PROBE_SETTINGS, ProbeSettings } from './plan';

/**
 * What a user may set for a probe (CLI options, the `meshKustomize.probe.*` settings, the request's
 * params), every field optional; checked into settings and run options with one error on bad values.
 */
export interface ProbeOptions {
  command?: string;
  host?: string;
  workload?: string;
  container?: string;
  port?: number;
  namespace?: string;
  context?: string;
  /** A regular expression with one capture group: the version's name in an answer. */
  answerPattern?: string;
  requests?: number;
  concurrency?: number;
  timeoutSeconds?: number;
  /** Failed requests of a service beyond this share (percent) fail the test. */
  maxFailedPercent?: number;
}

export const PROBE_DEFAULTS = { requests: 200, concurrency: 8, timeoutSeconds: 10, maxFailedPercent: 2 } as const;

export interface ResolvedProbeOptions {
  settings: ProbeSettings;
  pattern: RegExp;
  requests: number;
  concurrency: number;
  timeoutMs: number;
  maxFailedPercent: number;
}

/** The options checked, defaults filled in; empty strings count as not set (as an emptied setting does). */
export function resolveProbeOptions(options: ProbeOptions): ResolvedProbeOptions | { error: string } {
  const text = (key: keyof ProbeOptions): string | undefined => {
    const value = options[key];
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  const number = (key: keyof ProbeOptions, fallback: number, min: number, max: number, integer = true): number | { error: string } => {
    const value = options[key] ?? fallback;
    if (typeof value !== 'number' || Number.isNaN(value) || (integer && !Number.isInteger(value)) || value < min || value > max)
      return { error: `${key} must be a ${integer ? 'whole ' : ''}number from ${min} to ${max}, not ${String(value)}` };
    return value;
  };
  const port = number('port', DEFAULT_PROBE_SETTINGS.port, 1, 65535);
  const requests = number('requests', PROBE_DEFAULTS.requests, 1, 100_000);
  const concurrency = number('concurrency', PROBE_DEFAULTS.concurrency, 1, 256);
  const timeoutSeconds = number('timeoutSeconds', PROBE_DEFAULTS.timeoutSeconds, 0.1, 3600, false);
  const maxFailedPercent = number('maxFailedPercent', PROBE_DEFAULTS.maxFailedPercent, 0, 100, false);
  for (const value of [port, requests, concurrency, timeoutSeconds, maxFailedPercent]) if (typeof value !== 'number') return value;
  const pattern = answerPattern(text('answerPattern') ?? DEFAULT_ANSWER_PATTERN);
  if (!(pattern instanceof RegExp)) return pattern;
  return {
    settings: {
      command: text('command') ?? DEFAULT_PROBE_SETTINGS.command,
      host: text('host') ?? DEFAULT_PROBE_SETTINGS.host,
      workload: text('workload') ?? DEFAULT_PROBE_SETTINGS.workload,
      container: text('container') ?? DEFAULT_PROBE_SETTINGS.container,
      port: port as number,
      namespace: text('namespace'),
      context: text('context'),
    },
    pattern,
    requests: requests as number,
    concurrency: concurrency as number,
    timeoutMs: (timeoutSeconds as number) * 1000,
    maxFailedPercent: maxFailedPercent as number,
  };
}
