import { Box, Text } from 'ink';
import type { StepQuestion } from '../../../engine/step.js';
import { PLAN_INDENT } from '../fit.js';
import { PlanBody } from './PlanBody.js';
import { PlanHost } from './PlanHost.js';

/** A question's whole plan, printed above on request (d). */
export function PlanPrint({ question, columns }: { question: StepQuestion; columns: number }) {
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        PLAN {question.task}
        <Text dimColor>  {question.module}</Text>
      </Text>
      {question.plans.map((p) => (
        <Box key={p.host} flexDirection="column" paddingLeft={2}>
          <PlanHost plan={p} />
          <PlanBody parts={p} width={columns - PLAN_INDENT} fold={null} diffHint="" />
        </Box>
      ))}
    </Box>
  );
}
