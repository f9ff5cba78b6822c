import { createHash } from 'node:crypto';
import { attrsChange, attrsSetting, wantedAttrs, type WantedAttrs } from './attrs.js';
import { CheckFailed, type CheckContext } from './context.js';
import { requireAccounts, requireParent } from './file-target.js';
import { change, ok, type Plan } from './plan.js';

/** Text a diff can show: valid UTF-8 without NUL bytes. Anything else is uploaded as bytes. */
export function isText(data: Buffer): boolean {
  return !data.includes(0) && Buffer.from(data.toString('utf8'), 'utf8').equals(data);
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A binary file from the controller (an ActiveMQ tarball): compared by checksum, replaced atomically. */
export async function planUpload(ctx: CheckContext, path: string, data: Buffer, attrs: WantedAttrs, backup: boolean): Promise<Plan> {
  const want = await wantedAttrs(ctx, attrs);
  await requireAccounts(ctx, want);
  const sum = sha256(data);
  const stat = await ctx.stat(path);
  if (stat?.type === 'dir') throw new CheckFailed(`${path} is a directory, not a file`);
  if (!stat) {
    await requireParent(ctx, path);
    return change(`upload ${path}`, { kind: 'upload', path, data, sha256: sum, before: null, ...want });
  }
  const current = await ctx.sha256(path);
  if (current === null) throw new CheckFailed(`cannot checksum ${path}: it is gone`);
  if (current !== sum) return change(`replace ${path}`, { kind: 'upload', path, data, sha256: sum, before: current, ...want, ...(backup ? { backup } : {}) });
  const a = attrsChange(path, stat, want);
  if (a) return change(`set ${attrsSetting(a)} on ${path}`, a);
  return ok(`${path} already up to date (sha256 ${sum.slice(0, 16)}…)`);
}
