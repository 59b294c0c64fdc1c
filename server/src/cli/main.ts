import * as fs from 'node:fs';
import * as path from 'node:path';
import { allRules, createMeshService, Diagnostic, DiskFileSource, ruleDocumentation, Workspace } from '../engine';
import { toSarif } from './sarif';

const USAGE = `Usage: mesh-kustomize check [PATH...] [--format text|json|sarif] [--max-file-size MB]

Finds every kustomization under the paths (default: the current directory) and reports
what would break the rollout: routers sending traffic to versions that are not running,
two routers enabled, weights that do not add up, missing files, schema errors.
Files larger than --max-file-size megabytes (default 1) are reported, not read.

Exit status: 1 when an error is reported, 0 otherwise, 2 on bad usage.`;

type Format = 'text' | 'json' | 'sarif';

interface Options {
  paths: string[];
  format: Format;
  maxFileBytes: number | undefined;
}

function parseArguments(argv: string[]): Options | string {
  const [command, ...rest] = argv;
  if (command !== 'check') return command === undefined ? 'missing command' : `unknown command: ${command}`;
  const options: Options = { paths: [], format: 'text', maxFileBytes: undefined };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg.includes('=') ? arg.slice('--format='.length) : rest[++i];
      if (value !== 'text' && value !== 'json' && value !== 'sarif') return `unknown format: ${value ?? '(none)'}`;
      options.format = value;
    } else if (arg === '--max-file-size' || arg.startsWith('--max-file-size=')) {
      const value = Number(arg.includes('=') ? arg.slice('--max-file-size='.length) : rest[++i]);
      if (!Number.isFinite(value) || value <= 0) return 'the --max-file-size value must be a number of megabytes above 0';
      options.maxFileBytes = Math.round(value * 1024 * 1024);
    } else if (arg.startsWith('-')) {
      return `unknown option: ${arg}`;
    } else {
      options.paths.push(arg);
    }
  }
  if (options.paths.length === 0) options.paths.push('.');
  for (const p of options.paths) if (!fs.existsSync(p)) return `no such file or directory: ${p}`;
  return options;
}

export function run(argv: string[], out: (text: string) => void, err: (text: string) => void): number {
  if (argv[0] === '--help' || argv[0] === '-h') {
    out(USAGE);
    return 0;
  }
  const options = parseArguments(argv);
  if (typeof options === 'string') {
    err(`mesh-kustomize: ${options}\n\n${USAGE}`);
    return 2;
  }
  const workspace = new Workspace(new DiskFileSource(), options.paths, { maxFileBytes: options.maxFileBytes });
  const service = createMeshService(workspace, { log: (message) => err(message) });
  const byFile = service.check().diagnostics();
  const diagnostics = [...byFile.keys()].sort().flatMap((file) => byFile.get(file) ?? []);
  const cwd = process.cwd();
  if (options.format === 'json') {
    out(JSON.stringify(diagnostics.map((d) => ({ ...d, path: path.relative(cwd, d.path) })), null, 2));
  } else if (options.format === 'sarif') {
    out(JSON.stringify(toSarif(diagnostics, cwd, allRules, ruleDocumentation), null, 2));
  } else {
    for (const d of diagnostics) out(formatText(d, cwd));
    out(summary(diagnostics, service.roots().length, service.checkedFiles().length));
  }
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

function formatText(d: Diagnostic, cwd: string): string {
  return `${path.relative(cwd, d.path)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`;
}

/** What was checked and found: the builds (root kustomizations) and the files, so that a folder of manifests without a kustomization does not read as "nothing checked". */
function summary(diagnostics: Diagnostic[], roots: number, files: number): string {
  const count = (severity: string): number => diagnostics.filter((d) => d.severity === severity).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(roots, 'kustomization')} and ${plural(files, 'file')} checked: ${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('information') + count('hint'), 'note')}`;
}

if (require.main === module) {
  // A reader that stops early (`| head`) closes the pipe: stop writing, keep the exit status.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit();
  });
  process.exitCode = run(
    process.argv.slice(2),
    (text) => process.stdout.write(text + '\n'),
    (text) => process.stderr.write(text + '\n'),
  );
}
