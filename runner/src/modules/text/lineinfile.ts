/** What a line task wants of a file's text. */
export interface LineEdit {
  state: 'present' | 'absent';
  line?: string;
  /** present: the last matching line is replaced; absent: every matching line is removed. */
  match?: RegExp;
  /** A new line goes after the last line that matches (default: the end). */
  insertAfter?: RegExp;
}

/** What the edit did; line numbers are 1-based, in the new text. */
export type LineOutcome =
  | { action: 'unchanged' }
  | { action: 'replaced'; at: number }
  | { action: 'inserted'; at: number }
  | { action: 'appended'; at: number }
  | { action: 'removed'; count: number };

export interface LineResult {
  text: string;
  outcome: LineOutcome;
}

interface Lines {
  lines: string[];
  finalNewline: boolean;
}

function split(text: string): Lines {
  if (text === '') return { lines: [], finalNewline: true };
  const lines = text.split('\n');
  const finalNewline = lines[lines.length - 1] === '';
  if (finalNewline) lines.pop();
  return { lines, finalNewline };
}

function join(t: Lines): string {
  return t.lines.length === 0 ? '' : t.lines.join('\n') + (t.finalNewline ? '\n' : '');
}

/** A line without the carriage return of a CRLF file, for comparing. */
const body = (l: string): string => (l.endsWith('\r') ? l.slice(0, -1) : l);

function lastIndex(lines: string[], test: (l: string) => boolean): number {
  for (let i = lines.length - 1; i >= 0; i--) if (test(body(lines[i]))) return i;
  return -1;
}

/** lineinfile: the text with the line present (or absent). Pure. */
export function editLines(text: string, e: LineEdit): LineResult {
  const t = split(text);
  const same = (l: string) => l === e.line;
  const unchanged: LineResult = { text, outcome: { action: 'unchanged' } };

  if (e.state === 'absent') {
    const hit = e.match ? (l: string) => e.match!.test(l) : same;
    const kept = t.lines.filter((l) => !hit(body(l)));
    const count = t.lines.length - kept.length;
    if (count === 0) return unchanged;
    return { text: join({ lines: kept, finalNewline: t.finalNewline }), outcome: { action: 'removed', count } };
  }

  const line = e.line;
  if (line === undefined) throw new Error('a present line needs its text');
  if (e.match) {
    const i = lastIndex(t.lines, (l) => e.match!.test(l));
    if (i >= 0) {
      if (body(t.lines[i]) === line) return unchanged;
      const eol = t.lines[i].endsWith('\r') ? '\r' : '';
      t.lines[i] = line + eol;
      return { text: join(t), outcome: { action: 'replaced', at: i + 1 } };
    }
  }
  // No line matches: the line itself may already be there (a `line` that its `match` does not match).
  if (lastIndex(t.lines, same) >= 0) return unchanged;

  const after = e.insertAfter ? lastIndex(t.lines, (l) => e.insertAfter!.test(l)) : -1;
  if (after >= 0 && after < t.lines.length - 1) {
    t.lines.splice(after + 1, 0, line);
    return { text: join(t), outcome: { action: 'inserted', at: after + 2 } };
  }
  t.lines.push(line);
  return { text: join({ lines: t.lines, finalNewline: true }), outcome: { action: 'appended', at: t.lines.length } };
}
