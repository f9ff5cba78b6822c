/**
 * fstab(5): one line per mount point, six whitespace-separated fields; spaces, tabs,
 * newlines and backslashes inside a field are written as `\040`, `\011`, `\012`, `\134`.
 */

export interface FstabEntry {
  src: string;
  path: string;
  fstype: string;
  opts: string;
  dump: number;
  pass: number;
}

export function escapeField(s: string): string {
  return s.replace(/[ \t\n\\]/g, (ch) => `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

/** Decodes every `\ooo` (also how /proc/mounts writes these characters). */
export function unescapeField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** `/data/` and `/data` are the same mount point. */
export function normalizeMountPath(p: string): string {
  return p.length > 1 ? p.replace(/\/+$/, '') || '/' : p;
}

export function renderFstabLine(e: FstabEntry): string {
  return [escapeField(e.src), escapeField(e.path), e.fstype, e.opts, e.dump, e.pass].join(' ');
}

/** An entry of an fstab line; undefined for comments, blank and malformed lines. */
export function parseFstabLine(line: string): FstabEntry | undefined {
  const f = line.trim().split(/\s+/);
  if (f[0] === '' || f[0].startsWith('#') || f.length < 4) return undefined;
  return {
    src: unescapeField(f[0]),
    path: unescapeField(f[1]),
    fstype: f[2],
    opts: f[3],
    dump: Number(f[4] ?? 0) || 0,
    pass: Number(f[5] ?? 0) || 0,
  };
}

function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const isFor = (path: string) => (line: string) => {
  const e = parseFstabLine(line);
  return e !== undefined && normalizeMountPath(e.path) === normalizeMountPath(path);
};

/** The first entry for a mount point. */
export function findFstab(text: string, path: string): FstabEntry | undefined {
  const line = lines(text).find(isFor(path));
  return line === undefined ? undefined : parseFstabLine(line);
}

export function sameEntry(a: FstabEntry, b: FstabEntry): boolean {
  return a.src === b.src && a.fstype === b.fstype && a.opts === b.opts && a.dump === b.dump && a.pass === b.pass && normalizeMountPath(a.path) === normalizeMountPath(b.path);
}

/**
 * The fstab text with one line for the entry's mount point: a line that already says the same
 * is kept as written (its spacing too), a differing one is replaced in place, later duplicates
 * are dropped; without one the line is appended.
 */
export function upsertFstab(text: string, e: FstabEntry): string {
  const matches = isFor(e.path);
  let out = '';
  let placed = false;
  for (const line of lines(text)) {
    if (!matches(line)) {
      out += line;
    } else if (!placed) {
      const current = parseFstabLine(line);
      out += current && sameEntry(current, e) ? line : `${renderFstabLine(e)}${line.endsWith('\n') ? '\n' : ''}`;
      placed = true;
    }
  }
  if (placed) return out;
  const sep = out === '' || out.endsWith('\n') ? '' : '\n';
  return `${out}${sep}${renderFstabLine(e)}\n`;
}

/** The fstab text without any line for the mount point. */
export function removeFstab(text: string, path: string): string {
  const matches = isFor(path);
  return lines(text)
    .filter((l) => !matches(l))
    .join('');
}
