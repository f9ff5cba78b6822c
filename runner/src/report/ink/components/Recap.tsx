import { Box, Text } from 'ink';
import type { Recap as RecapCounts } from '../../../engine/events.js';
import { isMany, recapGroups } from '../../many-hosts.js';
import { LOOKS } from '../look.js';
import { recapTable, type RecapTable } from '../recap-table.js';

type TableRow = RecapTable['rows'][number];

function CountsLine({ row }: { row: TableRow }) {
  const bad = row.cells.some((c) => (c.status === 'failed' || c.status === 'would_fail' || c.status === 'unreachable') && c.count > 0);
  return (
    <Text wrap="truncate-end">
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
}

/**
 * With many hosts, one row per set of counts ("45 hosts", or the host's name when it is alone), the
 * names below it: every name of a group with a failure or an unreachable host, one line of the others.
 */
function GroupedRows({ recap, columns }: { recap: RecapCounts; columns: number }) {
  const groups = recapGroups(recap);
  const keys: string[] = [];
  for (const g of groups) {
    const base = g.hosts.length === 1 ? g.hosts[0]! : `${g.hosts.length} hosts`;
    keys.push(keys.includes(base) ? `${base} #${keys.length + 1}` : base);
  }
  const table = recapTable(Object.fromEntries(groups.map((g, i) => [keys[i]!, g.counts])), columns);
  return (
    <>
      <Text bold wrap="truncate-end">
        {table.header.host}
        {table.header.cells.join('')}
      </Text>
      {groups.map((g, i) => (
        <Box key={keys[i]} flexDirection="column">
          <CountsLine row={table.rows[i]!} />
          {g.hosts.length > 1 && (
            <Box paddingLeft={2}>
              <Text dimColor={!g.bad} color={g.bad ? 'red' : undefined} wrap={g.bad ? 'wrap' : 'truncate-end'}>
                {g.hosts.join(', ')}
              </Text>
            </Box>
          )}
        </Box>
      ))}
    </>
  );
}

/** PLAY RECAP: per host (or, with many hosts, per set of counts), how many tasks ended in each status. */
export function Recap({ recap, columns }: { recap: RecapCounts; columns: number }) {
  if (isMany(Object.keys(recap))) {
    return (
      <Box flexDirection="column" marginTop={1}>
        <Text bold>PLAY RECAP</Text>
        <GroupedRows recap={recap} columns={columns} />
      </Box>
    );
  }
  const table = recapTable(recap, columns);
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold>PLAY RECAP</Text>
      <Text bold wrap="truncate-end">
        {table.header.host}
        {table.header.cells.join('')}
      </Text>
      {table.rows.map((row) => (
        <CountsLine key={row.host} row={row} />
      ))}
    </Box>
  );
}
