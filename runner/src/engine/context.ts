import { readFile as readLocal } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { CheckFailed, Unknowable, type CheckContext, type Fact, type FileStat } from '../modules/lib/context.js';
import { render, type Resolver } from '../runbook/expr.js';
import { readFile, statFile } from '../transport/files.js';
import type { Transport } from '../transport/transport.js';
import { UNKNOWN, type Overlay } from './overlay.js';

export interface HostContextInput {
  host: { name: string; address: string };
  transport: Transport;
  become: boolean;
  dryRun: boolean;
  /** Only in a dry-run: what earlier tasks would have written. */
  overlay?: Overlay;
  facts: Map<string, unknown>;
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

/** The read-only view a module's check gets of one host. */
export function checkContext(i: HostContextInput): CheckContext {
  const pending = () => i.overlay?.pending[i.overlay.pending.length - 1];
  const unknowable = (path: string) => new Unknowable(`${path} depends on what an earlier step does (${pending() ?? 'a command'}); it can only be known after it runs`);
  return {
    host: i.host,
    dryRun: i.dryRun,
    run: (cmd, opts = {}) => i.transport.exec(cmd, { sudo: i.become, readOnly: true, ...opts }),
    read: async (path) => {
      const planned = i.overlay?.content(path);
      if (planned === UNKNOWN) throw unknowable(path);
      if (planned !== undefined) return planned;
      return readFile(i.transport, path, { sudo: i.become });
    },
    stat: async (path): Promise<FileStat | null> => {
      const planned = i.overlay?.stat(path);
      if (planned === UNKNOWN) throw unknowable(path);
      if (planned !== undefined) return planned;
      return statFile(i.transport, path, { sudo: i.become });
    },
    fact: async <T>(f: Fact<T>): Promise<T> => {
      if (!i.facts.has(f.name)) {
        const out = await i.transport.exec(f.command, { sudo: i.become, readOnly: true });
        i.facts.set(f.name, f.parse(out));
      }
      return i.facts.get(f.name) as T;
    },
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
