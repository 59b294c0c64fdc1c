import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createMeshService,
  DEFAULT_ANSWER_PATTERN,
  DEFAULT_PROBE_SETTINGS,
  DiskFileSource,
  PROBE_DEFAULTS,
  ProbeOptions,
  probeReportText,
  Workspace,
} from '../engine';
import { executeProbe, prepareProbe } from '../probe/probe';
import { Command, formatOption, UsageError } from './args';

const FORMATS = ['text', 'json'] as const;

const options = {
  requests: { type: 'string', valueName: 'N', default: String(PROBE_DEFAULTS.requests), description: 'Requests per service.' },
  format: formatOption(
    FORMATS,
    'text: per service the observed and configured split and the verdict, each version with its 95 % interval, the failures; json: the same as data.',
  ),
  command: {
    type: 'string',
    valueName: 'TEMPLATE',
    default: DEFAULT_PROBE_SETTINGS.command,
    description:
      'The command that asks a service once, split into arguments as a shell would (quotes, backslashes) and run without one; {namespace}, {workload}, {container}, {host}, {port} and {service} are filled in per argument.',
  },
  host: { type: 'string', valueName: 'TEMPLATE', default: DEFAULT_PROBE_SETTINGS.host, description: 'The host each service is asked at ({host}).' },
  workload: {
    type: 'string',
    valueName: 'NAME',
    default: DEFAULT_PROBE_SETTINGS.workload,
    description: 'The deployment the requests are sent from ({workload}).',
  },
  container: { type: 'string', valueName: 'NAME', default: DEFAULT_PROBE_SETTINGS.container, description: 'Its container ({container}).' },
  port: { type: 'string', valueName: 'PORT', default: String(DEFAULT_PROBE_SETTINGS.port), description: "The services' port ({port})." },
  namespace: {
    type: 'string',
    valueName: 'NAME',
    defaultText: "the kustomization's namespace, else its router's, else default",
    description: 'The namespace ({namespace}); ${VAR} in a written one is filled from the environment.',
  },
  context: { type: 'string', valueName: 'NAME', defaultText: "kubectl's current context", description: 'The kube context, passed to kubectl as --context.' },
  'answer-pattern': {
    type: 'string',
    valueName: 'RE',
    default: DEFAULT_ANSWER_PATTERN,
    description: "Picks the version's name out of an answer: a regular expression with one capture group (the default takes the first JSON string).",
  },
  concurrency: { type: 'string', valueName: 'N', default: String(PROBE_DEFAULTS.concurrency), description: 'Commands running at once.' },
  timeout: {
    type: 'string',
    valueName: 'SECONDS',
    default: String(PROBE_DEFAULTS.timeoutSeconds),
    description: 'A request taking longer is killed and fails.',
  },
  'max-failed': {
    type: 'string',
    valueName: 'PERCENT',
    default: String(PROBE_DEFAULTS.maxFailedPercent),
    description: "A service's failed requests beyond this share fail the test.",
  },
} as const;

/** An option's number; its range is checked with the other options. */
function number(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '' || Number.isNaN(Number(value))) throw new UsageError(`--${option} needs a number, not '${value}'`);
  return Number(value);
}

export const probeCommand: Command<typeof options> = {
  name: 'probe',
  summary: "Send requests to each service of a rollout and compare the split that answers with the router file's.",
  synopsis: '[PATH] [--requests N] [--format text|json] [--command TEMPLATE] [--context NAME] [...]',
  description:
    "The live split test. Shows the kube context first (kubectl's current one, or --context), then sends each service of the kustomization's stage N requests through the command template (by default from the dj container: kubectl exec ... -- curl -s http://{host}:{port}), reads which version answered, and compares the observed split with the configured one: a version is consistent when the 95 % Wilson interval of its observed share contains its configured share; a version configured at 0 % must not answer at all. Ctrl-C stops early and reports what came back.",
  arguments: [
    {
      name: 'PATH',
      description: 'The kustomization, its folder, or a folder holding exactly one kustomization with router files. Default: the current directory.',
    },
  ],
  options,
  exitStatus: [
    [0, 'Every split was consistent and failures stayed within --max-failed.'],
    [1, 'A split was inconsistent, requests failed beyond --max-failed, or the run was cancelled.'],
  ],
  examples: ['mesh-kustomize probe examples/dj --requests 400 --context staging'],
  async run({ values, positionals }, { out, err }) {
    if (positionals.length > 1) throw new UsageError(`one PATH at a time (got ${positionals.length})`);
    const target = path.resolve(positionals[0] ?? '.');
    if (!fs.existsSync(target)) throw new UsageError(`no such file or directory: ${positionals[0]}`);
    const service = createMeshService(new Workspace(new DiskFileSource(), [target]));
    const stages = service.stages();
    const ownKustomization = stages.find((s) => s.path === target || path.dirname(s.path) === target);
    const kustomization = ownKustomization ?? (stages.length === 1 ? stages[0] : undefined);
    if (!kustomization) {
      const relative = (p: string): string => path.relative(process.cwd(), p) || '.';
      throw new UsageError(
        stages.length === 0
          ? `no kustomization with router files in ${relative(target)}`
          : `${relative(target)} holds ${stages.length} kustomizations with router files; name one: ${stages.map((s) => relative(path.dirname(s.path))).join(', ')}`,
      );
    }
    const probeOptions: ProbeOptions = {
      command: values.command,
      host: values.host,
      workload: values.workload,
      container: values.container,
      port: number('port', values.port),
      namespace: values.namespace,
      context: values.context,
      answerPattern: values['answer-pattern'],
      requests: number('requests', values.requests),
      concurrency: number('concurrency', values.concurrency),
      timeoutSeconds: number('timeout', values.timeout),
      maxFailedPercent: number('max-failed', values['max-failed']),
    };
    const prepared = await prepareProbe(service, kustomization.path, probeOptions);
    if ('error' in prepared) throw new UsageError(prepared.error);
    // Before anything is sent: which cluster the requests go to. On stderr for json, whose stdout is the data alone.
    const description = prepared.context?.description ?? `no kube context: ${prepared.plan.targets[0].argv[0]} is not kubectl`;
    const contextLine = description.charAt(0).toUpperCase() + description.slice(1);
    (values.format === 'json' ? err : out)(contextLine);
    const controller = new AbortController();
    const cancel = (): void => controller.abort();
    process.once('SIGINT', cancel);
    try {
      const report = await executeProbe(prepared, { signal: controller.signal });
      const relative = path.relative(process.cwd(), report.kustomization) || '.';
      if (values.format === 'json') out(JSON.stringify({ ...report, kustomization: relative }, null, 2));
      else out([`${relative}: ${report.label}, namespace ${report.namespace}`, ...probeReportText(report)].join('\n'));
      return report.ok ? 0 : 1;
    } finally {
      process.removeListener('SIGINT', cancel);
    }
  },
};
