/** Events in, state out: the one place the view's state changes, plus the step and stop back channels. */
import type { RunEvent } from '../../engine/events.js';
import type { Ask, StepAnswer, StepQuestion } from '../../engine/step.js';
import { initialState, reduceRun, type RunAction, type RunState } from '../state.js';

export interface StopHooks {
  /** Finish the running task, then stop. */
  interrupt(): void;
  /** Stop now. */
  abort(): void;
}

export interface RunStore {
  subscribe(listener: () => void): () => void;
  getSnapshot(): RunState;
  emit(e: RunEvent): void;
  ask: Ask;
  answer(a: StepAnswer): void;
  /** Prints the pending question's whole plan above the live region. */
  printPlan(): void;
  /** First press: interrupt (and quit a pending question); second press: abort. */
  stop(): void;
}

interface Pending {
  question: StepQuestion;
  resolve(a: StepAnswer): void;
}

/** What the view must show at once: the end, a stop, a question and the keys that answer it. */
function urgent(a: RunAction): boolean {
  return a.type === 'run_end' || a.type === 'interrupted' || a.type.startsWith('ui_');
}

/**
 * `minRedrawMs`: the view is told of new state at most this often (the last change always
 * reaches it), so a fast run on many hosts is not redrawn once per result.
 */
export function createRunStore(hooks: StopHooks, now: () => number = Date.now, minRedrawMs = 0): RunStore {
  let state = initialState;
  const listeners = new Set<() => void>();
  const pending: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let told = 0;

  const tell = () => {
    clearTimeout(timer);
    timer = undefined;
    told = Date.now();
    for (const l of [...listeners]) l();
  };

  const dispatch = (action: RunAction) => {
    state = reduceRun(state, action, now());
    if (minRedrawMs <= 0 || urgent(action)) return tell();
    if (timer) return;
    const wait = told + minRedrawMs - Date.now();
    if (wait <= 0) tell();
    else timer = setTimeout(tell, wait);
  };

  const answer = (a: StepAnswer) => {
    const head = pending.shift();
    if (!head) return;
    dispatch({ type: 'ui_step_done' });
    head.resolve(a);
    if (pending[0]) dispatch({ type: 'ui_step', question: pending[0].question });
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => state,
    emit: dispatch,
    ask(question) {
      return new Promise<StepAnswer>((resolve) => {
        pending.push({ question, resolve });
        if (pending.length === 1) dispatch({ type: 'ui_step', question });
      });
    },
    answer,
    printPlan: () => dispatch({ type: 'ui_step_print' }),
    stop() {
      if (state.aborted) return;
      if (!state.interrupting) {
        dispatch({ type: 'ui_stop' });
        hooks.interrupt();
        while (pending.length) answer('quit');
        return;
      }
      dispatch({ type: 'ui_abort' });
      while (pending.length) answer('quit');
      hooks.abort();
    },
  };
}
