import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { Unknowable, type FileStat } from '../modules/lib/context.js';
import type { Identity } from '../modules/facts/identity.js';
import { unknownChange, type Change } from '../modules/lib/plan.js';

/** The host as it is now, for what the overlay has not planned. */
export interface HostProbe {
  stat(path: string): Promise<FileStat | null>;
  read(path: string): Promise<string | null>;
  /** Who the task's commands run as: the owner of what they create. */
  identity(): Promise<Identity>;
}

type Attrs = Pick<FileStat, 'mode' | 'owner' | 'group'>;

type Entry =
  /** Removed: nothing is at the path or below it. */
  | { kind: 'gone' }
  /** An earlier command's effect on this path (and below it) cannot be known before it runs. */
  | { kind: 'unknown'; why: string }
  | {
      kind: 'planned';
      stat: FileStat;
      /** The text a check reads; undefined: unchanged, read the host. */
      content?: string;
      /** The checksum of an upload's bytes. */
      sha256?: string;
      /** Made by the plan: nothing is below it but what the plan puts there. */
      fresh?: boolean;
      /** Attributes a recursive change gives everything below it. */
      below?: Partial<Attrs>;
    };

type Lookup = Entry | { kind: 'host' } | { kind: 'adjusted'; below: Partial<Attrs> };

/**
 * What a dry-run would have done so far on one host. Later checks read through it, so a task that
 * depends on an earlier one previews what the real run will do; where an earlier effect cannot be
 * known (a command's), the read says so instead of guessing.
 */
export class Overlay {
  private readonly entries = new Map<string, Entry>();
  /** Earlier commands that may change anything (their effects are not declared), most recent last. */
  readonly pending: string[] = [];
  /** Users and groups earlier commands would create (true) or remove (false). */
  private readonly accounts = new Map<string, boolean>();

  account(kind: 'user' | 'group', name: string): boolean | undefined {
    return this.accounts.get(`${kind}:${name}`);
  }

  async stat(path: string, host: HostProbe): Promise<FileStat | null> {
    const l = this.lookup(path);
    switch (l.kind) {
      case 'host':
        return host.stat(path);
      case 'gone':
        return null;
      case 'unknown':
        throw unknowable(path, l.why);
      case 'planned':
        return l.stat;
      case 'adjusted': {
        const s = await host.stat(path);
        return s && { ...s, ...l.below };
      }
    }
  }

  /** What earlier changes would leave below a path. */
  plannedBelow(path: string): { path: string; stat: FileStat }[] {
    const out: { path: string; stat: FileStat }[] = [];
    for (const [p, e] of this.entries) if (e.kind === 'planned' && p.startsWith(`${path}/`)) out.push({ path: p, stat: e.stat });
    return out;
  }

  /** Whether an earlier change would make something at this path. */
  makes(path: string): boolean {
    return this.entries.get(path)?.kind === 'planned';
  }

  /** Why what is below a path is not known (an earlier command's effect there), if it is not. */
  unknownBelow(path: string): string | undefined {
    for (const [p, e] of this.entries) if (e.kind === 'unknown' && p.startsWith(`${path}/`)) return e.why;
    return undefined;
  }

  /** Whether any change has been recorded: a command run now sees the host as it was before them. */
  get changed(): boolean {
    return this.entries.size > 0 || this.pending.length > 0;
  }

  /** The sha256 of what is at a path: what was planned there (an upload's checksum, a file's text), or the host's. */
  async sha256(path: string, host: HostProbe & { sha256(path: string): Promise<string | null> }): Promise<string | null> {
    const l = this.lookup(path);
    if (l.kind === 'planned' && l.sha256 !== undefined) return l.sha256;
    if (l.kind === 'planned' && l.content !== undefined) return createHash('sha256').update(l.content).digest('hex');
    if (l.kind === 'gone') return null;
    if (l.kind === 'unknown') throw unknowable(path, l.why);
    return host.sha256(path);
  }

  async read(path: string, host: HostProbe): Promise<string | null> {
    const l = this.lookup(path);
    switch (l.kind) {
      case 'gone':
        return null;
      case 'unknown':
        throw unknowable(path, l.why);
      case 'planned':
        return l.content !== undefined ? l.content : host.read(path);
      default:
        return host.read(path);
    }
  }

  /** Records the effect of each change of a plan, in order. */
  async record(changes: readonly Change[], host: HostProbe): Promise<void> {
    for (const c of changes) await this.recordOne(c, host);
  }

  private async recordOne(c: Change, host: HostProbe): Promise<void> {
    try {
      await this.apply(c, host);
    } catch (e) {
      // What the change starts from is not known, so neither is what it leaves.
      if (!(e instanceof UnknownPath) || c.kind === 'command') throw e;
      this.entries.set(c.path, { kind: 'unknown', why: e.why });
    }
  }

  private async apply(c: Change, host: HostProbe): Promise<void> {
    switch (c.kind) {
      case 'file':
        return this.writeFile(c.path, c, Buffer.byteLength(c.after), c.after, host);
      case 'upload': {
        // A check reads bytes as the transport does: decoded as UTF-8.
        await this.writeFile(c.path, c, c.data.length, c.data.toString('utf8'), host);
        const e = this.entries.get(c.path);
        if (e?.kind === 'planned') e.sha256 = c.sha256;
        return;
      }
      case 'remove':
        this.replaceTree(c.path, { kind: 'gone' });
        return;
      case 'dir':
        return this.makeDir(c, host);
      case 'attrs':
        return this.setAttrs(c, host);
      case 'command':
        for (const p of [...(c.creates ?? []), ...(c.covers ?? [])]) this.replaceTree(p, { kind: 'unknown', why: c.cmd });
        for (const p of c.removes ?? []) this.replaceTree(p, { kind: 'gone' });
        for (const a of c.accounts ?? []) this.accounts.set(`${a.kind}:${a.name}`, a.exists);
        if (!c.declared) this.pending.push(c.cmd);
        return;
      default:
        return unknownChange(c);
    }
  }

  /** What was planned at and below a path gives way to what is there now. */
  private replaceTree(path: string, e: Entry): void {
    for (const p of this.entries.keys()) if (p.startsWith(`${path}/`)) this.entries.delete(p);
    this.entries.set(path, e);
  }

  /** The atomic write: an existing file keeps its mode and owner; a new one is 0644, owned by whoever runs it. */
  private async writeFile(path: string, c: Partial<Attrs>, size: number, content: string, host: HostProbe): Promise<void> {
    const cur = await this.stat(path, host);
    const base: Attrs = cur ? cur : { mode: '0644', ...(await this.newOwner(path, host)) };
    this.entries.set(path, { kind: 'planned', stat: { type: 'file', size, ...pick(base, c) }, content });
  }

  /** `mkdir -p`, then chmod and chown of the last directory only. */
  private async makeDir(c: Extract<Change, { kind: 'dir' }>, host: HostProbe): Promise<void> {
    const missing: string[] = [];
    let existing: FileStat | null = null;
    for (let p = c.path; ; p = posix.dirname(p)) {
      existing = await this.stat(p, host);
      if (existing || p === '/' || p === '.') break;
      missing.unshift(p);
    }
    if (!missing.length) {
      if (existing) this.entries.set(c.path, { ...this.plannedAt(c.path, existing), stat: { ...existing, ...pick(existing, c) } });
      return;
    }
    const who = await host.identity();
    let parent = existing;
    for (const p of missing) {
      const inherit = parent !== null && (parseInt(parent.mode, 8) & 0o2000) !== 0;
      const made = (0o777 & ~parseInt(who.umask, 8)) | (p === c.path ? 0 : 0o300) | (inherit ? 0o2000 : 0);
      let stat: FileStat = { type: 'dir', size: 0, mode: octal(made), owner: who.user, group: inherit ? parent!.group : who.group };
      if (p === c.path) stat = { ...stat, ...pick(stat, { ...c, mode: c.mode && dirMode(c.mode, inherit) }) };
      this.entries.set(p, { kind: 'planned', stat, fresh: true });
      parent = stat;
    }
  }

  private async setAttrs(c: Extract<Change, { kind: 'attrs' }>, host: HostProbe): Promise<void> {
    const want: Partial<Attrs> = { ...(c.mode ? { mode: c.mode[1] } : {}), ...(c.owner ? { owner: c.owner[1] } : {}), ...(c.group ? { group: c.group[1] } : {}) };
    const cur = await this.stat(c.path, host);
    if (!cur) return;
    this.entries.set(c.path, { ...this.plannedAt(c.path, cur), stat: { ...cur, ...want } });
    if (!c.recurse) return;
    const own = this.entries.get(c.path);
    if (own?.kind === 'planned') own.below = { ...own.below, ...want };
    for (const [p, e] of this.entries) if (p.startsWith(`${c.path}/`) && e.kind === 'planned') e.stat = { ...e.stat, ...want };
  }

  /** The entry at a path that exists, keeping what was planned for it before. */
  private plannedAt(path: string, stat: FileStat): Extract<Entry, { kind: 'planned' }> {
    const e = this.entries.get(path);
    return e?.kind === 'planned' ? { ...e } : { kind: 'planned', stat };
  }

  /** A new file's owner: whoever runs the command; its group, the directory's when that has set-group-ID. */
  private async newOwner(path: string, host: HostProbe): Promise<Pick<Attrs, 'owner' | 'group'>> {
    const who = await host.identity();
    const dir = await this.stat(posix.dirname(path), host).catch(() => null);
    const inherit = dir !== null && (parseInt(dir.mode, 8) & 0o2000) !== 0;
    return { owner: who.user, group: inherit ? dir.group : who.group };
  }

  /** The nearest entry that decides about a path: its own, or one above it. */
  private lookup(path: string): Lookup {
    const own = this.entries.get(path);
    if (own) return own;
    for (let p = posix.dirname(path); ; p = posix.dirname(p)) {
      const e = this.entries.get(p);
      if (e?.kind === 'gone' || e?.kind === 'unknown') return e;
      if (e?.kind === 'planned' && e.fresh) return { kind: 'gone' };
      if (e?.kind === 'planned' && e.below) return { kind: 'adjusted', below: e.below };
      if (p === '/' || p === '.') return { kind: 'host' };
    }
  }
}

class UnknownPath extends Unknowable {
  constructor(
    path: string,
    readonly why: string,
  ) {
    super(`${path} depends on what an earlier step does (${why}); it can only be known after it runs`);
  }
}

function unknowable(path: string, why: string): UnknownPath {
  return new UnknownPath(path, why);
}

function pick(base: Attrs, c: Partial<Attrs>): Attrs {
  return { mode: c.mode ?? base.mode, owner: c.owner ?? base.owner, group: c.group ?? base.group };
}

function octal(n: number): string {
  return n.toString(8).padStart(4, '0');
}

/** chmod with a numeric mode keeps a directory's set-group-ID bit unless the mode names special bits. */
function dirMode(mode: string, setgid: boolean): string {
  const m = parseInt(mode, 8);
  return octal(setgid && (m & 0o7000) === 0 ? m | 0o2000 : m);
}
