import { cmd } from '../../transport/quote.js';
import { CheckFailed, type CheckContext } from './context.js';

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

/** getent exits 2 when the key is not in the database. */
const NOT_FOUND = 2;

async function getent<T>(ctx: CheckContext, db: 'passwd' | 'group', key: string, parse: (s: string) => T | undefined): Promise<T | undefined> {
  const line = cmd('getent', db, key);
  const r = await ctx.run(line);
  if (r.code === NOT_FOUND) return undefined;
  const entry = r.code === 0 ? parse(r.stdout) : undefined;
  if (!entry) throw new CheckFailed(`cannot look up ${db === 'passwd' ? 'user' : 'group'} ${key}: ${r.stderr.trim() || `exit ${r.code}`}`, { cmd: line, ...r });
  return entry;
}

export const lookupUser = (ctx: CheckContext, name: string) => getent(ctx, 'passwd', name, parsePasswd);
export const lookupGroup = (ctx: CheckContext, name: string) => getent(ctx, 'group', name, parseGroup);
