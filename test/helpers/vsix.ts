import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './paths.js';

let built: string | undefined;

/** Builds the bundles and packages the .vsix once per test run (as `npm run package` does). */
export function packagedVsix(): string {
  if (built) return built;
  const out = join(ROOT, 'amq-runbook.vsix');
  for (const step of ['build.js', 'package-vsix.js']) {
    const r = spawnSync(process.execPath, [join(ROOT, 'out/extension', step), out], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${step} failed: ${r.stderr}${r.stdout}`);
  }
  built = out;
  return out;
}

/** The paths inside a .vsix (a zip). */
export function vsixEntries(vsix: string): string[] {
  const r = spawnSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split('\n').sort();
}
