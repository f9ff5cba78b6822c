import type { ExecResult } from '../../transport/transport.js';
import type { Fact } from '../lib/context.js';

export type InitSystem = 'systemd' | 'sysv';

/** systemd when it runs as PID 1, else SysV init scripts (containers, this kind of VM). */
export const initSystem: Fact<InitSystem> = {
  name: 'init_system',
  command: 'cat /proc/1/comm',
  parse: parseInitSystem,
};

export function parseInitSystem(out: ExecResult): InitSystem {
  return out.code === 0 && out.stdout.trim() === 'systemd' ? 'systemd' : 'sysv';
}

export type SysvEnabler = 'update-rc.d' | 'chkconfig' | null;

/** The tool that enables SysV init scripts at boot: Debian's update-rc.d, else chkconfig. */
export const sysvEnabler: Fact<SysvEnabler> = {
  name: 'sysv_enabler',
  command: 'command -v update-rc.d || command -v chkconfig',
  parse: parseSysvEnabler,
};

export function parseSysvEnabler(out: ExecResult): SysvEnabler {
  if (out.code !== 0) return null;
  const first = out.stdout.trim().split('\n')[0] ?? '';
  if (first.endsWith('update-rc.d')) return 'update-rc.d';
  if (first.endsWith('chkconfig')) return 'chkconfig';
  return null;
}
