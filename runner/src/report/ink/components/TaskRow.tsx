import { Box, Text } from 'ink';
import type { HostStatus } from '../../../engine/events.js';
import type { TaskRow as Row } from '../../state.js';
import { CHIP_GAP, CHIP_INDENT, chipLayout } from '../fit.js';
import { useTick } from '../hooks/useTick.js';
import { LOOKS, RUNNING, SPINNER } from '../look.js';
import { duration } from '../text.js';
import { isMany } from '../../many-hosts.js';
import { CountsRow } from './CountsRow.js';
import { StatusChip } from './StatusChip.js';

/** "+ 40 more: 30 ✓ ok, 10 running": the hosts that do not fit on screen, counted by status. */
function summary(rest: (HostStatus | null)[]): string {
  const counts = new Map<HostStatus | null, number>();
  for (const s of rest) counts.set(s, (counts.get(s) ?? 0) + 1);
  const parts = [...counts].map(([s, n]) => (s ? `${n} ${LOOKS[s].symbol} ${LOOKS[s].word}` : `${n} ${RUNNING.word}`));
  return `+ ${rest.length} more: ${parts.join(', ')}`;
}

/**
 * A task's title and one status chip per host, wrapping to the width. While running, at most
 * `maxChipLines` lines of chips; the rest is summed up. `paused` stops the spinner (a question waits).
 */
export function TaskRow({ row, columns, maxChipLines = Infinity, paused = false }: { row: Row; columns: number; maxChipLines?: number; paused?: boolean }) {
  if (isMany(row.hosts)) return <CountsRow row={row} columns={columns} paused={paused} />;
  return <ChipsRow row={row} columns={columns} maxChipLines={maxChipLines} paused={paused} />;
}

function ChipsRow({ row, columns, maxChipLines, paused }: { row: Row; columns: number; maxChipLines: number; paused: boolean }) {
  const tick = useTick(80, !row.finished && !paused);
  const spinner = SPINNER[tick % SPINNER.length]!;
  const { hostWidth, chipWidth, perLine } = chipLayout(row.hosts, columns);
  const lines = Math.ceil(row.hosts.length / perLine);
  const shown = lines <= maxChipLines ? row.hosts : row.hosts.slice(0, Math.max(0, maxChipLines - 1) * perLine);
  const rest = row.hosts.slice(shown.length).map((h) => row.results[h]?.status ?? null);
  const took = Math.max(0, ...Object.values(row.results).map((r) => r.ms));
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="truncate-end">
        {row.finished ? '' : `${spinner} `}
        <Text bold>
          {row.kind === 'handler' ? 'HANDLER' : 'TASK'} {row.name}
        </Text>
        <Text dimColor>
          {'  '}
          {row.module}
          {row.finished && took > 0 ? `  ${duration(took)}` : ''}
        </Text>
      </Text>
      <Box flexWrap="wrap" paddingLeft={CHIP_INDENT} width={columns}>
        {shown.map((h) => (
          <StatusChip key={h} host={h} hostWidth={hostWidth} width={chipWidth} gap={CHIP_GAP} status={row.results[h]?.status ?? null} spinner={row.finished ? null : spinner} />
        ))}
      </Box>
      {rest.length > 0 && (
        <Text dimColor wrap="truncate-end">
          {' '.repeat(CHIP_INDENT)}
          {summary(rest)}
        </Text>
      )}
    </Box>
  );
}
