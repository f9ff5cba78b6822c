import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A stand-in for this machine's root ~/.bashrc (pyenv's init: a few interpreters started for their
 * output). Lab hosts hide this machine's /root, so their remote shells start clean; the benches
 * give each host this file for their second line, and say what it costs there.
 */
export const STARTUP_FILE = `# The bench's start-up file: work of the kind pyenv's init does in a ~/.bashrc
for i in 1 2 3 4 5 6; do eval "$(/usr/bin/python3 -c 'print("export BENCH_RC=1")')"; done
`;

/** Puts the start-up file in root's home on each host (by its root folder), or takes it away. */
export function setStartupFile(roots: readonly string[], on: boolean): void {
  for (const root of roots) {
    const rc = join(root, 'root', '.bashrc');
    if (on) writeFileSync(rc, STARTUP_FILE);
    else rmSync(rc, { force: true });
  }
}
