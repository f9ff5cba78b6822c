/**
 * The block structure of one YAML line, read from its text alone: it works while the user is
 * typing and the document does not parse.
 */
export interface LineInfo {
  /** Offset of the line's first character. */
  start: number;
  text: string;
  /** Nothing but spaces, or a comment. */
  blank: boolean;
  /** Columns of the `- ` item markers at the start of the line. */
  dashes: number[];
  /** Column of the content after the indentation and the dashes. */
  col: number;
  /** The key at `col`, when the content is `key:` or `key: value`. */
  key?: string;
  /** Column just past the key's colon. */
  colon?: number;
  /** The value after `key:` (or the whole content when there is no key), without a trailing comment. */
  value: string;
  /** Column where `value` starts. */
  valueCol: number;
}

const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#:{}[\],"'&*!|>%@`?-][^:#]*?|-[^\s:#][^:#]*?|\?[^\s:#][^:#]*?))[ \t]*:(?=[ \t]|$)/;

/** The value text without a trailing ` # comment` (quotes respected). */
export function stripComment(s: string): string {
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s[{,:]/.test(s[i - 1])) quote = c;
    } else if (c === '#' && (i === 0 || s[i - 1] === ' ' || s[i - 1] === '\t')) return s.slice(0, i).trimEnd();
  }
  return s.trimEnd();
}

export function lineInfo(text: string, start: number): LineInfo {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  let line = text.slice(start, end);
  if (line.endsWith('\r')) line = line.slice(0, -1);
  let p = 0;
  while (line[p] === ' ') p++;
  const dashes: number[] = [];
  while (line[p] === '-' && (p + 1 === line.length || line[p + 1] === ' ')) {
    dashes.push(p);
    p++;
    while (line[p] === ' ') p++;
  }
  const rest = line.slice(p);
  const blank = rest.trim() === '' ? dashes.length === 0 : rest.startsWith('#') && dashes.length === 0;
  const m = KEY.exec(rest);
  if (m) {
    const key = m[1] ?? (m[2] !== undefined ? m[2].replace(/''/g, "'") : m[3]);
    const colon = p + m[0].length;
    let v = colon;
    while (line[v] === ' ' || line[v] === '\t') v++;
    return { start, text: line, blank, dashes, col: p, key, colon, value: stripComment(line.slice(v)), valueCol: v };
  }
  return { start, text: line, blank, dashes, col: p, value: stripComment(rest), valueCol: p };
}

/** Offset where the line holding `offset` starts. */
export function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The line before the one starting at `start`, or undefined at the top. */
export function previousLine(text: string, start: number): number | undefined {
  if (start === 0) return undefined;
  return text.lastIndexOf('\n', start - 2) + 1;
}

/** The line after the one starting at `start`, or undefined at the end. */
export function nextLine(text: string, start: number): number | undefined {
  const nl = text.indexOf('\n', start);
  return nl < 0 ? undefined : nl + 1;
}

/** A value that starts a block scalar: `|`, `>-`, `|2+`. */
export function isBlockScalarHead(value: string): boolean {
  return /^[|>][0-9+-]*$/.test(value);
}
