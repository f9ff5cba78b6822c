import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Packs the .vsix (run after build.ts) from a staging folder holding exactly what the extension
 * runs. The root package.json is also the npm package's manifest, whose `files` list vsce would
 * take as the .vsix's, so the extension gets a copy of the manifest with its own list instead.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VSIX_FILES = [
  'dist/extension.cjs',
  'dist/server.mjs',
  'dist/runner.mjs',
  'extension/icon.png',
  'extension/language-configuration.json',
  'extension/syntaxes/runbook.tmLanguage.json',
  'README.md',
  'LICENSE',
];
const NPM_ONLY = ['files', 'bin', 'scripts', 'dependencies', 'devDependencies'];

const out = resolve(process.argv[2] ?? join(ROOT, 'amq-runbook.vsix'));
const stage = mkdtempSync(join(tmpdir(), 'amq-vsix-stage-'));
try {
  // The server's entry reads the chunk with the rest after it answers `initialize`.
  const chunks = readdirSync(join(ROOT, 'dist')).filter((f) => /^server-.*\.mjs$/.test(f)).map((f) => `dist/${f}`);
  const files = [...VSIX_FILES, ...chunks];
  for (const f of files) cpSync(join(ROOT, f), join(stage, f));
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  for (const key of NPM_ONLY) delete manifest[key];
  manifest.files = files;
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  execFileSync(join(ROOT, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--out', out], { cwd: stage, stdio: ['ignore', 'inherit', 'inherit'] });
} finally {
  rmSync(stage, { recursive: true, force: true });
}
