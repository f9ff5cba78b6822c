import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { DrillEvent, DrillResult } from '../../../cluster/drill-events.js';
import { drillLines, drillVerdict } from '../../drill-lines.js';

export interface DrillFeed {
  subscribe(f: (events: DrillEvent[]) => void): () => void;
}

/** Rows of the timeline: a step's progress updates (sending, receiving) replace its last row. */
export function timelineRows(events: readonly DrillEvent[]): { key: string; text: string }[] {
  const rows: { key: string; text: string; step?: string }[] = [];
  for (const [i, e] of events.entries()) {
    if (e.type === 'drill_result') continue;
    const text = drillLines(e).join('\n');
    const last = rows.at(-1);
    if (e.type === 'drill_step' && e.count !== undefined && last?.step === e.step) last.text = text;
    else rows.push({ key: String(i), text, ...(e.type === 'drill_step' ? { step: e.step } : {}) });
  }
  return rows;
}

/** The live timeline of a drill: each step as it happens, the verdict at the end. */
export function DrillView({ feed }: { feed: DrillFeed }) {
  const [events, setEvents] = useState<DrillEvent[]>([]);
  useEffect(() => feed.subscribe(setEvents), [feed]);
  const result = events.find((e): e is DrillResult => e.type === 'drill_result');
  return (
    <Box flexDirection="column">
      {timelineRows(events).map((r) => (
        <Text key={r.key}>{r.text}</Text>
      ))}
      {result ? (
        <Text bold color={result.ok ? 'green' : 'red'}>
          {drillVerdict(result)}
        </Text>
      ) : (
        <Text dimColor>…</Text>
      )}
    </Box>
  );
}
