import { unknownChange, type Change, type ChangePlan } from '../modules/lib/plan.js';
import { CheckFailed } from '../modules/lib/context.js';
import { withEnv } from '../modules/lib/env.js';
import { q } from '../transport/quote.js';
import type { Transport } from '../transport/transport.js';

/** The write script's exit status when the new content fails its `validate` command. */
const VALIDATE_FAILED = 65;

export function tempPathFor(path: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.amq-runbook.tmp`;
}

function chownArg(owner?: string, group?: string): string | undefined {
  if (owner && group) return `${owner}:${group}`;
  if (owner) return owner;
  if (group) return `:${group}`;
  return undefined;
}

/**
 * The shell script that replaces a file atomically: a temp file in the same directory gets the
 * content (from stdin), the old file's owner and mode (or the requested ones), passes `validate`,
 * then is renamed over the old one. A failure at any step removes the temp file and leaves the old.
 */
export function fileScript(c: { path: string; mode?: string; owner?: string; group?: string; validate?: string; backup?: boolean }): string {
  const lines = [
    'set -e',
    `p=${q(c.path)}`,
    `t=${q(tempPathFor(c.path))}`,
    'rm -f -- "$t"',
    `trap 'rm -f -- "$t"' EXIT`,
    'umask 077',
    'cat > "$t"',
    'if [ -e "$p" ]; then chmod --reference="$p" -- "$t"; chown --reference="$p" -- "$t" 2>/dev/null || true; else chmod 0644 -- "$t"; fi',
  ];
  if (c.mode) lines.push(`chmod ${q(c.mode)} -- "$t"`);
  const own = chownArg(c.owner, c.group);
  if (own) lines.push(`chown ${q(own)} -- "$t"`);
  if (c.validate) lines.push(`if ! ${c.validate.split('%s').join('"$t"')} >&2; then exit ${VALIDATE_FAILED}; fi`);
  if (c.backup) lines.push('if [ -e "$p" ]; then cp -p -- "$p" "$p.$(date +%Y%m%d%H%M%S)~"; fi');
  lines.push('mv -f -- "$t" "$p"', 'trap - EXIT');
  return lines.join('\n');
}

/** One change as a shell command and its stdin. */
export function changeCommand(c: Change): { cmd: string; stdin?: string | Buffer } {
  switch (c.kind) {
    case 'file':
      return { cmd: fileScript(c), stdin: c.after };
    case 'upload':
      return { cmd: fileScript(c), stdin: c.data };
    case 'remove':
      return { cmd: `rm -rf -- ${q(c.path)}` };
    case 'dir': {
      const steps = [`mkdir -p -- ${q(c.path)}`];
      if (c.mode) steps.push(`chmod ${q(c.mode)} -- ${q(c.path)}`);
      const own = chownArg(c.owner, c.group);
      if (own) steps.push(`chown ${q(own)} -- ${q(c.path)}`);
      return { cmd: steps.join(' && ') };
    }
    case 'attrs': {
      const r = c.recurse ? '-R ' : '';
      const steps: string[] = [];
      if (c.mode) steps.push(`chmod ${r}${q(c.mode[1])} -- ${q(c.path)}`);
      const own = chownArg(c.owner?.[1], c.group?.[1]);
      if (own) steps.push(`chown ${r}${q(own)} -- ${q(c.path)}`);
      return { cmd: steps.join(' && ') || 'true' };
    }
    case 'command':
      return c.env ? withEnv(c.cmd, c.env) : { cmd: c.cmd };
    default:
      return unknownChange(c);
  }
}

/** What a change does, in words, for the message when it fails. */
function attempt(c: Change): string {
  switch (c.kind) {
    case 'file':
    case 'upload':
      return `cannot write ${c.path}`;
    case 'remove':
      return `cannot remove ${c.path}`;
    case 'dir':
      return `cannot create the directory ${c.path}`;
    case 'attrs':
      return `cannot set the owner or mode of ${c.path}`;
    case 'command':
      return `${c.cmd.trim().split('\n')[0]} exited with`;
    default:
      return unknownChange(c);
  }
}

/** Makes the changes of a plan, in order; stops at the first that fails, naming the command that ran. */
export async function applyPlan(t: Transport, plan: ChangePlan, sudo: boolean): Promise<void> {
  for (const c of plan.changes) {
    const { cmd, stdin } = changeCommand(c);
    const result = await t.exec(cmd, { sudo, ...(stdin !== undefined ? { stdin } : {}) });
    if (result.code === 0) continue;
    const ran = { cmd, ...result };
    if (c.kind === 'file' && result.code === VALIDATE_FAILED) throw new CheckFailed(`the new ${c.path} failed its check (${c.validate}); the old file is kept`, ran);
    if (c.kind === 'command') throw new CheckFailed(`${attempt(c)} ${result.code}`, ran);
    const why = result.stderr.trim().split('\n').at(-1) || `exit ${result.code}`;
    throw new CheckFailed(`${attempt(c)}: ${why}`, ran);
  }
}
