import type { Span } from './diagnostics.js';

/** Whether a YAML error comes from a line indented wrongly (or with a tab), not an unclosed bracket. */
export function isIndentationError(code: string, message: string): boolean {
  switch (code) {
    case 'BAD_INDENT':
      return !message.startsWith('Flow ');
    case 'MISSING_CHAR':
      return message.startsWith('Sequence item without');
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
    case 'TAB_AS_INDENT':
      return true;
    default:
      return false;
  }
}

interface Line {
  start: number;
  text: string;
  /** Column of its first key or value (after `- `); -1 for a blank or comment line. */
  col: number;
  /** Column of its `- `, when it starts a list item. */
  dash?: number;
  key?: string;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    const t = raw.replace(/\r$/, '');
    const m = /^([ \t]*)(- +)?(.*)$/.exec(t)!;
    const body = m[3];
    const col = body === '' || body.startsWith('#') ? -1 : m[1].length + (m[2]?.length ?? 0);
    const key = /^([^\s:#'"{[][^:#]*?):(\s|$)/.exec(body)?.[1];
    out.push({ start, text: t, col, ...(m[2] ? { dash: m[1].length } : {}), ...(key ? { key } : {}) });
    start += raw.length + 1;
  }
  return out;
}

function lineAt(ls: Line[], offset: number): number {
  let i = 0;
  while (i + 1 < ls.length && ls[i + 1].start <= offset) i++;
  return i;
}

function previous(ls: Line[], i: number): number {
  for (let j = i - 1; j >= 0; j--) if (ls[j].col >= 0) return j;
  return -1;
}

/** The first key of the mapping whose keys sit at `col`, going up from line `i`. */
function firstKeyAt(ls: Line[], i: number, col: number): string | undefined {
  let first: string | undefined;
  for (let j = i; j >= 0; j--) {
    const l = ls[j];
    if (l.col < 0) continue;
    if (l.col < col && l.dash === undefined) break;
    if (l.col === col && l.key) first = l.key;
    if (l.dash !== undefined && l.col === col) break;
    if (l.col < col) break;
  }
  return first;
}

/** One diagnostic for a YAML error caused by indentation: on the line that holds the mistake, in words. */
export function explainIndentation(text: string, code: string, offset: number): { span: Span; message: string; hint: string } {
  const ls = lines(text);
  let i = lineAt(ls, offset);
  if (code === 'TAB_AS_INDENT') {
    const tab = ls[i].text.indexOf('\t');
    return { span: { start: ls[i].start + Math.max(0, tab), end: ls[i].start + Math.max(0, tab) + 1 }, message: 'tabs are not allowed for indentation in YAML', hint: 'indent with spaces' };
  }
  if (code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'MULTILINE_IMPLICIT_KEY') {
    for (let j = i + 1; j < ls.length; j++) if (ls[j].col >= 0) {
      i = j;
      break;
    }
  }
  const here = ls[i];
  const span = { start: here.start + Math.max(0, here.col), end: here.start + here.text.length };
  const p = previous(ls, i);
  if (p < 0 || here.col < 0) return { span, message: 'this line is not indented as the lines around it', hint: 'line it up with the keys of the mapping it belongs to' };
  const above = ls[p];
  if (here.col > above.col) {
    const first = firstKeyAt(ls, p, above.col);
    return {
      span,
      message: `this line is indented under '${above.key !== undefined ? `${above.key}:` : above.text.trim()}'; the keys here line up with '${first ?? above.key}'`,
      hint: `start it at column ${above.col + 1}, where '${first ?? above.key}' starts`,
    };
  }
  const first = firstKeyAt(ls, p, above.col);
  return { span, message: `this line is indented less than the keys above it, which line up with '${first ?? above.key}' (column ${above.col + 1})`, hint: `start it at column ${above.col + 1}` };
}

/**
 * The part of the runbook a syntax error leaves unreliable: the list item (task, play) holding
 * the mistake, from its `- ` to the next line indented as little. Other checks stay quiet there.
 */
export function shadowOf(text: string, offset: number): Span {
  const ls = lines(text);
  const i = lineAt(ls, offset);
  const tabbed = ls[i].text.startsWith('\t');
  const col = tabbed ? Infinity : Math.max(0, ls[i].col);
  let from = -1;
  for (let j = i; j >= 0; j--) {
    const d = ls[j].dash;
    if (d !== undefined && (d < col || (tabbed && j < i))) {
      from = j;
      break;
    }
    if (!tabbed && ls[j].col === 0 && ls[j].dash === undefined && j < i) {
      from = j;
      break;
    }
  }
  if (from < 0) from = 0;
  const edge = ls[from].dash ?? 0;
  let to = ls.length;
  for (let j = Math.max(i, from) + 1; j < ls.length; j++) {
    const l = ls[j];
    if (l.col >= 0 && !l.text.startsWith('\t') && (l.dash ?? l.col) <= edge) {
      to = j;
      break;
    }
  }
  return { start: ls[from].start, end: to < ls.length ? ls[to].start : text.length };
}
