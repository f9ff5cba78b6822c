import { Box, Text } from 'ink';
import type { CommandFailure } from '../../../engine/events.js';
import { linesOf } from '../text.js';

export const STDERR_TAIL = 6;

/** The command that failed, its exit code and the end of its stderr. */
export function Failure({ failure }: { failure: CommandFailure }) {
  const lines = linesOf(failure.stderr.replace(/\s+$/, ''));
  const tail = lines.slice(-STDERR_TAIL);
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">
        <Text color="red">command failed: </Text>
        {linesOf(failure.cmd).join(' ')}
      </Text>
      <Text color="red">exit code {failure.exit_code}</Text>
      {tail.length > 0 && (
        <Text dimColor>
          stderr{lines.length > tail.length ? ` (last ${tail.length} of ${lines.length} lines)` : ''}:
        </Text>
      )}
      {tail.map((line, i) => (
        <Box key={i} paddingLeft={2}>
          <Text wrap="wrap">{line === '' ? ' ' : line}</Text>
        </Box>
      ))}
    </Box>
  );
}
