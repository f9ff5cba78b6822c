import { cmd } from '../transport/quote.js';
import { CheckFailed, Unknowable } from './lib/context.js';
import { defineModule } from './lib/define.js';
import { readCurrent, writeChange } from './lib/file-target.js';
import { mounts, type LiveMount } from './facts/mounts.js';
import { change, ok, type Change } from './lib/plan.js';
import { findFstab, normalizeMountPath, removeFstab, upsertFstab, type FstabEntry } from './text/fstab.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  path: { type: 'path', required: true, description: 'the mount point' },
  src: { type: 'string', required: true, description: 'what to mount: server:/export for NFS, a directory for a bind mount' },
  fstype: { type: 'string', default: 'nfs', description: 'filesystem type (nfs, nfs4, none for bind mounts, ...)' },
  opts: { type: 'string', default: 'defaults', description: 'mount options, comma separated' },
  dump: { type: 'int', default: 0, description: 'fstab dump field' },
  pass: { type: 'int', default: 0, description: 'fstab fsck pass field' },
  state: { type: 'string', choices: ['mounted', 'present', 'unmounted', 'absent'], default: 'mounted', description: 'fstab line and live mount state' },
  fstab: { type: 'path', default: '/etc/fstab', description: 'the fstab file to keep the line in' },
} as const satisfies ParamSpecs;

export type MountParams = ParamsOf<typeof params>;

export const mount = defineModule({
  name: 'mount',
  summary: 'An fstab entry, and the filesystem mounted (NFS client, bind mounts)',
  docs: `Ensures a mount point: its line in fstab, and whether it is mounted now (read from /proc/mounts).

| state | fstab line | mounted now |
|---|---|---|
| mounted | yes | yes (the mount point is created) |
| present | yes | left as it is |
| unmounted | left as it is | no |
| absent | no | no |

For an NFS client: \`src: 192.168.10.191:/data/activemq-data\`, \`fstype: nfs\`. A bind mount is
\`fstype: none\`, \`opts: bind\`. The mount command names \`src\` and \`path\` itself, so the line
may live in any \`fstab\` file.

A changed line is rewritten in place. A mount from another source is unmounted and mounted again:
for NFS that is read from /proc/mounts; for bind, UUID= and LABEL= sources (which /proc/mounts
shows as their device), from the fstab line it replaces.`,
  params,
  examples: `- name: Mount the shared store
  mount:
    path: /shared/activemq-data
    src: 192.168.10.191:/data/activemq-data
    fstype: nfs
    opts: rw,hard,intr
`,
  async check(ctx, p) {
    const path = normalizeMountPath(p.path);
    const entry: FstabEntry = { src: p.src, path, fstype: p.fstype, opts: p.opts, dump: p.dump, pass: p.pass };
    const cur = await readCurrent(ctx, p.fstab);
    const text = cur?.text ?? '';
    const old = findFstab(text, path);
    const after = fstabAfter(text, entry, p.state);
    // Through what earlier tasks would do: a mount point an earlier mount covers is not known yet.
    const point = await ctx.stat(path);
    const live = (await ctx.fact(mounts)).find((m) => normalizeMountPath(m.path) === path);
    const changes: Change[] = [];
    const what: string[] = [];
    const write = after === text ? null : await writeChange(ctx, p.fstab, cur, after, {});
    if (write) {
      changes.push(write);
      what.push(p.state === 'absent' ? 'fstab line removed' : old ? 'fstab line updated' : 'fstab line added');
    }
    // What is below the mount point changes with it: the other filesystem's files, or the ones it hid.
    const mountIt: Change = { kind: 'command', cmd: cmd('mount', '-t', p.fstype, '-o', p.opts, p.src, path), why: `mount ${p.src} on ${path}`, covers: [path], declared: true };
    const umount = (why: string): Change => ({ kind: 'command', cmd: cmd('umount', path), why, covers: [path], declared: true });
    const bind = p.opts.split(',').includes('bind');
    if (p.state === 'mounted' && (!live || otherSource(live, entry, old)) && bind && !(await ctx.stat(p.src))) {
      const other = ctx.plannedOn(p.src);
      if (other) throw new Unknowable(`${p.src} does not exist here yet; an earlier task makes it on ${other}, which is this host's too only if they share a filesystem`);
      throw new CheckFailed(`cannot bind-mount ${p.src} on ${path}: ${p.src} does not exist`);
    }
    if (p.state === 'mounted' && !live) {
      if (!point) changes.push({ kind: 'dir', path });
      else if (point.type !== 'dir') throw new CheckFailed(`cannot mount on ${path}: it is not a directory`);
      changes.push(mountIt);
      what.push('mounted');
    } else if (p.state === 'mounted' && live && otherSource(live, entry, old)) {
      changes.push(umount(`${path} has another source`), mountIt);
      what.push(`remounted from ${p.src}`);
    } else if ((p.state === 'unmounted' || p.state === 'absent') && live) {
      changes.unshift(umount(`unmount ${path}`));
      what.push('unmounted');
    }
    if (changes.length) return change(`${path}: ${what.join(', ')}`, ...changes);
    const settled = { mounted: `mounted from ${p.src}`, present: 'in fstab', unmounted: 'not mounted', absent: 'not in fstab and not mounted' };
    return ok(`${path} ${settled[p.state]}`);
  },
});

function fstabAfter(text: string, entry: FstabEntry, state: MountParams['state']): string {
  if (state === 'absent') return removeFstab(text, entry.path);
  if (state === 'unmounted') return text;
  return upsertFstab(text, entry);
}

/**
 * Whether what is mounted is not what is asked. /proc/mounts shows a network source
 * (`server:/export`, `//server/share`) as it was given, but a bind mount, UUID= or LABEL= by the
 * device behind it: for those the old fstab line is the only record of the source.
 */
function otherSource(live: LiveMount, wanted: FstabEntry, old: FstabEntry | undefined): boolean {
  const network = /^[^/=]+:/.test(wanted.src) || wanted.src.startsWith('//');
  if (network && !wanted.opts.split(',').includes('bind')) return normalizeMountPath(live.device) !== normalizeMountPath(wanted.src);
  return old !== undefined && normalizeMountPath(old.src) !== normalizeMountPath(wanted.src);
}
