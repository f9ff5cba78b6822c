import { useEffect } from 'react';
import { useApp } from 'ink';
import type { RunState } from '../../state.js';

/** Unmounts once the final frame (recap, exit code) is on screen; an abort ends with one too. */
export function useExitWhenDone(state: RunState): void {
  const { exit } = useApp();
  const done = state.end !== null;
  useEffect(() => {
    if (!done) return;
    // After the render that moves the last lines into <Static>, so they are printed once.
    const later = setTimeout(exit, 0);
    return () => clearTimeout(later);
  }, [done, exit]);
}
