import { ExecuteCommandParams } from 'vscode-languageserver';
import { CommandResult, MigrateArguments, MoveStageArguments, ServerCommands, SetCanaryWeightArguments } from '../protocol';
import { migrate } from './migration';
import { ServerContext } from './context';
import { moveStage, setCanaryWeight, showStage } from './stages';

type CommandHandler = (context: ServerContext, args: unknown) => Promise<CommandResult>;

/** The server's commands by id (each takes one argument object, see ServerCommands): what executeCommand runs and the capabilities list. */
export const COMMANDS: Readonly<Record<string, CommandHandler>> = {
  [ServerCommands.moveStage]: (context, args) => moveStage(context, args as MoveStageArguments),
  [ServerCommands.showStage]: (context, args) => showStage(context, args as { uri: string }),
  [ServerCommands.setCanaryWeight]: (context, args) => setCanaryWeight(context, args as SetCanaryWeightArguments),
  [ServerCommands.migrate]: (context, args) => migrate(context, args as MigrateArguments),
};

/** Runs a command; unknown commands answer nothing. */
export function executeCommand(context: ServerContext, params: ExecuteCommandParams): Promise<CommandResult> | undefined {
  const [args] = params.arguments ?? [];
  return Object.hasOwn(COMMANDS, params.command) ? COMMANDS[params.command](context, args) : undefined;
}
