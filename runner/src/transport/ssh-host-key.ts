import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { targetName, type SshTarget } from './ssh-errors.js';
import {
  fingerprint,
  hostKeyAlgorithms,
  keyTypeOf,
  knownHostLine,
  knownHostName,
  parseKnownHosts,
  verifyHostKey,
  type KnownHostEntry,
} from './known-hosts.js';

/** Checks the key a server offers against a known_hosts file; `refusal` says why it was refused. */
export class HostKeyCheck {
  refusal: string | undefined;
  private entries: KnownHostEntry[] = [];
  private readError: string | undefined;

  constructor(
    private readonly file: string,
    private readonly target: SshTarget,
    private readonly acceptNew: boolean,
  ) {
    const text = readKnownHosts(file);
    if (typeof text === 'string') this.entries = parseKnownHosts(text);
    else this.readError = text.error;
  }

  algorithms(): string[] {
    return hostKeyAlgorithms(this.entries, this.target.address, this.target.port);
  }

  verify(key: Buffer): boolean {
    const { address, port } = this.target;
    const where = `${address}:${port}`;
    const offered = `${keyTypeOf(key)} ${fingerprint(key)}`;
    const refuse = (why: string) => {
      this.refusal = `${targetName(this.target)}: host key refused: ${why}`;
      return false;
    };
    if (this.readError) return refuse(`cannot read ${this.file}: ${this.readError}`);
    const verdict = verifyHostKey(this.entries, address, port, key);
    switch (verdict.status) {
      case 'known':
        return true;
      case 'revoked':
        return refuse(`the server offers ${offered}, which ${this.file} line ${verdict.entry.line} marks @revoked`);
      case 'mismatch': {
        const e = verdict.entries[0];
        const more = verdict.entries.length > 1 ? ` (and ${verdict.entries.length - 1} more line(s))` : '';
        return refuse(
          `the server offers ${offered}, but ${this.file} line ${e.line} has ${e.keyType} ${fingerprint(e.key)}${more}: "${e.text}"; ` +
            `if the host key was changed on purpose, remove that line (ssh-keygen -R '${knownHostName(address, port)}' -f ${this.file})`,
        );
      }
      case 'unknown': {
        if (!this.acceptNew) {
          return refuse(`${where} is not in ${this.file}; the server offers ${offered}; check it, then pass --accept-new-host-keys to record it`);
        }
        const failed = appendLine(this.file, knownHostLine(address, port, key));
        return failed ? refuse(`cannot record the new host key ${offered} in ${this.file}: ${failed}`) : true;
      }
    }
  }
}

function readKnownHosts(file: string): string | { error: string } {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return '';
    return { error: code === 'EACCES' ? 'permission denied' : (e as Error).message };
  }
}

/** Adds a line by writing a new file and renaming it over the old one. Returns an error text, or undefined. */
function appendLine(file: string, line: string): string | undefined {
  try {
    const current = readKnownHosts(file);
    if (typeof current !== 'string') return current.error;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    let mode = 0o600;
    try {
      mode = statSync(file).mode & 0o777;
    } catch {
      // a new file
    }
    const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
    const sep = current && !current.endsWith('\n') ? '\n' : '';
    writeFileSync(tmp, `${current}${sep}${line}\n`, { mode });
    chmodSync(tmp, mode);
    renameSync(tmp, file);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
