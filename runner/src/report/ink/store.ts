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

export function createRunStore(hooks: StopHooks, now: () => number = Date.now): RunStore {
  let state = initialState;
  const listeners = new Set<() => void>();
  const pending: Pending[] = [];

  const dispatch = (action: RunAction) => {
    state = reduceRun(state, action, now());
    for (const l of [...listeners]) l();
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
