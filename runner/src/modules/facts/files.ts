import type { ExecResult } from '../../transport/transport.js';
import { q } from '../../transport/quote.js';
import { CheckFailed, type Fact, type FileStat } from '../lib/context.js';

/** What stat and cat say (in the C locale) when nothing is at the path, or a part of it is a file. */
const ABSENT = /: (No such file or directory|Not a directory)$/m;

/** What a probe found, or why it could not tell. */
export type Probed<T> = { found: T } | { error: string };

/**
 * Type, mode, owner, group and size of a path, or null when nothing is there. `follow` reports
 * what a symbolic link points to (as chmod and chown see it) instead of the link itself.
 */
export function fileStat(path: string, o: { follow?: boolean } = {}): Fact<FileStat | null> {
  const command = `LC_ALL=C stat ${o.follow ? '-L ' : ''}-c '%F|%a|%U|%G|%s' -- ${q(path)}`;
  return { name: `stat${o.follow ? ' -L' : ''} ${path}`, command, parse: (out) => found(parseStat(out), `cannot stat ${path}`, command, out) };
}

/** What one probe tells of a path: its stat and, for a small regular file that can be read, its text. */
export interface StatAndText {
  stat: FileStat | null;
  /** undefined: not read (not a regular file, larger than the limit, or not readable). */
  text?: string;
}

/**
 * The stat of a path and, when it is a regular file of at most `maxBytes`, its text, in one command:
 * a check that stats a file almost always reads it next, and each command is a round trip to the host.
 */
export function fileStatText(path: string, maxBytes: number): Fact<StatAndText> {
  const p = q(path);
  const command =
    `s=$(LC_ALL=C stat -c '%F|%a|%U|%G|%s' -- ${p}) || exit; printf '%s\n' "$s"; ` +
    `case $s in 'regular '*) [ "\${s##*|}" -le ${maxBytes} ] && { printf '+\n'; LC_ALL=C cat -- ${p} 2>/dev/null; printf '\n+%s' "$?"; };; esac; true`;
  return { name: `stat+cat ${path}`, command, parse: (out) => found(parseStatText(out), `cannot stat ${path}`, command, out) };
}

export function parseStatText(out: ExecResult): Probed<StatAndText> {
  const nl = out.stdout.indexOf('\n');
  const first = nl < 0 ? out.stdout : out.stdout.slice(0, nl + 1);
  const stat = parseStat({ ...out, stdout: first });
  if ('error' in stat) return stat;
  const rest = nl < 0 ? '' : out.stdout.slice(nl + 1);
  const end = /\n\+(\d+)$/.exec(rest);
  if (!rest.startsWith('+\n') || !end || end[1] !== '0') return { found: { stat: stat.found } };
  return { found: { stat: stat.found, text: rest.slice(2, end.index) } };
}

/** A file's text, or null when nothing is at the path. */
export function fileText(path: string): Fact<string | null> {
  const command = `LC_ALL=C cat -- ${q(path)}`;
  return { name: `cat ${path}`, command, parse: (out) => found(parseText(out), `cannot read ${path}`, command, out) };
}

/**
 * Only "no such file" means absent: a path in a directory the user may not search is not known
 * to be absent, and says so.
 */
/** The sha256 of a file's bytes, or null when nothing is at the path. */
export function fileSha256(path: string): Fact<string | null> {
  const command = `LC_ALL=C sha256sum -- ${q(path)}`;
  return { name: `sha256sum ${path}`, command, parse: (out) => found(parseSha256(out), `cannot checksum ${path}`, command, out) };
}

export function parseSha256(out: ExecResult): Probed<string | null> {
  if (out.code !== 0 && ABSENT.test(out.stderr)) return { found: null };
  const sum = /^([0-9a-f]{64})\b/.exec(out.stdout)?.[1];
  return out.code === 0 && sum ? { found: sum } : { error: problem(out) };
}

export function parseStat(out: ExecResult): Probed<FileStat | null> {
  if (out.code !== 0 && ABSENT.test(out.stderr)) return { found: null };
  const [kind, mode, owner, group, size] = out.stdout.trim().split('|');
  if (out.code !== 0 || !kind || mode === undefined || !/^[0-7]+$/.test(mode)) return { error: problem(out) };
  const type = kind.startsWith('regular') ? 'file' : kind === 'directory' ? 'dir' : kind === 'symbolic link' ? 'link' : 'other';
  return { found: { type, mode: mode.padStart(4, '0'), owner: owner ?? '', group: group ?? '', size: Number(size ?? 0) } };
}

export function parseText(out: ExecResult): Probed<string | null> {
  if (out.code !== 0 && ABSENT.test(out.stderr)) return { found: null };
  if (out.code !== 0) return { error: problem(out) };
  return { found: out.stdout };
}

function problem(out: ExecResult): string {
  return out.stderr.trim() || (out.code === 0 ? `unexpected output: ${out.stdout.trim().slice(0, 200)}` : `exit ${out.code}`);
}

function found<T>(p: Probed<T>, what: string, cmd: string, out: ExecResult): T {
  if ('error' in p) throw new CheckFailed(`${what}: ${p.error}`, { cmd, ...out });
  return p.found;
}
