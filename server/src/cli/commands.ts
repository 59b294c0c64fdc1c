import { Command, commandHelp, programHelp, UsageError } from './args';
import { checkCommand } from './check';
import { diffCommand } from './diff';
import { migrateCommand } from './migrate';
import { probeCommand } from './probe';
import { stageCommand } from './stage';

/** The commands of `mesh-kustomize`, in the order the help lists them: a new command is one entry. */
export const COMMANDS: readonly Command[] = [
  checkCommand,
  stageCommand,
  diffCommand,
  migrateCommand,
  probeCommand,
  {
    name: 'help',
    summary: 'Show the help of a command (as COMMAND --help does), or of the program.',
    synopsis: '[COMMAND]',
    description: 'Shows the help of COMMAND: its usage, options with their defaults, exit status and an example.',
    arguments: [{ name: 'COMMAND', description: 'The command to explain. Default: the program itself.' }],
    options: {},
    exitStatus: [[0, 'The help was shown.']],
    examples: ['mesh-kustomize help check'],
    run({ positionals: [name, ...more] }, { out }) {
      if (more.length > 0) throw new UsageError(`unexpected argument '${more[0]}'`);
      if (name === undefined) {
        out(programHelp(COMMANDS));
        return 0;
      }
      const command = COMMANDS.find((c) => c.name === name);
      if (!command) throw new UsageError(`unknown command '${name}'`, true);
      out(commandHelp(command));
      return 0;
    },
  },
];
