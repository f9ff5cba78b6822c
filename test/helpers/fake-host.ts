import { createHash } from 'node:crypto';
import type { CheckContext, Fact, FileStat } from '../../runner/src/modules/lib/context.js';
import { unknownChange, type Change, type Plan } from '../../runner/src/modules/lib/plan.js';
import type { ExecResult } from '../../runner/src/transport/transport.js';

interface Entry {
  type: 'file' | 'dir';
  content: string;
  /** The bytes of an upload (content holds them as latin1). */
  bytes?: Buffer;
  mode: string;
  owner: string;
  group: string;
}

export interface Reply {
  /** A regular expression (or exact text) the command must match. */
  match: RegExp | string;
  reply: ExecResult | ((cmd: string, host: FakeHost) => ExecResult);
  /** What running it does to the host (only applied when a plan's command runs). */
  effect?: (host: FakeHost, cmd: string) => void;
}

/**
 * An in-memory host for fast module unit tests: files, directories and scripted command replies.
 * It records every command and every write, so a test can prove that check() never writes.
 */
export class FakeHost {
  readonly entries = new Map<string, Entry>();
  readonly replies: Reply[] = [];
  /** Commands run through a check (read-only). */
  readonly reads: string[] = [];
  /** Everything that changed the host: applied changes and commands. */
  readonly writes: string[] = [];
  localFiles: Record<string, string | Buffer> = {};
  vars: Record<string, unknown> = {};
  /** The accounts `getent passwd` and `getent group` know (a Debian host with ActiveMQ and HAProxy). */
  readonly users = new Set(['root', 'daemon', 'nobody', 'activemq', 'haproxy']);
  readonly groups = new Set(['root', 'daemon', 'nogroup', 'activemq', 'haproxy', 'adm']);
  /** The programs `command -v` finds. */
  readonly programs = new Set(['sh', 'cat', 'true', 'haproxy', 'exportfs', 'systemctl', 'service', 'mount', 'umount', 'kill']);

  constructor(readonly name = 'h1') {
    this.on('cat /proc/mounts', { code: 0, stdout: '', stderr: '' });
    this.on(/^command -v \S+$/, (cmd) => {
      const prog = cmd.slice('command -v '.length);
      return this.programs.has(prog) ? { code: 0, stdout: `/usr/bin/${prog}\n`, stderr: '' } : { code: 1, stdout: '', stderr: '' };
    });
    this.on(/^getent (passwd|group)( |$)/, (cmd) => {
      const [, db, name] = /^getent (passwd|group) ?(.*)$/.exec(cmd)!;
      const known = db === 'passwd' ? this.users : this.groups;
      if (!name) return { code: 0, stdout: [...known].map((n) => `${n}:x:1:1::/:/bin/sh\n`).join(''), stderr: '' };
      return known.has(name) ? { code: 0, stdout: `${name}:x:1:1::/:/bin/sh\n`, stderr: '' } : { code: 2, stdout: '', stderr: '' };
    });
  }

  file(path: string, content: string, attrs: Partial<Omit<Entry, 'type' | 'content'>> = {}): this {
    this.entries.set(path, { type: 'file', content, mode: '0644', owner: 'root', group: 'root', ...attrs });
    return this;
  }

  dir(path: string, attrs: Partial<Omit<Entry, 'type' | 'content'>> = {}): this {
    this.entries.set(path, { type: 'dir', content: '', mode: '0755', owner: 'root', group: 'root', ...attrs });
    return this;
  }

  on(match: RegExp | string, reply: Reply['reply'], effect?: Reply['effect']): this {
    this.replies.unshift({ match, reply, ...(effect ? { effect } : {}) });
    return this;
  }

  content(path: string): string | null {
    const e = this.entries.get(path);
    return e?.type === 'file' ? e.content : null;
  }

  private reply(cmd: string): Reply | undefined {
    return this.replies.find((r) => (typeof r.match === 'string' ? r.match === cmd : r.match.test(cmd)));
  }

  private answer(cmd: string): ExecResult {
    const r = this.reply(cmd);
    if (!r) return { code: 127, stdout: '', stderr: `fake host: no reply scripted for: ${cmd}` };
    return typeof r.reply === 'function' ? r.reply(cmd, this) : r.reply;
  }

  ctx(opts: { dryRun?: boolean; changedEarlier?: boolean; startedAfterNotice?: Record<string, string> } = {}): CheckContext {
    const facts = new Map<string, unknown>();
    const ctl = new AbortController();
    return {
      host: { name: this.name, address: '127.0.0.1' },
      dryRun: opts.dryRun ?? false,
      changedEarlier: opts.changedEarlier ?? false,
      plannedOn: () => undefined,
      plannedBelow: () => [],
      plannedAccount: () => undefined,
      startedAfterNotice: (service) => opts.startedAfterNotice?.[service],
      sha256: async (path) => {
        const e = this.entries.get(path);
        if (!e || e.type !== 'file') return null;
        return createHash('sha256').update(e.bytes ?? Buffer.from(e.content, 'utf8')).digest('hex');
      },
      run: async (cmd) => {
        this.reads.push(cmd);
        return this.answer(cmd);
      },
      read: async (path) => {
        const e = this.entries.get(path);
        if (!e) return null;
        if (e.type === 'dir') throw new Error(`${path} is a directory`);
        return e.content;
      },
      stat: async (path): Promise<FileStat | null> => {
        const e = this.entries.get(path);
        if (e) return { type: e.type, mode: e.mode, owner: e.owner, group: e.group, size: e.content.length };
        // A path with entries below it is a directory, as on a real host.
        const parent = [...this.entries.keys()].some((k) => k.startsWith(`${path}/`));
        return parent ? { type: 'dir', mode: '0755', owner: 'root', group: 'root', size: 0 } : null;
      },
      fact: async <T>(f: Fact<T>): Promise<T> => {
        if (!facts.has(f.name)) {
          this.reads.push(f.command);
          facts.set(f.name, f.parse(this.answer(f.command)));
        }
        return facts.get(f.name) as T;
      },
      local: {
        read: async (p) => {
          if (!(p in this.localFiles)) throw new Error(`no local file ${p}`);
          const v = this.localFiles[p];
          return typeof v === 'string' ? v : v.toString('utf8');
        },
        readBytes: async (p) => {
          if (!(p in this.localFiles)) throw new Error(`no local file ${p}`);
          const v = this.localFiles[p];
          return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
        },
        resolve: (p) => `/playbooks/${p}`,
      },
      render: (text) => text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(this.vars[k] ?? '')),
      sleep: async () => undefined,
      signal: ctl.signal,
    };
  }

  /** Applies a plan the way the engine does, recording each change. */
  apply(plan: Plan): void {
    if (plan.status !== 'change') return;
    for (const c of plan.changes) this.applyChange(c);
  }

  private applyChange(c: Change): void {
    this.writes.push(c.kind === 'command' ? `command: ${c.cmd}` : `${c.kind}: ${c.path}`);
    switch (c.kind) {
      case 'file': {
        const old = this.entries.get(c.path);
        this.entries.set(c.path, {
          type: 'file',
          content: c.after,
          mode: c.mode ?? old?.mode ?? '0644',
          owner: c.owner ?? old?.owner ?? 'root',
          group: c.group ?? old?.group ?? 'root',
        });
        return;
      }
      case 'upload': {
        const old = this.entries.get(c.path);
        this.entries.set(c.path, { type: 'file', content: c.data.toString('latin1'), bytes: c.data, mode: c.mode ?? old?.mode ?? '0644', owner: c.owner ?? old?.owner ?? 'root', group: c.group ?? old?.group ?? 'root' });
        return;
      }
      case 'remove':
        for (const k of [...this.entries.keys()]) if (k === c.path || k.startsWith(`${c.path}/`)) this.entries.delete(k);
        return;
      case 'dir': {
        const old = this.entries.get(c.path);
        this.entries.set(c.path, { type: 'dir', content: '', mode: c.mode ?? old?.mode ?? '0755', owner: c.owner ?? old?.owner ?? 'root', group: c.group ?? old?.group ?? 'root' });
        return;
      }
      case 'attrs': {
        if (!this.entries.has(c.path)) throw new Error(`attrs on missing ${c.path}`);
        for (const [k, e] of this.entries) {
          if (k !== c.path && !(c.recurse && k.startsWith(`${c.path}/`))) continue;
          if (c.mode) e.mode = c.mode[1];
          if (c.owner) e.owner = c.owner[1];
          if (c.group) e.group = c.group[1];
        }
        return;
      }
      case 'command': {
        const r = this.reply(c.cmd);
        if (!r) throw new Error(`fake host: no reply scripted for: ${c.cmd}`);
        r.effect?.(this, c.cmd);
        return;
      }
      default:
        unknownChange(c);
    }
  }
}
