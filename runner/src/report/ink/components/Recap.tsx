import { Box, Text } from 'ink';
import type { Recap as RecapCounts } from '../../../engine/events.js';
import { LOOKS } from '../look.js';
import { recapTable } from '../recap-table.js';

/** PLAY RECAP: per host, how many tasks ended in each status. */
export function Recap({ recap, columns }: { recap: RecapCounts; columns: number }) {
  const table = recapTable(recap, columns);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>PLAY RECAP</Text>
      <Text bold wrap="truncate-end">
        {table.header.host}
        {table.header.cells.join('')}
      </Text>
      {table.rows.map((row) => {
        const bad = row.cells.some((c) => (c.status === 'failed' || c.status === 'would_fail' || c.status === 'unreachable') && c.count > 0);
        return (
          <Text key={row.host} wrap="truncate-end">
            <Text color={bad ? 'red' : undefined} bold={bad}>
              {row.host}
            </Text>
            {row.cells.map((c) => (
              <Text key={c.status} color={c.count > 0 ? LOOKS[c.status].color : undefined} dimColor={c.count === 0}>
                {c.text}
              </Text>
            ))}
          </Text>
        );
      })}
    </Box>
  );
}
