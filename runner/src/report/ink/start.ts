/** The entry the CLI calls on a TTY: mounts the view and hands back the engine's sink and step question. */
import { createElement } from 'react';
import { render } from 'ink';
import type { RunEvent } from '../../engine/events.js';
import type { Ask } from '../../engine/step.js';
import { App } from './App.js';
import { createRunStore } from './store.js';

export interface InkOptions {
  playbook: string;
  inventory?: string;
  dryRun: boolean;
  step: boolean;
  showDiff: boolean;
  verbose?: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** First Ctrl-C: stop after the running task. */
  interrupt(): void;
  /** Second Ctrl-C: stop now. */
  abort(): void;
}

export interface InkSink {
  emit(e: RunEvent): void;
  ask: Ask;
  /** Resolves once run_end is drawn (or the run was aborted) and the view has unmounted. */
  finished(): Promise<void>;
}

/** At most this many redraws a second for new results (a spinner and the clock tick on their own). */
const REDRAWS_PER_SECOND = 12;

export function startInk(opts: InkOptions): InkSink {
  const store = createRunStore({ interrupt: opts.interrupt, abort: opts.abort }, Date.now, 1000 / REDRAWS_PER_SECOND);
  const app = createElement(App, { store, playbook: opts.playbook, dryRun: opts.dryRun, showDiff: opts.showDiff, step: opts.step, verbose: opts.verbose ?? false, ...(opts.inventory !== undefined ? { inventory: opts.inventory } : {}) });
  const instance = render(app, {
    stdout: opts.stdout ?? process.stdout,
    stdin: opts.stdin ?? process.stdin,
    exitOnCtrlC: false,
  });
  // With a raw-mode terminal Ctrl-C arrives as a key; a signal still comes from `kill -INT` or a non-TTY stdin.
  const onSignal = () => store.stop();
  process.on('SIGINT', onSignal);
  const exited = instance.waitUntilExit().finally(() => process.off('SIGINT', onSignal));
  return {
    emit: store.emit,
    ask: store.ask,
    finished: () => exited.then(() => undefined),
  };
}
