import { posix } from 'node:path';
import { fileStat } from '../facts/files.js';
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

export interface ContentOptions {
  backup?: boolean;
  validate?: string;
  /** Replaces "create PATH" / "update PATH" when the content changes. */
  summary?: string;
  /** Replaces "PATH already up to date". */
  note?: string;
}

/** Compares a file's current state with the wanted content and attributes. Pure. */
export function planContent(path: string, cur: CurrentFile | null, after: string, want: WantedAttrs, o: ContentOptions = {}): Plan {
  const write: Extract<Change, { kind: 'file' }> = { kind: 'file', path, before: cur?.text ?? null, after, ...want };
  if (o.validate !== undefined) write.validate = o.validate;
  if (cur === null) return change(o.summary ?? `create ${path}`, write);
  const attrs = attrsChange(path, cur.stat, want);
  if (cur.text !== after) {
    if (o.backup) write.backup = true;
    if (attrs) write.details = describeAttrs(attrs);
    return change(o.summary ?? `update ${path}`, write);
  }
  if (attrs) return change(`set ${attrsSetting(attrs)} on ${path}`, attrs);
  return ok(o.note ?? `${path} already up to date`);
}

/** The whole check of a file with given content: read, compare, plan. */
export async function planFile(ctx: CheckContext, path: string, after: string, attrs: WantedAttrs, o: ContentOptions = {}): Promise<Plan> {
  const want = await wantedAttrs(ctx, attrs);
  const cur = await readCurrent(ctx, path);
  if (cur === null) await requireParent(ctx, path);
  return planContent(path, cur, after, want, o);
}

/** state: absent for a file. */
export async function planRemoval(ctx: CheckContext, path: string): Promise<Plan> {
  const stat = await ctx.stat(path);
  if (!stat) return ok(`${path} already absent`);
  if (stat.type === 'dir') throw new CheckFailed(`${path} is a directory; remove it with a directory task (state: absent)`);
  const before = stat.type === 'file' ? await ctx.read(path) : null;
  return change(`remove ${path}`, { kind: 'remove', path, before });
}
