import { cmd } from '../../transport/quote.js';
import { CheckFailed, type CheckContext } from './context.js';

/** The program a command line starts with, when it is a plain word (after any VAR=value); else undefined. */
export function programOf(line: string): string | undefined {
  const words = line.trim().split(/\s+/);
  let i = 0;
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i++;
  const w = words[i];
  return w !== undefined && /^[A-Za-z0-9_./+-]+$/.test(w) ? w : undefined;
}

/**
 * The program a command runs is there, or the task fails saying so: not a shell's "not found"
 * half-way through. A path is looked at as a check sees it (a file an earlier task writes
 * counts); a name is looked up in the PATH of the host.
 */
export async function requireProgram(ctx: CheckContext, line: string, what: string): Promise<void> {
  const prog = programOf(line);
  if (prog === undefined) return;
  if (prog.includes('/')) {
    const stat = await ctx.stat(prog);
    if (stat && (parseInt(stat.mode, 8) & 0o111) !== 0) return;
    throw new CheckFailed(`${what}: ${prog} ${stat ? 'is not executable' : 'does not exist'} on ${ctx.host.name}, so '${line}' cannot run`);
  }
  const found = await ctx.run(cmd('command', '-v', prog));
  if (found.code !== 0) throw new CheckFailed(`${what}: ${prog} is not installed on ${ctx.host.name}, so '${line}' cannot run`);
}
