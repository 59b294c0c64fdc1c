import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  createMeshService,
  defaultBranch,
  DiffSide,
  diffSide,
  DiskFileSource,
  FileSource,
  GitError,
  GitRevisionSource,
  mergeBase,
  renames,
  repositoryRoot,
  resolveCommit,
  trafficDiff,
  trafficDiffMarkdown,
  trafficDiffText,
  Workspace,
} from '../engine';
import { Command, formatOption, UsageError } from './args';

const FORMATS = ['text', 'json', 'markdown'] as const;

const options = {
  format: formatOption(
    FORMATS,
    'text: per changed kustomization its stage change and each service split; json: the same as data; markdown: for a pull-request comment.',
  ),
  directory: { type: 'string', valueName: 'DIR', short: 'C', description: 'Run as if started in DIR (a folder inside the repository).' },
} as const;

function side(source: FileSource, scope: string): DiffSide {
  return diffSide(createMeshService(new Workspace(source, [scope])));
}

export const diffCommand: Command<typeof options> = {
  name: 'diff',
  summary: 'Show what a change does to traffic: stage changes, splits, versions started and stopped, errors introduced and fixed.',
  synopsis: '[BASE [HEAD]] [-C DIR] [--format text|json|markdown]',
  description:
    'Compares the rollouts of two revisions of the git repository: by default the merge base of HEAD with the default branch (origin/HEAD, else main, else master) against the working tree; BASE alone against the working tree; BASE and HEAD against each other. Revisions are read from git, the working tree and index are left alone; renamed kustomizations are followed.',
  arguments: [
    { name: 'BASE', description: 'The older revision. Default: the merge base of HEAD with the default branch.' },
    { name: 'HEAD', description: 'The newer revision. Default: the working tree.' },
  ],
  options,
  exitStatus: [
    [0, 'The change introduces no error.'],
    [1, 'The change introduces an error.'],
  ],
  examples: ['mesh-kustomize diff main --format markdown'],
  run({ values, positionals }, { out }) {
    if (positionals.length > 2) throw new UsageError(`unexpected argument '${positionals[2]}'`);
    const dir = path.resolve(values.directory ?? '.');
    if (!fs.existsSync(dir)) throw new UsageError(`no such directory: ${dir}`);
    const root = repositoryRoot(dir);
    if (!root) throw new UsageError(`not a git repository: ${dir}`);
    const scope = fs.realpathSync(dir);
    try {
      let base = positionals[0];
      if (base === undefined) {
        const branch = defaultBranch(root);
        if (!branch) throw new UsageError('no default branch (origin/HEAD, main or master): name BASE');
        base = mergeBase(root, resolveCommit(root, 'HEAD'), resolveCommit(root, branch));
      }
      const baseCommit = resolveCommit(root, base);
      const headCommit = positionals[1] === undefined ? undefined : resolveCommit(root, positionals[1]);
      const before = side(new GitRevisionSource(root, baseCommit), scope);
      const after = side(headCommit ? new GitRevisionSource(root, headCommit) : new DiskFileSource(), scope);
      const renamed = new Map([...renames(root, baseCommit, headCommit)].map(([to, from]) => [path.join(root, from), path.join(root, to)]));
      const diff = trafficDiff(before, after, (p) => renamed.get(p));
      const cwd = process.cwd();
      const relative = (p: string): string => path.relative(cwd, p) || '.';
      if (values.format === 'json') out(JSON.stringify(diff, null, 2));
      else if (values.format === 'markdown') out(trafficDiffMarkdown(diff, relative).join('\n'));
      else out(trafficDiffText(diff, relative).join('\n'));
      return diff.introduced.length > 0 ? 1 : 0;
    } catch (error) {
      if (error instanceof GitError) throw new UsageError(error.message);
      throw error;
    }
  },
};
