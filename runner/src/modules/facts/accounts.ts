import type { ExecResult } from '../../transport/transport.js';
import { cmd } from '../../transport/quote.js';
import { CheckFailed, type Fact } from '../lib/context.js';

export type AccountKind = 'user' | 'group';

/** The name of a numeric user or group id, as `stat` shows it; null when no account has that id. */
export function accountName(kind: AccountKind, id: string): Fact<string | null> {
  return {
    name: `account_name:${kind}:${id}`,
    command: cmd('getent', kind === 'user' ? 'passwd' : 'group', id),
    parse: parseAccountName,
  };
}

export function parseAccountName(out: ExecResult): string | null {
  if (out.code !== 0) return null;
  const name = out.stdout.split('\n')[0].split(':')[0];
  return name === '' ? null : name;
}

const DATABASE: Record<AccountKind, string> = { user: 'passwd', group: 'group' };

/** Whether a user or group of that name exists on the host (getent exits 2 for none). */
export function accountExists(kind: AccountKind, name: string): Fact<boolean> {
  const command = cmd('getent', DATABASE[kind], name);
  return { name: `account_exists:${kind}:${name}`, command, parse: (out) => parseAccountExists(out, command) };
}

export function parseAccountExists(out: ExecResult, command = 'getent'): boolean {
  if (out.code === 0) return true;
  if (out.code === 2) return false;
  throw new CheckFailed(`cannot look up accounts: ${out.stderr.trim() || `getent exited with ${out.code}`}`, { cmd: command, ...out });
}

/** Every user (or group) name the host lists: for a suggestion when a name is not there. */
export function accountNames(kind: AccountKind): Fact<string[]> {
  return { name: `account_names:${kind}`, command: cmd('getent', DATABASE[kind]), parse: parseAccountNames };
}

export function parseAccountNames(out: ExecResult): string[] {
  if (out.code !== 0) return [];
  return out.stdout
    .split('\n')
    .map((l) => l.split(':')[0]!.trim())
    .filter(Boolean);
}

/** The name of a user's primary group (`id -gn`); null when there is no such user. */
export function primaryGroup(user: string): Fact<string | null> {
  return { name: `primary_group:${user}`, command: cmd('id', '-gn', '--', user), parse: parsePrimaryGroup };
}

export function parsePrimaryGroup(out: ExecResult): string | null {
  const name = out.stdout.trim();
  return out.code === 0 && name ? name : null;
}
