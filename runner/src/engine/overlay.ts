import type { FileStat } from '../modules/lib/context.js';
import type { Change } from '../modules/lib/plan.js';

/** A path whose content an earlier command would change in ways a dry-run cannot know. */
export const UNKNOWN = Symbol('unknown');

interface Planned {
  /** undefined: unchanged, read it from the host. */
  content?: string | null | typeof UNKNOWN;
  stat: FileStat | null | typeof UNKNOWN;
}

/**
 * What a dry-run would have written so far on one host: later checks read through it, so a task
 * that depends on an earlier one previews what the real run will do.
 */
export class Overlay {
  private readonly paths = new Map<string, Planned>();
  /** Descriptions of earlier effects that cannot be modelled (commands, package installs). */
  readonly pending: string[] = [];

  /** undefined: the overlay knows nothing about the path; ask the host. */
  content(path: string): string | null | typeof UNKNOWN | undefined {
    return this.paths.get(path)?.content;
  }

  stat(path: string): FileStat | null | typeof UNKNOWN | undefined {
    const p = this.paths.get(path);
    if (p) return p.stat;
    for (const [dir, planned] of this.paths) if (planned.content === null && planned.stat === null && path.startsWith(`${dir}/`)) return null;
    return undefined;
  }

  /** A directory `mkdir -p` would create on the way to a planned one. */
  addParent(path: string, owner: string, group: string): void {
    this.paths.set(path, { stat: { type: 'dir', mode: '0755', owner, group, size: 0 } });
  }

  /** Records the effect of a planned change; `current` is the stat before it, when known. */
  record(c: Change, current: (path: string) => FileStat | null | undefined): void {
    const base = (path: string): FileStat => {
      const s = this.stat(path);
      const known = s === UNKNOWN ? undefined : s ?? current(path) ?? undefined;
      return known ?? { type: 'file', mode: '0644', owner: 'root', group: 'root', size: 0 };
    };
    switch (c.kind) {
      case 'file': {
        const s = base(c.path);
        this.paths.set(c.path, {
          content: c.after,
          stat: { ...s, type: 'file', mode: c.mode ?? s.mode, owner: c.owner ?? s.owner, group: c.group ?? s.group, size: Buffer.byteLength(c.after) },
        });
        return;
      }
      case 'upload': {
        // Bytes, not text: a later check that reads it as text cannot know it before it exists.
        const s = base(c.path);
        this.paths.set(c.path, { content: UNKNOWN, stat: { ...s, type: 'file', mode: c.mode ?? s.mode, owner: c.owner ?? s.owner, group: c.group ?? s.group, size: c.data.length } });
        return;
      }
      case 'remove':
        this.paths.set(c.path, { content: null, stat: null });
        return;
      case 'dir': {
        const s = base(c.path);
        this.paths.set(c.path, { stat: { ...s, type: 'dir', mode: c.mode ?? (s.type === 'dir' ? s.mode : '0755'), owner: c.owner ?? s.owner, group: c.group ?? s.group, size: 0 } });
        return;
      }
      case 'attrs': {
        const s = base(c.path);
        const prev = this.paths.get(c.path);
        this.paths.set(c.path, {
          ...(prev && prev.content !== undefined ? { content: prev.content } : {}),
          stat: { ...s, mode: c.mode?.[1] ?? s.mode, owner: c.owner?.[1] ?? s.owner, group: c.group?.[1] ?? s.group },
        });
        return;
      }
      case 'command':
        for (const p of c.creates ?? []) this.paths.set(p, { content: UNKNOWN, stat: UNKNOWN });
        for (const p of c.removes ?? []) this.paths.set(p, { content: null, stat: null });
        this.pending.push(c.cmd);
        return;
    }
  }
}
