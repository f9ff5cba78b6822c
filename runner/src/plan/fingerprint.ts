import { createHash } from 'node:crypto';
import { parseStatText } from '../modules/facts/files.js';
import type { ExecOptions, ExecResult, Transport } from '../transport/transport.js';

/** One piece of host state a check read: the read-only command, and a fingerprint of its answer. */
export interface Reading {
  /** What was read, in words: `file /etc/haproxy/haproxy.cfg`, `owner and mode of /data`, `command ...`. */
  what: string;
  cmd: string;
  sudo: boolean;
  exit_code: number;
  /** sha256 of what it printed (for a file: of its bytes). */
  sha256: string;
  /** The answer itself where it is short and holds no content: a stat line (type, mode, owner, group, size). */
  value?: string;
}

export const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

/** The command of fileStatText: its path is the quoted word after `--`. */
const STAT_TEXT = /^s=\$\(LC_ALL=C stat -c '[^']*' -- ('(?:[^']|'\\'')*'|[^\s')]+)\) \|\| exit; /;

/** The word a quoting helper made of a value, back to the value. */
function unquote(word: string): string {
  return word.startsWith("'") ? word.slice(1, -1).replace(/'\\''/g, "'") : word;
}

/** What a read-only command reads, named for a person: files by path, the rest by its command. */
export function readingOf(cmd: string, r: ExecResult, sudo: boolean): Reading {
  const file = /^LC_ALL=C (cat|sha256sum|stat(?: -L)? -c '[^']*') -- (.+)$/.exec(cmd);
  const base = { cmd, sudo, exit_code: r.code };
  const withText = STAT_TEXT.exec(cmd);
  if (withText) {
    const seen = parseStatText(r);
    const value = r.stdout.split('\n')[0]!.trim();
    const path = unquote(withText[1]!);
    if ('found' in seen && seen.found.text !== undefined) return { ...base, what: `file ${path}`, sha256: sha256(seen.found.text), value };
    return { ...base, what: `owner and mode of ${path}`, sha256: sha256(r.stdout), value };
  }
  if (file?.[1] === 'cat') return { ...base, what: `file ${unquote(file[2])}`, sha256: sha256(r.stdout) };
  if (file?.[1] === 'sha256sum') return { ...base, what: `file ${unquote(file[2])}`, sha256: /^([0-9a-f]{64})\b/.exec(r.stdout)?.[1] ?? sha256(r.stdout) };
  if (file) return { ...base, what: `owner and mode of ${unquote(file[2])}`, sha256: sha256(r.stdout), value: r.stdout.trim() };
  return { ...base, what: `command: ${cmd.length > 100 ? `${cmd.slice(0, 99)}…` : cmd}`, sha256: sha256(r.stdout) };
}

/**
 * A transport that keeps a fingerprint of every read-only command run through it (the first answer
 * of each). Commands given stdin check a candidate the run made, not the host, and are not kept.
 */
export class ReadingRecorder implements Transport {
  private readonly seen = new Map<string, Reading>();

  constructor(private readonly inner: Transport) {}

  get host(): string {
    return this.inner.host;
  }

  get readings(): Reading[] {
    return [...this.seen.values()];
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const r = await this.inner.exec(command, opts);
    const key = `${opts.sudo ? 'sudo' : 'login'} ${command}`;
    if (opts.readOnly && opts.stdin === undefined && !this.seen.has(key)) this.seen.set(key, readingOf(command, r, Boolean(opts.sudo)));
    return r;
  }

  abort(): Promise<void> {
    return this.inner.abort();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/** How a reading changed: one line naming what, with the old and new sha256 prefixes (or values). */
export function driftLine(host: string, before: Reading, now: Reading): string | undefined {
  const content = before.sha256 !== now.sha256;
  if (!content && before.exit_code === now.exit_code && before.value === now.value) return undefined;
  const gone = (r: Reading) => r.exit_code !== 0 && (r.what.startsWith('file ') || r.what.startsWith('owner and mode of '));
  const stat = (r: Reading) => (gone(r) ? 'absent' : r.value || `exit ${r.exit_code}`);
  // A file read with its stat: a new text is said by checksums, new owner or mode alone by the stat.
  const statOnly = !before.what.startsWith('file ') || !content;
  if (statOnly && (before.value !== undefined || now.value !== undefined)) return `${host}: ${before.what} changed: ${stat(before)} -> ${stat(now)}`;
  const show = (r: Reading) => (gone(r) ? 'absent' : `sha256 ${r.sha256.slice(0, 12)}`);
  return `${host}: ${before.what} changed: ${show(before)} -> ${show(now)}`;
}

/** Reads everything again on the host; the lines of what changed since (empty: the host is as planned). */
export async function drift(t: Transport, readings: readonly Reading[]): Promise<string[]> {
  const out: string[] = [];
  for (const before of readings) {
    const r = await t.exec(before.cmd, { sudo: before.sudo, readOnly: true, timeoutMs: 30_000 });
    const line = driftLine(t.host, before, readingOf(before.cmd, r, before.sudo));
    if (line) out.push(line);
  }
  return out;
}
