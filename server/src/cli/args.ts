import { parseArgs } from 'node:util';

/**
 * The command line's machinery: commands declared as data (their options as `util.parseArgs` reads
 * them, with what their help says), parsing, help, and usage errors. A command is one entry of the
 * table in `commands.ts`.
 */

export const PROGRAM = 'mesh-kustomize';

/** Exit status of bad usage (an unknown command or option, a missing or invalid value): every command's. */
export const USAGE_EXIT = 2;

/** An option of a command: what `util.parseArgs` needs, and what the help says. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** The value's name in the help (`--format FORMAT`), for a string option. */
  valueName?: string;
  /** The values allowed, checked before the command runs. */
  choices?: readonly string[];
  /** The value used when the option is not given. */
  default?: string;
  /** What applies when the option is not given, for the help, where `default` does not say it. */
  defaultText?: string;
  description: string;
}

/** The `--format FORMAT` option every command has: its choices, text first and the default. */
export function formatOption<const C extends readonly ['text', ...string[]]>(choices: C, description: string) {
  return { type: 'string', valueName: 'FORMAT', choices, default: 'text', description } as const;
}

type Values<O extends Record<string, OptionSpec>> = {
  [K in keyof O]: (O[K]['type'] extends 'boolean' ? boolean : O[K]['type'] extends 'string' ? string : string | boolean) | undefined;
};

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export interface Command<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  name: string;
  /** One line, for the list of commands. */
  summary: string;
  /** What follows the command's name on its usage line. */
  synopsis: string;
  description: string;
  /** Positional arguments, for the help; a command without any refuses them. */
  arguments?: readonly { name: string; description: string }[];
  options: O;
  /** Exit statuses other than bad usage's, with what each means. */
  exitStatus: readonly [number, string][];
  examples: readonly string[];
  /** Runs the command: its exit status (a promise of it, for a command that waits on processes). Throws a UsageError for arguments it refuses. */
  run(args: { values: Values<O>; positionals: string[] }, output: Output): number | Promise<number>;
}

/** The help option every command has. */
const HELP: OptionSpec = { type: 'boolean', short: 'h', description: 'Show this help.' };

/** Bad usage: reported in one line, with the usage line of the command (or the program) and where its help is. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** Whether the program's usage applies (an unknown command) rather than the command's. */
    readonly ofProgram = false,
  ) {
    super(message);
  }
}

/** Runs the command line `argv` (the arguments after the program's name): the exit status, or its promise for a command that waits. */
export function runCommandLine(commands: readonly Command[], argv: readonly string[], output: Output): number | Promise<number> {
  const [name, ...rest] = argv;
  let command: Command | undefined;
  try {
    if (name === '-h' || name === '--help') {
      output.out(programHelp(commands));
      return 0;
    }
    if (name === undefined) throw new UsageError('missing command', true);
    if (name.startsWith('-')) throw new UsageError(`unknown option '${name}' (options follow the command)`, true);
    command = commands.find((c) => c.name === name);
    if (!command) throw new UsageError(`unknown command '${name}'`, true);
    const args = parseCommandArguments(command, rest);
    if (args === 'help') {
      output.out(commandHelp(command));
      return 0;
    }
    const status = command.run(args, output);
    const running = command;
    return typeof status === 'number' ? status : status.catch((error: unknown) => usageFailure(commands, running, error, output));
  } catch (error) {
    return usageFailure(commands, command, error, output);
  }
}

/** Reports bad usage in one line with the usage and where the help is: the usage exit status. Other errors go on up. */
function usageFailure(commands: readonly Command[], command: Command | undefined, error: unknown, output: Output): number {
  if (!(error instanceof UsageError)) throw error;
  const scope = error.ofProgram || !command ? undefined : command;
  const pointer = scope ? `${PROGRAM} ${scope.name} --help` : `${PROGRAM} --help`;
  const usage = scope ? commandUsage(scope) : programUsage(commands);
  output.err(`${PROGRAM}: ${error.message}\n${usage}\nRun '${pointer}' for more.`);
  return USAGE_EXIT;
}

/** The command's values and positionals, or 'help' when its help is asked for (anywhere before `--`). */
function parseCommandArguments(command: Command, args: string[]): { values: Record<string, string | boolean | undefined>; positionals: string[] } | 'help' {
  const options: Record<string, OptionSpec> = { ...command.options, help: HELP };
  // Not strict: the tokens are checked here, for one-line messages in the command's words.
  const { values, positionals, tokens } = parseArgs({ args, options, allowPositionals: true, strict: false, tokens: true });
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return 'help';
  for (const token of tokens) {
    if (token.kind === 'positional' && !command.arguments?.length) throw new UsageError(`unexpected argument '${token.value}'`);
    if (token.kind !== 'option') continue;
    const spec: OptionSpec | undefined = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (!spec) throw new UsageError(`unknown option '${token.rawName}'`);
    if (spec.type === 'boolean') {
      if (token.value !== undefined) throw new UsageError(`option '${token.rawName}' takes no value`);
      continue;
    }
    // As strict parsing has it: a value that starts with a dash is taken only as --name=-value.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-'))) {
      throw new UsageError(
        `option '${token.rawName}' needs a value${spec.choices ? ` (${listOf(spec.choices)})` : spec.valueName ? ` (${spec.valueName})` : ''}`,
      );
    }
    if (spec.choices && !spec.choices.includes(token.value)) throw new UsageError(`unknown ${token.rawName} value '${token.value}' (${listOf(spec.choices)})`);
  }
  return { values, positionals };
}

function listOf(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function commandUsage(command: Command): string {
  return `Usage: ${PROGRAM} ${command.name} ${command.synopsis}`;
}

function programUsage(commands: readonly Command[]): string {
  return commands.map((c, i) => `${i === 0 ? 'Usage: ' : '       '}${PROGRAM} ${c.name} ${c.synopsis}`).join('\n');
}

const USAGE_STATUS: [number, string] = [USAGE_EXIT, 'Bad usage: an unknown command or option, a missing or invalid value.'];

export function commandHelp(command: Command): string {
  const options = Object.entries({ ...command.options, help: HELP }).map(([name, spec]): [string, string] => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
    const fallback = spec.defaultText ?? spec.default;
    return [flag, `${spec.description}${fallback === undefined ? '' : ` Default: ${fallback}.`}`];
  });
  const sections = [commandUsage(command), wrap(command.description, 0)];
  if (command.arguments?.length) sections.push(`Arguments:\n${table(command.arguments.map((a) => [a.name, a.description]))}`);
  sections.push(`Options:\n${table(options)}`);
  sections.push(`Exit status:\n${table([...command.exitStatus, USAGE_STATUS].map(([code, text]) => [String(code), text]))}`);
  sections.push(`${command.examples.length === 1 ? 'Example' : 'Examples'}:\n${command.examples.map((e) => `  ${e}`).join('\n')}`);
  return sections.join('\n\n');
}

export function programHelp(commands: readonly Command[]): string {
  const statuses = new Map<number, string[]>();
  for (const command of commands) {
    for (const [code, text] of command.exitStatus)
      statuses.set(code, [...(statuses.get(code) ?? []), `${command.name}: ${text.charAt(0).toLowerCase()}${text.slice(1)}`]);
  }
  const exitStatus = [...statuses].sort(([a], [b]) => a - b).map(([code, texts]): [string, string] => [String(code), texts.join(' ')]);
  return [
    programUsage(commands),
    wrap('Checks blue/green and canary rollouts of service-mesh traffic in kustomize trees, across files.', 0),
    `Commands:\n${table(commands.map((c) => [c.name, c.summary]))}`,
    `Options:\n${table([['-h, --help', "Show this help; COMMAND --help (or help COMMAND) shows a command's."]])}`,
    `Exit status:\n${table([...exitStatus, [String(USAGE_EXIT), USAGE_STATUS[1]]])}`,
    `Examples:\n${commands
      .flatMap((c) => c.examples.slice(0, 1))
      .map((e) => `  ${e}`)
      .join('\n')}`,
  ].join('\n\n');
}

const WIDTH = 80;

/** Words wrapped to the width, every line indented by `indent` spaces, the first one after `first` (padded to the indent). */
function wrap(text: string, indent: number, first = ''): string {
  const lines: string[] = [];
  let line = first.padEnd(indent);
  if (line.length > indent) {
    lines.push(line);
    line = ' '.repeat(indent);
  }
  let empty = true;
  for (const word of text.split(/\s+/)) {
    if (!empty && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = ' '.repeat(indent);
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
  }
  lines.push(line);
  return lines.join('\n');
}

/** Two columns: names, and their descriptions wrapped under each other. */
function table(rows: readonly (readonly [string, string])[]): string {
  const indent = Math.min(Math.max(...rows.map(([name]) => name.length)) + 4, 24);
  return rows.map(([name, text]) => wrap(text, indent, `  ${name}`)).join('\n');
}
