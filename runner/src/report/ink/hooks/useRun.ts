import { useSyncExternalStore } from 'react';
import type { RunState } from '../../state.js';
import type { RunStore } from '../store.js';

/** The folded run state; re-renders on every event. */
export function useRun(store: RunStore): RunState {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
