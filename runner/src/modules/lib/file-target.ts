import { posix } from 'node:path';
import { accountExists, accountNames, primaryGroup } from '../facts/accounts.js';
import { fileStat } from '../facts/files.js';
import { didYouMean } from '../../runbook/suggest.js';
import { attrsChange, attrsSetting, describeAttrs, wantedAttrs, type WantedAttrs } from './attrs.js';
import { CheckFailed, Unknowable, type CheckContext, type FileStat } from './context.js';
import { change, ok, type Change, type Plan } from './plan.js';

/** A file on the host as it is now: its text, and the attributes chmod and chown act on. */
export interface CurrentFile {
  stat: FileStat;
  text: string;
}

/** The file at `path`, or null when nothing is there. Refuses a directory or a special file. */
export async function readCurrent(ctx: CheckContext, path: string): Promise<CurrentFile | null> {
  const stat = await ctx.stat(path);
  if (!stat) return null;
  if (stat.type === 'dir') throw new CheckFailed(`${path} is a directory, not a file`);
  if (stat.type === 'other') throw new CheckFailed(`${path} is not a regular file`);
  const text = await ctx.read(path);
  // A dangling symbolic link: there is nothing to read, so the file is written anew.
  if (text === null) return null;
  return { stat: stat.type === 'link' ? await linkTarget(ctx, path) : stat, text };
}

/** The attributes of the file a symbolic link points to (chmod and chown follow the link). */
async function linkTarget(ctx: CheckContext, path: string): Promise<FileStat> {
  const probe = fileStat(path, { follow: true });
  const stat = probe.parse(await ctx.run(probe.command));
  if (!stat) throw new CheckFailed(`${path} is a symbolic link to nothing`);
  return stat;
}

/** A new file needs its directory: the engine writes a temporary file beside it. */
export async function requireParent(ctx: CheckContext, path: string): Promise<void> {
  const parent = posix.dirname(path);
  const stat = await ctx.stat(parent);
  if (!stat) throw new CheckFailed(`cannot create ${path}: the directory ${parent} does not exist (create it first with a directory task)`);
  if (stat.type !== 'dir' && stat.type !== 'link') throw new CheckFailed(`cannot create ${path}: ${parent} is not a directory`);
}

/** The owner and group a change gives must exist on the host, or chown fails half-way through. */
export async function requireAccounts(ctx: CheckContext, want: WantedAttrs): Promise<void> {
  for (const [kind, name] of [['user', want.owner], ['group', want.group]] as const) {
    // A numeric id needs no account: chown takes it as it is.
    if (name === undefined || /^\d+$/.test(name)) continue;
    const planned = ctx.plannedAccount(kind, name);
    if (planned === true || (planned === undefined && (await ctx.fact(accountExists(kind, name))))) continue;
    // Debian's nobody user has the group nogroup: a user's own group is the likeliest meant.
    const own = kind === 'group' ? await ctx.fact(primaryGroup(name)) : null;
    const hint = own ? `the user ${name} has the group ${own}` : didYouMean(name, await ctx.fact(accountNames(kind)));
    throw new CheckFailed(`the ${kind === 'user' ? 'owner' : 'group'} ${name} does not exist on ${ctx.host.name}: there is no ${kind} of that name${hint ? ` (${hint})` : ''}`);
  }
}

/** A file next to the playbook (a template or an upload). */
export async function readLocal(ctx: CheckContext, src: string): Promise<string> {
  return (await readLocalBytes(ctx, src)).toString('utf8');
}

export async function readLocalBytes(ctx: CheckContext, src: string): Promise<Buffer> {
  try {
    return await ctx.local.readBytes(src);
  } catch (e) {
    if (e instanceof CheckFailed || e instanceof Unknowable) throw e;
    throw new CheckFailed(`cannot read ${src} (${ctx.local.resolve(src)}): ${(e as Error).message}`);
  }
}

export interface WriteOptions {
  backup?: boolean;
  /** A command run on the candidate file before it replaces the old one; `%s` is its path. */
  validate?: string;
  /** Human lines naming what changed, beside the diff. */
  details?: string[];
}

export interface ContentOptions extends Omit<WriteOptions, 'details'> {
  /** Replaces "create PATH" / "update PATH" when the content changes. */
  summary?: string;
  /** Replaces "PATH already up to date". */
  note?: string;
}

/** The change that brings a file to `after` with `want` attributes; null when nothing differs. Pure. */
export function contentChange(path: string, cur: CurrentFile | null, after: string, want: WantedAttrs, o: WriteOptions = {}): Change | null {
  const write: Extract<Change, { kind: 'file' }> = { kind: 'file', path, before: cur?.text ?? null, after, ...want };
  if (o.validate !== undefined) write.validate = o.validate;
  if (o.details?.length) write.details = o.details;
  if (cur === null) return write;
  const attrs = attrsChange(path, cur.stat, want);
  if (cur.text !== after) {
    if (o.backup) write.backup = true;
    if (attrs) write.details = [...(write.details ?? []), ...describeAttrs(attrs)];
    return write;
  }
  return attrs;
}

/**
 * The one way a module writes a file. Before anything is planned it checks what the write would
 * run into, so a task fails (or would fail, in a dry-run) saying why, and never half-way: the
 * directory exists (or an earlier task of the run makes it), the owner and group exist on the
 * host. Returns the change, or null when the file already is as wanted.
 */
export async function writeChange(ctx: CheckContext, path: string, cur: CurrentFile | null, after: string, attrs: WantedAttrs, o: WriteOptions = {}): Promise<Change | null> {
  const want = await wantedAttrs(ctx, attrs);
  await requireAccounts(ctx, want);
  if (cur === null) await requireParent(ctx, path);
  return contentChange(path, cur, after, want, o);
}

/** A file change as a plan: what it does in a summary line. */
export function planOf(path: string, c: Change | null, o: Pick<ContentOptions, 'summary' | 'note'> = {}): Plan {
  if (c === null) return ok(o.note ?? `${path} already up to date`);
  if (c.kind === 'attrs') return change(`set ${attrsSetting(c)} on ${path}`, c);
  return change(o.summary ?? (c.kind === 'file' && c.before === null ? `create ${path}` : `update ${path}`), c);
}

/** The whole check of a file with given content: read, check, compare, plan. */
export async function planFile(ctx: CheckContext, path: string, after: string, attrs: WantedAttrs, o: ContentOptions = {}): Promise<Plan> {
  const cur = await readCurrent(ctx, path);
  return planOf(path, await writeChange(ctx, path, cur, after, attrs, o), o);
}

/** state: absent for a file. */
export async function planRemoval(ctx: CheckContext, path: string): Promise<Plan> {
  const stat = await ctx.stat(path);
  if (!stat) return ok(`${path} already absent`);
  if (stat.type === 'dir') throw new CheckFailed(`${path} is a directory; remove it with a directory task (state: absent)`);
  const before = stat.type === 'file' ? await ctx.read(path) : null;
  return change(`remove ${path}`, { kind: 'remove', path, before });
}
