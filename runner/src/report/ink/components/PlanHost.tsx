import { Text } from 'ink';
import type { StepPlan } from '../../../engine/step.js';
import { LOOKS } from '../look.js';
import { linesOf } from '../text.js';

/** `± broker1: edit activemq.xml`, the line above one host's plan. */
export function PlanHost({ plan }: { plan: StepPlan }) {
  return (
    <Text wrap="wrap">
      <Text color={LOOKS.would_change.color}>
        {LOOKS.would_change.symbol} {plan.host}:
      </Text>{' '}
      {linesOf(plan.message).join(' ')}
    </Text>
  );
}
