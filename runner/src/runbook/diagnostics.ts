import type { LineCounter } from 'yaml';
import type { RuleId } from './rules.js';

/** A range of character offsets in one document. */
export interface Span {
  start: number;
  end: number;
}

/** The same range `by` characters later (earlier when negative): text before it was edited. */
export const moveSpan = (s: Span, by: number): Span => ({ start: s.start + by, end: s.end + by });

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** The document the span belongs to: undefined for the playbook itself, else the inventory's path. */
  file?: string;
  span: Span;
  severity: Severity;
  /** The rule it comes from, e.g. `unknown-key`: stable; tests, quick fixes and suppressions key on it. */
  code: RuleId;
  message: string;
  hint?: string;
  /** Machine-readable data for quick fixes (e.g. the suggested replacement). */
  data?: { replace?: string; missing?: string[] };
}

export interface Reporter {
  (d: Omit<Diagnostic, 'severity'> & { severity?: Severity }): void;
}

export function collector(file?: string): { list: Diagnostic[]; report: Reporter } {
  const list: Diagnostic[] = [];
  const report: Reporter = (d) => {
    list.push({ severity: 'error', ...d, ...(file !== undefined ? { file } : {}) });
  };
  return { list, report };
}

/** Stable order and no repeats: the same problem found on several hosts is one diagnostic. */
export function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of list) {
    const key = `${d.file ?? ''}|${d.span.start}|${d.span.end}|${d.code}|${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out.sort(
    (a, b) => (a.file ?? '').localeCompare(b.file ?? '') || a.span.start - b.span.start || a.span.end - b.span.end,
  );
}

/** `FILE:LINE:COL: error: MESSAGE (hint)`, 1-based, like a compiler. */
export function formatDiagnostic(file: string, lines: LineCounter, d: Diagnostic): string {
  const { line, col } = lines.linePos(d.span.start);
  const hint = d.hint ? ` (${d.hint})` : '';
  return `${file}:${line}:${col}: ${d.severity}: ${d.message}${hint}`;
}
