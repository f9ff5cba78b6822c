/**
 * Keeping the live region inside the terminal. Ink redraws a live region that reaches the
 * terminal's height by clearing the screen and the scrollback, so everything live is
 * measured here and folded to fit; what is final goes to <Static> at any length.
 */
import type { StepQuestion } from '../../engine/step.js';
import type { TaskRow } from '../state.js';
import { isMany } from '../many-hosts.js';
import { LABEL_WIDTH } from './look.js';
import { linesOf } from './text.js';

export const CHIP_INDENT = 2;
export const CHIP_GAP = 2;
/** Left edge of a plan's body under its host line. */
export const PLAN_INDENT = 6;

/** Rows a line takes once wrapped at word boundaries to `width` (as Ink wraps text). */
export function wrappedRows(line: string, width: number): number {
  if (width <= 0) return 1;
  let rows = 1;
  let used = 0;
  for (const word of line.split(' ')) {
    let len = [...word].length;
    const need = used === 0 ? len : used + 1 + len;
    if (need <= width) {
      used = need;
      continue;
    }
    if (used > 0) rows++;
    while (len > width) {
      rows++;
      len -= width;
    }
    used = len;
  }
  return rows;
}

export interface ChipLayout {
  hostWidth: number;
  chipWidth: number;
  perLine: number;
}

export function chipLayout(hosts: string[], columns: number): ChipLayout {
  const room = Math.max(1, columns - CHIP_INDENT);
  const longest = Math.max(1, ...hosts.map((h) => [...h].length));
  const hostWidth = Math.max(1, Math.min(longest, room - LABEL_WIDTH - 1));
  const chipWidth = Math.min(room, hostWidth + 1 + LABEL_WIDTH);
  const perLine = Math.max(1, Math.floor((room + CHIP_GAP) / (chipWidth + CHIP_GAP)));
  return { hostWidth, chipWidth, perLine };
}

export interface Fold {
  /** Fold when the whole would take more rows than this. */
  above: number;
  /** Rows kept when folded (the note takes one more). */
  keep: number;
}

/**
 * A diff line's text cut into rows of `width` characters. Diffs are code: cut anywhere, not at
 * words, so every row is exactly as wide as it can be and never wider.
 */
export function diffRows(text: string, width: number): string[] {
  const chars = [...text];
  if (chars.length <= width) return [text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += width) out.push(chars.slice(i, i + width).join(''));
  return out;
}

/** The diff lines to show within a fold, and how many are left out. */
export function foldLines(lines: string[], width: number, fold: Fold | null): { shown: string[]; hidden: number } {
  const contentWidth = Math.max(1, width - 1);
  const rows = lines.map((l) => diffRows(l.slice(1), contentWidth).length);
  const total = rows.reduce((a, b) => a + b, 0);
  if (!fold || total <= fold.above) return { shown: lines, hidden: 0 };
  let used = 0;
  let n = 0;
  while (n < lines.length && used + rows[n]! <= fold.keep) used += rows[n++]!;
  return { shown: lines.slice(0, n), hidden: lines.length - n };
}

export interface LiveFit {
  /** Chip lines each live row may use before the rest is summed up. */
  chipLines: number;
  /** Rows each plan's diff may take in the question, in plan order. */
  diffRows: number[];
}

const KEYS_ROWS = 2;

/** Shares the terminal's rows between the running rows, the question and the progress line. */
export function fitLive(opts: { rows: number; columns: number; live: TaskRow[]; question: StepQuestion | null; notice: boolean }): LiveFit {
  const { rows, columns, live, question } = opts;
  // Ink prints a newline after the live region, and one spare row absorbs a misjudged wrap.
  let left = rows - 2 - 1 - (opts.notice ? 1 : 0);
  const chipLines = Math.max(1, Math.floor(rows / 3 / Math.max(1, live.length)));
  for (const row of live) left -= isMany(row.hosts) ? 1 : 1 + Math.min(chipLines, Math.ceil(row.hosts.length / chipLayout(row.hosts, columns).perLine));
  if (!question) return { chipLines, diffRows: [] };
  const width = Math.max(1, columns - PLAN_INDENT);
  left -= 1 + wrappedRows(`? Apply "${question.task}" (${question.module}) on ${question.plans.map((p) => p.host).join(', ')}?`, columns) + KEYS_ROWS;
  for (const p of question.plans) {
    left -= wrappedRows(`± ${p.host}: ${p.message}`, columns - 2) + (p.unknown ? 1 : 0);
    for (const line of [...(p.details ?? []), ...(p.commands ?? []).map((c) => `$ ${c}`)]) left -= wrappedRows(linesOf(line).join(' '), width);
  }
  const withDiff = question.plans.filter((p) => p.diff).length;
  const each = withDiff ? Math.max(2, Math.floor(left / withDiff)) : 0;
  return { chipLines, diffRows: question.plans.map((p) => (p.diff ? each : 0)) };
}
