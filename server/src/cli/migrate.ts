import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DiskFileSource,
  isKustomizationFileName,
  markdownReport,
  MIGRATION_TARGETS,
  MigrationPlan,
  MigrationTarget,
  planMigration,
  TARGET_LABELS,
  Workspace,
} from '../engine';
import { Command, formatOption, UsageError } from './args';

const FORMATS = ['text', 'json', 'markdown'] as const;

const options = {
  to: {
    type: 'string',
    valueName: 'TARGET',
    choices: MIGRATION_TARGETS,
    description: `The API to migrate to: ${MIGRATION_TARGETS.map((t) => `${t}: ${TARGET_LABELS[t]}`).join('; ')}.`,
  },
  out: {
    type: 'string',
    valueName: 'DIR',
    defaultText: 'DIR-TARGET beside DIR',
    description: 'Where the migrated tree is written; refused when it exists and is not empty.',
  },
  'dry-run': { type: 'boolean', description: 'List the files it would write and the report, and write nothing.' },
  format: formatOption(
    FORMATS,
    'How the report of what does not carry over is printed: text (file:line:col severity message), json, or markdown (for a pull request).',
  ),
} as const;

export const migrateCommand: Command<typeof options> = {
  name: 'migrate',
  summary: 'Migrate an App Mesh rollout to Gateway API (GAMMA), VPC Lattice or Istio, stage for stage.',
  synopsis: 'DIR --to gamma|lattice|istio [--out DIR] [--dry-run] [--format text|json|markdown]',
  description:
    "Writes the rollout of DIR's kustomization on the new API into a new folder: the same files, every router file as its successor with the same split, each version as a Service or subset, and the kustomization with every entry in place, enabled or commented as before, so the stage stays the stage. Then reports what does not carry over, at the App Mesh line that has it.",
  arguments: [{ name: 'DIR', description: 'The folder of an App Mesh kustomization (the one a stage change edits).' }],
  options,
  exitStatus: [
    [0, 'The tree was written (or, with --dry-run, would be).'],
    [1, 'The tree cannot be migrated as it is (App Mesh v1beta1): nothing was written.'],
  ],
  examples: ['mesh-kustomize migrate examples/dj --to gamma --out examples/dj-gamma'],
  run({ values, positionals }, { out, err }) {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'DIR is missing' : `unexpected argument '${positionals[1]}'`);
    if (values.to === undefined) throw new UsageError('--to is missing: gamma, lattice or istio');
    const dir = path.resolve(positionals[0]);
    const name = fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? fs.readdirSync(dir).find(isKustomizationFileName) : undefined;
    if (!name) throw new UsageError(`no kustomization in ${positionals[0]}`);
    const target = values.to as MigrationTarget;
    const outDir = path.resolve(values.out ?? `${dir}-${target}`);
    if (fs.existsSync(outDir) && (!fs.statSync(outDir).isDirectory() || fs.readdirSync(outDir).length > 0))
      throw new UsageError(`${path.relative(process.cwd(), outDir) || outDir} exists and is not empty`);
    const workspace = new Workspace(new DiskFileSource(), [dir]);
    const kustomization = workspace.file(path.join(dir, name))?.kustomization;
    if (!kustomization) throw new UsageError(`${name} in ${positionals[0]} cannot be read`);
    const plan = planMigration(workspace, kustomization, target, outDir);
    if (plan.refusal) {
      err(`mesh-kustomize: not migrated: ${plan.refusal}`);
      return 1;
    }
    if (!values['dry-run']) {
      fs.mkdirSync(outDir, { recursive: true });
      for (const file of plan.files) fs.writeFileSync(file.path, file.text, { flag: 'wx' });
    }
    out(formatPlan(plan, values.format as (typeof FORMATS)[number], Boolean(values['dry-run'])));
    return 0;
  },
};

function formatPlan(plan: MigrationPlan, format: (typeof FORMATS)[number], dryRun: boolean): string {
  const cwd = process.cwd();
  const rel = (p: string): string => path.relative(cwd, p) || '.';
  const notes = plan.notes.map((n) => ({ ...n, path: rel(n.path), line: n.range.start.line + 1, column: n.range.start.character + 1 }));
  if (format === 'json') {
    return JSON.stringify({ target: plan.target, outDir: rel(plan.outDir), written: !dryRun, files: plan.files.map((f) => rel(f.path)), notes }, null, 2);
  }
  const verb = dryRun ? 'Would write' : 'Wrote';
  if (format === 'markdown') return markdownReport(plan, rel, !dryRun);
  return [
    `${verb} ${plan.files.length} files to ${rel(plan.outDir)} (${TARGET_LABELS[plan.target]}):`,
    ...plan.files.map((f) => `  ${path.basename(f.path)}`),
    notes.length === 0 ? 'Everything carries over.' : 'What does not carry over:',
    ...notes.map((n) => `${n.path}:${n.line}:${n.column} ${n.severity} ${n.message}`),
  ].join('\n');
}
