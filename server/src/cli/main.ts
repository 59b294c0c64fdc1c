import { runCommandLine } from './args';
import { COMMANDS } from './commands';

/** Runs `mesh-kustomize` with the arguments after its name: the exit status (its promise, for `probe`). */
export function run(argv: string[], out: (text: string) => void, err: (text: string) => void): number | Promise<number> {
  return runCommandLine(COMMANDS, argv, { out, err });
}

if (require.main === module) {
  // A reader that stops early (`| head`) closes the pipe: stop writing, keep the exit status.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit();
  });
  const status = run(
    process.argv.slice(2),
    (text) => process.stdout.write(text + '\n'),
    (text) => process.stderr.write(text + '\n'),
  );
  if (typeof status === 'number') process.exitCode = status;
  else
    void status.then((code) => {
      process.exitCode = code;
    });
}
