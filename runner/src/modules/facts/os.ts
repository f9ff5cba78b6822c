import type { ExecResult } from '../../transport/transport.js';
import type { Fact } from '../lib/context.js';

export type PackageManager = 'apt' | 'dnf' | 'yum';

const PROGRAMS: readonly [program: string, manager: PackageManager][] = [
  ['apt-get', 'apt'],
  ['dnf', 'dnf'],
  ['yum', 'yum'],
];

/** Which package manager the host has (apt before dnf before yum); null when none. */
export const packageManager: Fact<PackageManager | null> = {
  name: 'package_manager',
  command: `for p in ${PROGRAMS.map(([p]) => p).join(' ')}; do command -v "$p" >/dev/null 2>&1 && echo "$p"; done; true`,
  parse: parsePackageManager,
};

export function parsePackageManager(out: ExecResult): PackageManager | null {
  const found = new Set(out.stdout.split('\n').map((l) => l.trim()));
  return PROGRAMS.find(([p]) => found.has(p))?.[1] ?? null;
}
