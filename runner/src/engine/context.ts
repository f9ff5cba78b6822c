import { readFile as readLocal } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { CheckFailed, type CheckContext, type Fact, type FileStat } from '../modules/lib/context.js';
import { fileSha256, fileStatText, fileText } from '../modules/facts/files.js';
import { identity } from '../modules/facts/identity.js';
import { render, type Resolver } from '../runbook/expr.js';
import type { Transport } from '../transport/transport.js';
import type { HostProbe, Overlay } from './overlay.js';

export interface HostContextInput {
  host: { name: string; address: string };
  transport: Transport;
  become: boolean;
  dryRun: boolean;
  /** Only in a dry-run: what earlier tasks would have written. */
  overlay?: Overlay;
  /** Only in a dry-run: another host whose earlier tasks would make something at a path. */
  plannedOn?(path: string): string | undefined;
  facts: Map<string, unknown>;
  /** Only for a handler: the task that (re)started a service after the changes that notified it. */
  startedAfterNotice?(service: string): string | undefined;
  playbookDir: string;
  vars: Resolver;
  signal: AbortSignal;
}

async function localBytes(dir: string, p: string): Promise<Buffer> {
  try {
    return await readLocal(isAbsolute(p) ? p : resolve(dir, p));
  } catch (e) {
    throw new CheckFailed(`cannot read the local file ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** A stat also brings the text of a regular file up to this size, kept for the read that follows. */
const TEXT_WITH_STAT = 64 * 1024;

/**
 * The host as it is now, read as the task reads it (through sudo when it has become); facts
 * memoized. Made for one check (which changes nothing), so a file's text seen with its stat is
 * still the file's text when the check reads it.
 */
export function hostProbe(i: Pick<HostContextInput, 'transport' | 'become' | 'facts'>): HostProbe & { fact<T>(f: Fact<T>): Promise<T>; sha256(path: string): Promise<string | null> } {
  const probe = async <T>(f: Fact<T>): Promise<T> => f.parse(await i.transport.exec(f.command, { sudo: i.become, readOnly: true, probe: true }));
  const fact = async <T>(f: Fact<T>): Promise<T> => {
    // sudo changes what some facts see (who runs the commands), so each way has its own.
    const key = `${i.become ? 'sudo' : 'login'}: ${f.name}`;
    if (!i.facts.has(key)) i.facts.set(key, await probe(f));
    return i.facts.get(key) as T;
  };
  const texts = new Map<string, string>();
  return {
    stat: async (path) => {
      const seen = await probe(fileStatText(path, TEXT_WITH_STAT));
      if (seen.text !== undefined) texts.set(path, seen.text);
      else texts.delete(path);
      return seen.stat;
    },
    read: (path) => {
      const text = texts.get(path);
      return text !== undefined ? Promise.resolve(text) : probe(fileText(path));
    },
    sha256: (path) => probe(fileSha256(path)),
    identity: () => fact(identity),
    fact,
  };
}

/** The read-only view a module's check gets of one host. */
export function checkContext(i: HostContextInput): CheckContext {
  const host = hostProbe(i);
  return {
    host: i.host,
    dryRun: i.dryRun,
    changedEarlier: i.overlay?.changed ?? false,
    plannedOn: (path) => i.plannedOn?.(path),
    plannedBelow: (path) => i.overlay?.plannedBelow(path) ?? [],
    plannedAccount: (kind, name) => i.overlay?.account(kind, name),
    startedAfterNotice: (service) => i.startedAfterNotice?.(service),
    sha256: (path) => (i.overlay ? i.overlay.sha256(path, host) : host.sha256(path)),
    run: (cmd, opts = {}) => i.transport.exec(cmd, { sudo: i.become, readOnly: true, ...opts }),
    read: (path) => (i.overlay ? i.overlay.read(path, host) : host.read(path)),
    stat: (path): Promise<FileStat | null> => (i.overlay ? i.overlay.stat(path, host) : host.stat(path)),
    fact: host.fact,
    local: {
      resolve: (p) => (isAbsolute(p) ? p : resolve(i.playbookDir, p)),
      read: async (p) => (await localBytes(i.playbookDir, p)).toString('utf8'),
      readBytes: (p) => localBytes(i.playbookDir, p),
    },
    render: (text, origin) => {
      const { value, errors } = render(text, i.vars);
      if (errors.length) {
        const e = errors[0];
        throw new CheckFailed(`${origin}:${lineCol(text, e.start)}: ${e.message}${e.hint ? ` (${e.hint})` : ''}`);
      }
      return typeof value === 'string' ? value : String(value ?? '');
    },
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    signal: i.signal,
  };
}
