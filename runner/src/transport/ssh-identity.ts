import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { targetName, type SshTarget } from './ssh-errors.js';
import { UnreachableError } from './transport.js';

export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return path;
}

/** The private key file's text; an unreadable file is a clear UnreachableError. */
export function readIdentity(host: string, t: SshTarget, path: string): string {
  const file = expandHome(path);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new UnreachableError(host, `${targetName(t)}: cannot read the identity file ${file}: ${reason}`);
  }
}
