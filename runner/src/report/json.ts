import type { RunEvent } from '../engine/events.js';

/** One JSON object per line: the stable interface for scripts and CI. */
export function jsonSink(write: (line: string) => void): (e: RunEvent) => void {
  return (e) => write(JSON.stringify(e));
}
