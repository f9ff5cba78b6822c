import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface OwnPackage {
  /** The folder holding amq-runbook's package.json: the npm package, a clone, or the extension. */
  root: string;
  version: string;
}

/** The amq-runbook package this code was loaded from (compiled to out/, or bundled into dist/). */
export function ownPackage(from: string = fileURLToPath(import.meta.url)): OwnPackage {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const m = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (m.name === 'amq-runbook' && m.version) return { root: dir, version: m.version };
    }
    if (dirname(dir) === dir) throw new Error(`no package.json of amq-runbook above ${from}`);
  }
}
