import { Box, Text } from 'ink';
import type { CommandFailure, CommandRun } from '../../../engine/events.js';
import type { Fold } from '../fit.js';
import { linesOf } from '../text.js';
import { Commands } from './Commands.js';
import { Diff } from './Diff.js';
import { CommandOutput, Failure } from './Failure.js';

export interface PlanParts {
  details?: string[];
  diff?: string;
  commands?: string[];
  unknown?: boolean;
  unknown_reason?: string;
  message?: string;
  failure?: CommandFailure;
  ran?: CommandRun[];
}

/** What a host's change is (or was): details, the diff, the commands, and a failure if any. `width`: of the body. */
export function PlanBody({ parts, width, fold, diffHint, verbose = false }: { parts: PlanParts; width: number; fold: Fold | null; diffHint: string; verbose?: boolean }) {
  const reason = parts.unknown_reason && !parts.message?.includes(parts.unknown_reason) ? parts.unknown_reason : undefined;
  return (
    <Box flexDirection="column" paddingLeft={4}>
      {parts.unknown && (
        <Text dimColor wrap="wrap">
          {reason ? `(unknown until it runs: ${linesOf(reason).join(' ')})` : '(the outcome depends on changes made earlier in the run)'}
        </Text>
      )}
      {parts.details?.map((d, i) => (
        <Text key={i} wrap="wrap">
          {linesOf(d).join(' ')}
        </Text>
      ))}
      {parts.diff && <Diff text={parts.diff} width={width} fold={fold} hint={diffHint} />}
      {parts.commands && parts.commands.length > 0 && <Commands commands={parts.commands} />}
      {parts.failure && <Failure failure={parts.failure} whole={verbose} />}
      {verbose && parts.ran?.map((r, i) => <CommandOutput key={i} run={r} failed={false} whole />)}
    </Box>
  );
}
