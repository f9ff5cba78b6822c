import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { cmd } from '../runner/src/transport/quote.js';

/** A new ed25519 key pair at `file` and `file.pub` (an old pair there is replaced); returns the public key line. */
export function generateKey(file: string, comment: string): string {
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed for ${file}: ${r.stderr || r.error?.message}`);
  return readFileSync(`${file}.pub`, 'utf8').trim();
}

/** New ed25519 key pairs, one per file, made by one shell (a spawn per key costs more than the key); returns the public key lines. */
export function generateKeys(keys: readonly { file: string; comment: string }[]): string[] {
  if (!keys.length) return [];
  const script = keys.map((k) => `rm -f ${cmd(k.file, `${k.file}.pub`)} && ssh-keygen -q -t ed25519 -N '' -C ${cmd(k.comment)} -f ${cmd(k.file)} || exit 1`).join('\n');
  const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr || r.error?.message}`);
  return keys.map((k) => readFileSync(`${k.file}.pub`, 'utf8').trim());
}
