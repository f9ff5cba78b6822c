import { createHash, createHmac } from 'node:crypto';

/** One key line of a known_hosts file (comments, blank lines and unreadable lines are left out). */
export interface KnownHostEntry {
  /** 1-based line number in the file. */
  line: number;
  text: string;
  marker?: '@revoked' | '@cert-authority';
  /** Plain host patterns (`host`, `[host]:port`, `*` and `?` wildcards, `!negated`), or a hashed name. */
  hosts: { patterns: string[] } | { salt: Buffer; hash: Buffer };
  keyType: string;
  key: Buffer;
}

export type HostKeyVerdict =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry }
  | { status: 'mismatch'; entries: KnownHostEntry[] }
  | { status: 'unknown' };

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    const [names, keyType, keyB64] = fields;
    if (!names || !keyType || !keyB64) return;
    const key = Buffer.from(keyB64, 'base64');
    if (!key.length) return;
    const hosts = names.startsWith('|1|') ? hashedName(names) : { patterns: names.split(',').filter(Boolean) };
    if (!hosts) return;
    out.push({ line: i + 1, text: line, ...(marker ? { marker } : {}), hosts, keyType, key });
  });
  return out;
}

function hashedName(field: string): { salt: Buffer; hash: Buffer } | undefined {
  const [, , salt, hash] = field.split('|');
  if (!salt || !hash) return undefined;
  return { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
}

/** The name a host goes by in known_hosts: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Whether an entry names this host and port. */
export function entryMatches(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = knownHostName(host, port);
  if ('hash' in entry.hosts) {
    const mac = createHmac('sha1', entry.hosts.salt).update(name).digest();
    return mac.equals(entry.hosts.hash);
  }
  let matched = false;
  for (const p of entry.hosts.patterns) {
    const negated = p.startsWith('!');
    if (globMatch(negated ? p.slice(1) : p, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function globMatch(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

/** The key type written in a public key blob (its first length-prefixed string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const n = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + n).toString('latin1');
}

/** The key's fingerprint as `ssh-keygen -lf` shows it. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** What the known_hosts entries say about the key a server offered. */
export function verifyHostKey(entries: KnownHostEntry[], host: string, port: number, offered: Buffer): HostKeyVerdict {
  const matching = entries.filter((e) => e.marker !== '@cert-authority' && entryMatches(e, host, port));
  const revoked = matching.find((e) => e.marker === '@revoked' && e.key.equals(offered));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = matching.filter((e) => !e.marker);
  const same = plain.find((e) => e.key.equals(offered));
  if (same) return { status: 'known', entry: same };
  if (plain.length) return { status: 'mismatch', entries: plain };
  return { status: 'unknown' };
}

/** The line that records a newly accepted key. */
export function knownHostLine(host: string, port: number, blob: Buffer): string {
  return `${knownHostName(host, port)} ${keyTypeOf(blob)} ${blob.toString('base64')}`;
}

const ALGORITHMS_OF_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/**
 * Host key algorithms to offer, those of the key types already known for this host first, so a
 * server with several host keys shows the one that can be checked.
 */
export function hostKeyAlgorithms(entries: KnownHostEntry[], host: string, port: number): string[] {
  const all = Object.values(ALGORITHMS_OF_TYPE).flat();
  const known = entries.filter((e) => !e.marker && entryMatches(e, host, port)).flatMap((e) => ALGORITHMS_OF_TYPE[e.keyType] ?? []);
  return [...new Set([...known, ...all])];
}
