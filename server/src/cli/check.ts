import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules, createMeshService, Diagnostic, DiskFileSource, isOptionValue, ruleDocumentation, RuleOption, Workspace } from '../engine';
import { Command, formatOption, UsageError } from './args';
import { toSarif } from './sarif';

const FORMATS = ['text', 'json', 'sarif'] as const;

/** The rules' option --gateway-profile sets: the Gateway API's Lattice rules declare it (a string of a few values). */
function gatewayProfileOption(): Extract<RuleOption, { enum: readonly string[] }> {
  const option = allRules.flatMap((rule) => rule.options ?? []).find((o) => o.key === 'gatewayApi.profile');
  if (!option || !('enum' in option)) throw new Error('no rule declares the string option gatewayApi.profile');
  return option;
}
const PROFILE = gatewayProfileOption();

/** The rules' option --istio-version sets: the Istio version whose webhook rules apply ("1.14"). */
function istioVersionOption(): Extract<RuleOption, { pattern: string }> {
  const option = allRules.flatMap((rule) => rule.options ?? []).find((o) => o.key === 'istio.version');
  if (!option || !('pattern' in option)) throw new Error('no rule declares the string option istio.version');
  return option;
}
const ISTIO_VERSION = istioVersionOption();

const options = {
  format: formatOption(
    FORMATS,
    'text: one line per problem (file:line:col severity code message), then what was checked and found; json: the problems as an array; sarif: SARIF 2.1.0, for code-scanning upload.',
  ),
  'gateway-profile': {
    type: 'string',
    valueName: 'PROFILE',
    choices: PROFILE.enum,
    default: PROFILE.default,
    description:
      'Where the VPC Lattice rules (lattice-*) apply, as the setting meshKustomize.gatewayApi.profile: auto: routes whose Gateway is of a Lattice GatewayClass found under the paths; lattice: every route with a Gateway parent; generic: none.',
  },
  'istio-version': {
    type: 'string',
    valueName: 'VERSION',
    defaultText: 'current',
    description:
      'The Istio version the cluster runs (1.14), as the setting meshKustomize.istio.version: below 1.15, the weights of a route with several destinations must add up to 100 (istio-weight-total-not-100).',
  },
  'max-file-size': {
    type: 'string',
    valueName: 'MB',
    defaultText: '1',
    description: 'Files larger than this many megabytes are reported (file-too-large), not read.',
  },
} as const;

export const checkCommand: Command<typeof options> = {
  name: 'check',
  summary: 'Report what would break the rollout in the kustomizations under PATH.',
  synopsis: '[PATH...] [--format text|json|sarif] [--gateway-profile auto|lattice|generic] [--istio-version VERSION] [--max-file-size MB]',
  description:
    'Finds every kustomization under the paths and reports what would break the rollout: routers sending traffic to versions that are not running, two routers enabled, weights that do not add up, missing files, schema errors.',
  arguments: [{ name: 'PATH...', description: 'Files and folders to check. Default: the current directory.' }],
  options,
  exitStatus: [
    [0, 'No error was reported (warnings and notes alone exit 0).'],
    [1, 'An error was reported.'],
  ],
  examples: ['mesh-kustomize check overlays/prod --format sarif > mesh-kustomize.sarif'],
  run({ values, positionals }, { out, err }) {
    // One of the choices (checked) or the default.
    const format = values.format as (typeof FORMATS)[number];
    let maxFileBytes: number | undefined;
    if (values['max-file-size'] !== undefined) {
      const megabytes = Number(values['max-file-size']);
      if (!Number.isFinite(megabytes) || megabytes <= 0) throw new UsageError('the --max-file-size value must be a number of megabytes above 0');
      maxFileBytes = Math.round(megabytes * 1024 * 1024);
    }
    const paths = positionals.length > 0 ? positionals : ['.'];
    for (const p of paths) if (!fs.existsSync(p)) throw new UsageError(`no such file or directory: ${p}`);

    const workspace = new Workspace(new DiskFileSource(), paths, { maxFileBytes });
    const service = createMeshService(workspace, { log: (message) => err(message) });
    const istioVersion = values['istio-version'] ?? ISTIO_VERSION.default;
    if (!isOptionValue(ISTIO_VERSION, istioVersion)) throw new UsageError('the --istio-version value must be a version such as 1.14');
    const options = { [PROFILE.key]: values['gateway-profile'], [ISTIO_VERSION.key]: istioVersion };
    const byFile = service.check().diagnostics(() => ({ options }));
    const diagnostics = [...byFile.keys()].sort().flatMap((file) => byFile.get(file) ?? []);
    const cwd = process.cwd();
    if (format === 'json') {
      out(
        JSON.stringify(
          diagnostics.map((d) => ({ ...d, path: path.relative(cwd, d.path) })),
          null,
          2,
        ),
      );
    } else if (format === 'sarif') {
      out(JSON.stringify(toSarif(diagnostics, cwd, allRules, ruleDocumentation), null, 2));
    } else {
      for (const d of diagnostics) out(formatText(d, cwd));
      out(summary(diagnostics, service.roots().length, service.checkedFiles().length));
    }
    return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
  },
};

function formatText(d: Diagnostic, cwd: string): string {
  return `${path.relative(cwd, d.path)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`;
}

/** What was checked and found: the builds (root kustomizations) and the files, so that a folder of manifests without a kustomization does not read as "nothing checked". */
function summary(diagnostics: Diagnostic[], roots: number, files: number): string {
  const count = (severity: string): number => diagnostics.filter((d) => d.severity === severity).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(roots, 'kustomization')} and ${plural(files, 'file')} checked: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('information') + count('hint'), 'note')}`;
}
