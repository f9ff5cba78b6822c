/** What a command printed, as the faces show it: each stream under its own label, its last lines unless all are asked for. */
import type { CommandRun } from '../engine/events.js';

export interface OutputBlock {
  /** "stdout", or "stdout (last 6 of 30 lines)". */
  label: string;
  lines: string[];
}

/** The non-empty streams of a command, stdout first; `tail` lines of each, or all when undefined. */
export function outputBlocks(run: Pick<CommandRun, 'stdout' | 'stderr'>, tail: number | undefined): OutputBlock[] {
  const out: OutputBlock[] = [];
  for (const name of ['stdout', 'stderr'] as const) {
    const text = run[name].replace(/\s+$/, '');
    if (!text) continue;
    const all = text.split('\n');
    const lines = tail === undefined ? all : all.slice(-tail);
    out.push({ label: lines.length < all.length ? `${name} (last ${lines.length} of ${all.length} lines)` : name, lines });
  }
  return out;
}
