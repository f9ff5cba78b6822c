import type { Diagnostic, Span } from './diagnostics.js';

/** `# amq-lint: disable=port-clash,unused-variable` (or `disable=all`). */
const COMMENT = /#\s*amq-lint:\s*disable=([A-Za-z0-9_,\s-]+?)\s*$/;

export interface Suppression {
  rules: Set<string>;
  /** The lines it covers, as offsets. */
  span: Span;
  /** Where the comment is, to report one that silences nothing. */
  at: Span;
}

interface Line {
  start: number;
  end: number;
  text: string;
}

function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    out.push({ start, end: start + raw.length, text: raw.replace(/\r$/, '') });
    start += raw.length + 1;
  }
  return out;
}

const indentOf = (t: string) => t.length - t.trimStart().length;
const blank = (t: string) => t.trim() === '' || t.trim().startsWith('#');

/**
 * The suppression comments of a document. At the end of a line, one covers that line; on a line of
 * its own, the line after it and, when that line starts a list item (a task) or a mapping key with
 * a block below it, everything indented under it.
 */
export function suppressions(text: string): Suppression[] {
  if (!text.includes('amq-lint')) return [];
  const ls = lines(text);
  const out: Suppression[] = [];
  ls.forEach((l, i) => {
    const hash = l.text.indexOf('#');
    const m = hash >= 0 ? COMMENT.exec(l.text.slice(hash)) : null;
    if (!m) return;
    const rules = new Set(m[1].split(',').map((r) => r.trim()).filter(Boolean));
    const at = { start: l.start + hash, end: l.end };
    if (l.text.slice(0, hash).trim() !== '') {
      out.push({ rules, span: { start: l.start, end: l.end }, at });
      return;
    }
    let j = i + 1;
    while (j < ls.length && blank(ls[j].text)) j++;
    if (j >= ls.length) return;
    const head = ls[j];
    const dash = /^(\s*)- /.exec(head.text);
    const base = dash ? dash[1].length : indentOf(head.text);
    let k = j + 1;
    while (k < ls.length && (blank(ls[k].text) || indentOf(ls[k].text) > base)) k++;
    out.push({ rules, span: { start: head.start, end: ls[k - 1].end }, at });
  });
  return out;
}

/** The diagnostics no suppression covers. */
export function unsuppressed(list: Diagnostic[], sup: Suppression[]): Diagnostic[] {
  if (!sup.length) return list;
  return list.filter((d) => !sup.some((s) => (s.rules.has(d.code) || s.rules.has('all')) && d.span.start >= s.span.start && d.span.start <= s.span.end));
}
