/** How each host status looks: a symbol and a word (readable without colour) and a colour. */
import type { HostStatus } from '../../engine/events.js';

export interface Look {
  symbol: string;
  word: string;
  color: string;
}

export const LOOKS: Record<HostStatus, Look> = {
  ok: { symbol: '✓', word: 'ok', color: 'green' },
  changed: { symbol: '~', word: 'changed', color: 'yellow' },
  would_change: { symbol: '±', word: 'would change', color: 'cyan' },
  would_fail: { symbol: '✗', word: 'would fail', color: 'red' },
  skipped: { symbol: '-', word: 'skipped', color: 'gray' },
  failed: { symbol: '✗', word: 'failed', color: 'red' },
  unreachable: { symbol: '!', word: 'unreachable', color: 'magenta' },
};

export const RUNNING: Look = { symbol: '', word: 'running', color: 'blue' };

/** A finished row where a host never answered (the run stopped or moved on). */
export const NO_RESULT: Look = { symbol: '?', word: 'no result', color: 'gray' };

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The longest "symbol word" label, for aligned chips. */
export const LABEL_WIDTH = Math.max(...Object.values(LOOKS).map((l) => l.symbol.length + 1 + l.word.length), 2 + RUNNING.word.length);
