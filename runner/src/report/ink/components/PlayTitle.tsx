import { Box, Text } from 'ink';

export function PlayTitle({ name, hosts, serial }: { name: string; hosts: string[]; serial?: number }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Text bold wrap="truncate-end">
        PLAY {name}
      </Text>
      <Text dimColor wrap="truncate-end">
        {'  '}on {hosts.join(', ')}
        {serial !== undefined ? `, ${serial} at a time` : ''}
      </Text>
    </Box>
  );
}
