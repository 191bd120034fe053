// `kiln`: parses the command line, runs the command, and turns what went wrong into a
// message on stderr and an exit code (see EXIT).
import { CommanderError } from 'commander';
import { KilnProblemError } from '../problem';
import { CliExit, EXIT } from './exit-codes';
import { createProgram } from './program';
import { err } from './terminal';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../package.json') as { version: string };

async function main(argv: string[]): Promise<number> {
  const program = createProgram(version).exitOverride();
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    return exitCodeOf(error);
  }
}

function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.error; // help and version exit 0
  if (error instanceof CliExit) {
    if (error.message) process.stderr.write(`${err.red('kiln:')} ${error.message}\n`);
    return error.code;
  }
  if (error instanceof KilnProblemError) {
    process.stderr.write(
      `${err.red(`kiln: ${error.title}`)}${error.detail ? `: ${error.detail}` : ''}\n`,
    );
    for (const field of error.errors) process.stderr.write(`  ${field.field}: ${field.message}\n`);
    if (error.status === 401) {
      process.stderr.write('Log in again with `kiln login`.\n');
      return EXIT.unauthenticated;
    }
    return EXIT.error;
  }
  const cause = (error as { cause?: { code?: string } }).cause;
  const message =
    cause?.code === 'ECONNREFUSED' ? 'cannot reach the server' : (error as Error).message;
  process.stderr.write(`${err.red('kiln:')} ${message}\n`);
  return EXIT.error;
}

// Exits once stdout is flushed: an open event stream or a SIGINT listener must not keep
// a finished command alive.
void main(process.argv).then((code) => process.stdout.write('', () => process.exit(code)));
