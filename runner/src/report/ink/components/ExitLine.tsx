import { Text } from 'ink';
import { EXIT } from '../../../cli/exit-codes.js';
import { duration } from '../text.js';

const MEANING: Record<number, string> = {
  [EXIT.ok]: 'success',
  [EXIT.usage]: 'bad command line',
  [EXIT.taskFailed]: 'a task failed',
  [EXIT.unreachable]: 'a host was unreachable',
  [EXIT.invalid]: 'the playbook or inventory is invalid',
  [EXIT.drift]: 'changes are pending',
  [EXIT.interrupted]: 'interrupted',
};

export function ExitLine({ code, ms }: { code: number; ms: number }) {
  const color = code === EXIT.ok ? 'green' : code === EXIT.drift ? 'yellow' : 'red';
  return (
    <Text wrap="wrap">
      <Text color={color} bold>
        exit code {code}
      </Text>
      {MEANING[code] ? ` (${MEANING[code]})` : ''} after {duration(ms)}
    </Text>
  );
}
