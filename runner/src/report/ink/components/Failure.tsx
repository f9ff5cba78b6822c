import { Box, Text } from 'ink';
import type { CommandRun } from '../../../engine/events.js';
import { outputBlocks } from '../../output.js';
import { linesOf } from '../text.js';

/** Lines of each stream of a failing command shown without --verbose. */
export const OUTPUT_TAIL = 6;

/** A command that ran: what it was, its exit code, and the end of each stream it wrote (all with `whole`). */
export function CommandOutput({ run, failed, whole }: { run: CommandRun; failed: boolean; whole: boolean }) {
  return (
    <Box flexDirection="column">
      <Text wrap="wrap">
        <Text color={failed ? 'red' : undefined} dimColor={!failed}>
          {failed ? 'command failed: ' : '$ '}
        </Text>
        {linesOf(run.cmd).join(' ')}
      </Text>
      <Text color={failed ? 'red' : undefined} dimColor={!failed}>
        exit code {run.exit_code}
      </Text>
      {outputBlocks(run, whole ? undefined : OUTPUT_TAIL).map((b) => (
        <Box key={b.label} flexDirection="column">
          <Text dimColor>{b.label}:</Text>
          {linesOf(b.lines.join('\n')).map((line, i) => (
            <Box key={i} paddingLeft={2}>
              <Text wrap="wrap">{line === '' ? ' ' : line}</Text>
            </Box>
          ))}
        </Box>
      ))}
    </Box>
  );
}

/** The command that failed, its exit code and the last lines of its stdout and stderr, each under its label. */
export function Failure({ failure, whole = false }: { failure: CommandRun; whole?: boolean }) {
  return <CommandOutput run={failure} failed whole={whole} />;
}
