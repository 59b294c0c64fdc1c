import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMeshService, DiskFileSource, stageViewMarkdown, stageViewText, Workspace } from '../engine';
import { Command, formatOption, UsageError } from './args';

const FORMATS = ['text', 'json', 'markdown'] as const;

const options = {
  format: formatOption(
    FORMATS,
    'text: per kustomization its stage, path, each version with its share and whether it runs, and the moves; json: the same as data; markdown: for a pull-request comment.',
  ),
} as const;

export const stageCommand: Command<typeof options> = {
  name: 'stage',
  summary: 'Show where each rollout under PATH stands: services, versions, shares, the stage and the moves.',
  synopsis: '[PATH...] [--format text|json|markdown]',
  description:
    'Finds every kustomization under the paths whose directory has router files and shows its rollout as the editor does: the stage on the path blue → blue/green → canary → green → green final, each service with its versions, whether each runs and its share under the enabled router, and the moves the router files allow.',
  arguments: [{ name: 'PATH...', description: 'Files and folders to look in. Default: the current directory.' }],
  options,
  exitStatus: [[0, 'The stages were shown (a kustomization in no stage too: that is what the command tells).']],
  examples: ['mesh-kustomize stage examples --format markdown'],
  run({ values, positionals }, { out }) {
    const paths = positionals.length > 0 ? positionals : ['.'];
    for (const p of paths) if (!fs.existsSync(p)) throw new UsageError(`no such file or directory: ${p}`);
    const workspace = new Workspace(new DiskFileSource(), paths);
    const service = createMeshService(workspace);
    const views = service.stageViews().sort((a, b) => a.kustomization.localeCompare(b.kustomization));
    const cwd = process.cwd();
    const relative = (p: string): string => path.relative(cwd, p) || '.';
    if (values.format === 'json')
      out(
        JSON.stringify(
          views.map((v) => ({ ...v, kustomization: relative(v.kustomization) })),
          null,
          2,
        ),
      );
    else if (values.format === 'markdown') out(views.flatMap((v) => stageViewMarkdown(v, relative)).join('\n'));
    else out(views.length === 0 ? 'No kustomization with router files found.' : views.map((v) => stageViewText(v, relative).join('\n')).join('\n\n'));
    return 0;
  },
};
