import { Box, Text } from 'ink';
import { linesOf } from '../text.js';

/** Commands that ran or would run, one per line as a shell shows them; long ones wrap beside the `$`. */
export function Commands({ commands }: { commands: string[] }) {
  return (
    <Box flexDirection="column">
      {commands.map((cmd, i) => (
        <Box key={i}>
          <Text dimColor>$ </Text>
          <Box flexGrow={1} flexShrink={1}>
            <Text wrap="wrap">{linesOf(cmd).join(' ')}</Text>
          </Box>
        </Box>
      ))}
    </Box>
  );
}
