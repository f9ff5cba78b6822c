import type { FileStat } from '../modules/lib/context.js';
import { q } from './quote.js';
import type { ExecOptions, ExecResult, Transport } from './transport.js';

const ABSENT = 44;

export class HostCommandError extends Error {
  constructor(
    message: string,
    readonly cmd: string,
    readonly result: ExecResult,
  ) {
    super(message);
  }
}

/** A file's text, or null when nothing is at the path. */
export async function readFile(t: Transport, path: string, opts: ExecOptions = {}): Promise<string | null> {
  const command = `if [ -e ${q(path)} ]; then cat -- ${q(path)}; else exit ${ABSENT}; fi`;
  const r = await t.exec(command, { ...opts, readOnly: true });
  if (r.code === ABSENT) return null;
  if (r.code !== 0) throw new HostCommandError(`cannot read ${path}: ${r.stderr.trim() || `exit ${r.code}`}`, command, r);
  return r.stdout;
}

export function parseStat(line: string): FileStat | null {
  const [kind, mode, owner, group, size] = line.trim().split('|');
  if (!kind || mode === undefined) return null;
  const type = kind.startsWith('regular') ? 'file' : kind === 'directory' ? 'dir' : kind === 'symbolic link' ? 'link' : 'other';
  return { type, mode: mode.padStart(4, '0'), owner: owner ?? '', group: group ?? '', size: Number(size ?? 0) };
}

/** Type, mode, owner and group of a path (not following a final symlink), or null. */
export async function statFile(t: Transport, path: string, opts: ExecOptions = {}): Promise<FileStat | null> {
  const command = `if [ -e ${q(path)} ] || [ -L ${q(path)} ]; then stat -c '%F|%a|%U|%G|%s' -- ${q(path)}; else exit ${ABSENT}; fi`;
  const r = await t.exec(command, { ...opts, readOnly: true });
  if (r.code === ABSENT) return null;
  if (r.code !== 0) throw new HostCommandError(`cannot stat ${path}: ${r.stderr.trim() || `exit ${r.code}`}`, command, r);
  return parseStat(r.stdout);
}
