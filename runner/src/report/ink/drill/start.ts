import { createElement } from 'react';
import { render } from 'ink';
import type { DrillEvent } from '../../../cluster/drill-events.js';
import { DrillView, type DrillFeed } from './DrillView.js';

/** Mounts the drill's live view; returns its sink and a way to unmount it once the drill ended. */
export function startDrillInk(stdout: NodeJS.WriteStream = process.stdout): { emit(e: DrillEvent): void; finished(): Promise<void> } {
  const events: DrillEvent[] = [];
  const listeners = new Set<(e: DrillEvent[]) => void>();
  const feed: DrillFeed = {
    subscribe: (f) => {
      listeners.add(f);
      f([...events]);
      return () => listeners.delete(f);
    },
  };
  const instance = render(createElement(DrillView, { feed }), { stdout, exitOnCtrlC: true });
  return {
    emit: (e) => {
      events.push(e);
      for (const f of listeners) f([...events]);
    },
    finished: async () => {
      await new Promise((r) => setTimeout(r, 50));
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
