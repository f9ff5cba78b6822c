/**
 * /etc/exports for the kernel NFS server (exports(5)): one line per exported path,
 * `/data/activemq-data *(rw,sync,no_root_squash) 10.0.0.0/24(ro)`.
 */

export interface ExportClient {
  host: string;
  options: readonly string[];
}

/** One logical line: physical lines joined by a trailing backslash. */
interface LogicalLine {
  start: number;
  end: number;
  text: string;
}

const PLAIN_PATH = /^[\x21\x24-\x5b\x5d-\x7e]+$/; // printable, no space, `"`, `#` or `\`

/** The path as exports(5) reads it: bare, or double-quoted with `\ooo` for quotes, backslashes and control characters. */
export function renderExportPath(path: string): string {
  if (PLAIN_PATH.test(path)) return path;
  const body = [...path].map((ch) => (ch === '"' || ch === '\\' || ch < ' ' || ch === '\x7f' ? octal(ch) : ch)).join('');
  return `"${body}"`;
}

function octal(ch: string): string {
  return `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`;
}

export function renderExportLine(path: string, clients: readonly ExportClient[]): string {
  const who = clients.map((c) => (c.options.length ? `${c.host}(${c.options.join(',')})` : c.host));
  return [renderExportPath(path), ...who].join(' ');
}

/** The exported path of a line (its first token, quotes and `\ooo` decoded), or undefined for comments and blank lines. */
export function exportLinePath(line: string): string | undefined {
  const s = line.replace(/^[ \t]+/, '');
  if (s === '' || s.startsWith('#')) return undefined;
  let out = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (!quoted && /\s/.test(ch)) break;
    if (ch === '"') {
      quoted = !quoted;
      continue;
    }
    const esc = /^\\([0-7]{3})/.exec(s.slice(i));
    if (esc && parseInt(esc[1], 8) < 256) {
      out += String.fromCharCode(parseInt(esc[1], 8));
      i += 3;
      continue;
    }
    out += ch;
  }
  return out;
}

function logicalLines(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let start = 0;
  while (start < text.length) {
    let end = start;
    for (;;) {
      const nl = text.indexOf('\n', end);
      if (nl < 0) {
        end = text.length;
        break;
      }
      end = nl + 1;
      if (!/\\\r?\n$/.test(text.slice(start, end))) break;
    }
    lines.push({ start, end, text: text.slice(start, end).replace(/\\\r?\n[ \t]*/g, ' ').replace(/\r?\n$/, '') });
    start = end;
  }
  return lines;
}

const samePath = (a: string, b: string) => trimSlash(a) === trimSlash(b);
const trimSlash = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/**
 * The exports text with exactly one line for `path`: the first line for it replaced in place
 * (later duplicates dropped), or the line appended. Every other byte is kept.
 */
export function upsertExport(text: string, path: string, clients: readonly ExportClient[]): string {
  const wanted = renderExportLine(path, clients);
  let out = '';
  let placed = false;
  for (const l of logicalLines(text)) {
    const p = exportLinePath(l.text);
    if (p === undefined || !samePath(p, path)) {
      out += text.slice(l.start, l.end);
      continue;
    }
    if (!placed) {
      const eol = /\r?\n$/.exec(text.slice(l.start, l.end))?.[0] ?? '';
      out += wanted + eol;
      placed = true;
    }
  }
  if (placed) return out;
  const sep = out === '' || out.endsWith('\n') ? '' : '\n';
  return `${out}${sep}${wanted}\n`;
}

/** The exports text without any line for `path`. */
export function removeExport(text: string, path: string): string {
  return logicalLines(text)
    .filter((l) => {
      const p = exportLinePath(l.text);
      return p === undefined || !samePath(p, path);
    })
    .map((l) => text.slice(l.start, l.end))
    .join('');
}
