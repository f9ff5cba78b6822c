import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

/** A new ed25519 key pair at `file` and `file.pub` (an old pair there is replaced); returns the public key line. */
export function generateKey(file: string, comment: string): string {
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed for ${file}: ${r.stderr || r.error?.message}`);
  return readFileSync(`${file}.pub`, 'utf8').trim();
}
