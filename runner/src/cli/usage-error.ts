import { EXIT, type ExitCode } from '../engine/exit-codes.js';

/** Bad input from the command line: the run does not start. */
export class UsageError extends Error {
  readonly exit: ExitCode = EXIT.usage;
}
