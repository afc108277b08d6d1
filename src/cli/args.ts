/**
 * @module cli/args
 * The CLIs' shared argument parsing (node:util parseArgs) and exit codes:
 * 0 done, 1 the work failed (bad data, bad model), 2 bad usage.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PagesiftError } from '../errors';

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCliArgs<O extends Options>(usage: string, options: O) {
  try {
    return parseArgs({ args: process.argv.slice(2), options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    process.exit(EXIT_USAGE);
  }
}

/** Runs a CLI body; a known error becomes one line on stderr and exit 1, never a stack trace. */
export function runCli(body: () => void | Promise<void>): void {
  Promise.resolve()
    .then(body)
    .catch((error: unknown) => {
      if (error instanceof PagesiftError) {
        process.stderr.write(`error: ${error.message}\n`);
        process.exit(EXIT_FAILURE);
      }
      process.stderr.write(`unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(EXIT_FAILURE);
    });
}
