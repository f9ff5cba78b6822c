import type { ExecResult } from '../../transport/transport.js';
import { cmd } from '../../transport/quote.js';
import { CheckFailed, type CheckContext, type Fact } from '../lib/context.js';

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

const DATABASE: Record<AccountKind, 'passwd' | 'group'> = { user: 'passwd', group: 'group' };

/** getent exits 2 when the key is not in the database. */
const NOT_FOUND = 2;

/** Whether a user or group of that name exists on the host (getent exits 2 for none). */
export function accountExists(kind: AccountKind, name: string): Fact<boolean> {
  const command = cmd('getent', DATABASE[kind], name);
  return { name: `account_exists:${kind}:${name}`, command, parse: (out) => parseAccountExists(out, command) };
}

export function parseAccountExists(out: ExecResult, command = 'getent'): boolean {
  if (out.code === 0) return true;
  if (out.code === NOT_FOUND) return false;
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


/** A line of the passwd database. */
export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  comment: string;
  home: string;
  shell: string;
}

/** A line of the group database. */
export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** `getent passwd NAME`'s line; undefined when there is no such user. Pure. */
export function parsePasswd(line: string): PasswdEntry | undefined {
  const f = line.replace(/\n$/, '').split('\n')[0]?.split(':') ?? [];
  if (f.length < 7) return undefined;
  return { name: f[0], uid: Number(f[2]), gid: Number(f[3]), comment: f[4], home: f[5], shell: f[6] };
}

/** `getent group NAME`'s line; undefined when there is no such group. Pure. */
export function parseGroup(line: string): GroupEntry | undefined {
  const f = line.replace(/\n$/, '').split('\n')[0]?.split(':') ?? [];
  if (f.length < 4) return undefined;
  return { name: f[0], gid: Number(f[2]), members: f[3] ? f[3].split(',') : [] };
}

/** An account's entry, read fresh (a check compares it with what the task wants); undefined when there is none. */
async function getent<T>(ctx: CheckContext, kind: AccountKind, key: string, parse: (s: string) => T | undefined): Promise<T | undefined> {
  const db = DATABASE[kind];
  const line = cmd('getent', db, key);
  const r = await ctx.run(line);
  if (r.code === NOT_FOUND) return undefined;
  const entry = r.code === 0 ? parse(r.stdout) : undefined;
  if (!entry) throw new CheckFailed(`cannot look up ${kind} ${key}: ${r.stderr.trim() || `exit ${r.code}`}`, { cmd: line, ...r });
  return entry;
}

export const lookupUser = (ctx: CheckContext, name: string) => getent(ctx, 'user', name, parsePasswd);
export const lookupGroup = (ctx: CheckContext, name: string) => getent(ctx, 'group', name, parseGroup);
