import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** One hash of every path, type, mode, owner and content below the folders. */
export function treeChecksum(...roots: string[]): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = lstatSync(p);
      h.update(`${p}\0${st.mode}\0${st.uid}:${st.gid}\0`);
      if (st.isSymbolicLink()) h.update(readlinkSync(p));
      else if (st.isDirectory()) walk(p);
      else if (st.isFile()) h.update(readFileSync(p));
      h.update('\n');
    }
  };
  for (const root of roots) walk(root);
  return h.digest('hex');
}
