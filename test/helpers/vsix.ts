import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './paths.js';

let built: string | undefined;

/** Builds the bundles and packages the .vsix once per test run (as `npm run package` does). */
export function packagedVsix(): string {
  if (built) return built;
  const out = join(ROOT, 'amq-runbook.vsix');
  const build = spawnSync(process.execPath, [join(ROOT, 'out/extension/build.js')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`bundling failed: ${build.stderr}`);
  const vsce = join(ROOT, 'node_modules/.bin/vsce');
  execFileSync(vsce, ['package', '--no-dependencies', '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  built = out;
  return out;
}

/** The paths inside a .vsix (a zip). */
export function vsixEntries(vsix: string): string[] {
  const r = spawnSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', vsix], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split('\n').sort();
}
