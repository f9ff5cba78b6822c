import { Box, Text } from 'ink';
import type { HostStatus } from '../../../engine/events.js';
import { LOOKS, NO_RESULT, RUNNING } from '../look.js';
import { fit } from '../text.js';

/** One host's state in a task row: `broker1 ✓ ok`, or a spinner while it runs (spinner null: the row is over). */
export function StatusChip(props: { host: string; hostWidth: number; width: number; gap: number; status: HostStatus | null; spinner: string | null }) {
  const look = props.status ? LOOKS[props.status] : props.spinner !== null ? { ...RUNNING, symbol: props.spinner } : NO_RESULT;
  return (
    <Box width={props.width} marginRight={props.gap}>
      <Text wrap="truncate-end">
        {fit(props.host, props.hostWidth).padEnd(props.hostWidth)}{' '}
        <Text color={look.color} bold={props.status === 'failed' || props.status === 'would_fail' || props.status === 'unreachable'}>
          {look.symbol} {look.word}
        </Text>
      </Text>
    </Box>
  );
}
