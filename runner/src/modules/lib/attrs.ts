import type { CheckContext, FileStat } from './context.js';
import { accountName, type AccountKind } from '../facts/accounts.js';
import type { Change } from './plan.js';

/** The owner, group and mode a task asks for; absent fields are left as they are. */
export interface WantedAttrs {
  mode?: string;
  owner?: string;
  group?: string;
}

export type AttrsChange = Extract<Change, { kind: 'attrs' }>;

/** The wanted attributes with numeric ids turned into names, because `stat` reports names. */
export async function wantedAttrs(ctx: CheckContext, p: WantedAttrs): Promise<WantedAttrs> {
  const out: WantedAttrs = {};
  if (p.mode !== undefined) out.mode = p.mode;
  if (p.owner !== undefined) out.owner = await nameOf(ctx, 'user', p.owner);
  if (p.group !== undefined) out.group = await nameOf(ctx, 'group', p.group);
  return out;
}

async function nameOf(ctx: CheckContext, kind: AccountKind, value: string): Promise<string> {
  if (!/^\d+$/.test(value)) return value;
  return (await ctx.fact(accountName(kind, value))) ?? value;
}

/** Whether a path's mode already is the wanted one. */
export function modeMatches(stat: FileStat, want: string): boolean {
  const have = parseInt(stat.mode, 8);
  const wanted = parseInt(want, 8);
  // chmod with a numeric mode keeps a directory's set-user-ID and set-group-ID bits, so a
  // mode that does not mention them must not count them as a difference.
  const kept = stat.type === 'dir' && (wanted & 0o6000) === 0 ? have & ~0o6000 : have;
  return kept === wanted;
}

/** The attrs change that brings a path from `stat` to `want`, or null when nothing differs. */
export function attrsChange(path: string, stat: FileStat, want: WantedAttrs): AttrsChange | null {
  const c: AttrsChange = { kind: 'attrs', path };
  if (want.mode !== undefined && !modeMatches(stat, want.mode)) c.mode = [stat.mode, want.mode];
  if (want.owner !== undefined && want.owner !== stat.owner) c.owner = [stat.owner, want.owner];
  if (want.group !== undefined && want.group !== stat.group) c.group = [stat.group, want.group];
  return c.mode || c.owner || c.group ? c : null;
}

/** "mode 0644 → 0600", one line per attribute that changes. */
export function describeAttrs(c: AttrsChange): string[] {
  const out: string[] = [];
  for (const k of ['mode', 'owner', 'group'] as const) {
    const d = c[k];
    if (d) out.push(`${k} ${d[0]} → ${d[1]}`);
  }
  return out;
}

/** "mode 0600, owner activemq": what an attrs change sets, for a summary. */
export function attrsSetting(c: AttrsChange): string {
  return (['mode', 'owner', 'group'] as const)
    .flatMap((k) => (c[k] ? [`${k} ${c[k][1]}`] : []))
    .join(', ');
}
