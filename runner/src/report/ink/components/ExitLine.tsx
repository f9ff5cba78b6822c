import { Text } from 'ink';
import { EXIT, EXIT_MEANING, type ExitCode } from '../../../engine/exit-codes.js';
import { duration } from '../text.js';

export function ExitLine({ code, ms }: { code: number; ms: number }) {
  const color = code === EXIT.ok ? 'green' : code === EXIT.drift ? 'yellow' : 'red';
  const meaning = EXIT_MEANING[code as ExitCode] as string | undefined;
  return (
    <Text wrap="wrap">
      <Text color={color} bold>
        exit code {code}
      </Text>
      {meaning ? ` (${meaning})` : ''} after {duration(ms)}
    </Text>
  );
}
