import type { ExecResult } from '../../transport/transport.js';
import { CheckFailed, type Fact } from '../lib/context.js';
import { unescapeField } from '../text/fstab.js';

export interface LiveMount {
  /** What /proc/mounts shows as the source: `server:/export` for NFS, the block device for a bind mount. */
  device: string;
  path: string;
  fstype: string;
  options: string;
}

/** What is mounted now, from the kernel's table. */
export const mounts: Fact<LiveMount[]> = {
  name: 'mounts',
  command: 'cat /proc/mounts',
  parse: parseMounts,
};

export function parseMounts(out: ExecResult): LiveMount[] {
  if (out.code !== 0) throw new CheckFailed(`cannot read /proc/mounts: ${out.stderr.trim() || `exit ${out.code}`}`, { cmd: mounts.command, ...out });
  const list: LiveMount[] = [];
  for (const line of out.stdout.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4) continue;
    list.push({ device: unescapeField(f[0]), path: unescapeField(f[1]), fstype: f[2], options: f[3] });
  }
  return list;
}
