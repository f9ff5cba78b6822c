/** Helpers for the view tests: recorded event streams, rendering at a width, reading frames without colour. */
import { readFileSync } from 'node:fs';
import type { ReactElement } from 'react';
import { render } from 'ink-testing-library';
import type { RunEvent } from '../../runner/src/engine/events.js';
import type { StepQuestion } from '../../runner/src/engine/step.js';
import { fixture } from '../helpers/paths.js';

export function recorded(name: string): RunEvent[] {
  return readFileSync(fixture('events', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RunEvent);
}

export function recordedQuestion(name: string): StepQuestion {
  return JSON.parse(readFileSync(fixture('events', name), 'utf8')) as StepQuestion;
}

/** Renders `tree` on a terminal of that size (ink-testing-library's own stdout is 100 wide, with no height). */
export function renderAt(columns: number, tree: ReactElement, rows = 60) {
  const r = render(<></>);
  resize(r.stdout, columns, rows);
  r.rerender(tree);
  return r;
}

export function resize(stdout: NodeJS.EventEmitter, columns: number, rows = 60) {
  Object.defineProperty(stdout, 'columns', { configurable: true, get: () => columns });
  Object.defineProperty(stdout, 'rows', { configurable: true, get: () => rows });
  stdout.emit('resize');
}

/**
 * The screen as last drawn. When CI is set, Ink closes by writing only its live part (here
 * empty), so the last frame that holds anything is the one a terminal would show.
 */
export const screen = (r: { frames: string[] }) => r.frames.filter((f) => f.trim() !== '').at(-1);

/** Lets Ink finish the renders queued by the last events. */
export const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

const SGR = /\u001B\[[0-9;]*m/g;
export const plain = (frame: string | undefined) => (frame ?? '').replace(SGR, '');
export const linesOf = (frame: string | undefined) => plain(frame).split('\n');
/** Terminal cells of a plain line: every character this view prints is one cell wide. */
export const cells = (line: string) => [...line].length;
