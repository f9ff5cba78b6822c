import { CheckFailed, type CheckContext, type CommandResult } from './context.js';
import { requireProgram } from './program.js';

/**
 * Runs a file's `validate` command on the candidate before anything is written (the candidate on
 * stdin, `%s` as /dev/stdin), so the check, and so a dry-run, already refuses what the write
 * would. Returns what the command answered when it refused; undefined when it accepted.
 */
export async function refusal(ctx: CheckContext, validate: string, candidate: string, what: string): Promise<CommandResult | undefined> {
  await requireProgram(ctx, validate, `${what} cannot be checked`);
  // Through `cat |` the checker's stdin is a pipe: a transport may hand it a socket, which /dev/stdin cannot open.
  const cmd = `cat | ${validate.replaceAll('%s', '/dev/stdin')}`;
  const r = await ctx.run(cmd, { stdin: candidate, timeoutMs: 30_000 });
  return r.code === 0 ? undefined : { cmd, ...r };
}

/** The refusal as the task's failure: the checker's last words. */
export function refused(what: string, validate: string, r: CommandResult): CheckFailed {
  const why = (r.stderr.trim() || r.stdout.trim()).split('\n').at(-1) || `exit ${r.code}`;
  return new CheckFailed(`${what} fails its check (${validate}): ${why}`, r);
}
