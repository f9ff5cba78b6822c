import { useInput, useStdin } from 'ink';
import type { StepAnswer, StepQuestion } from '../../../engine/step.js';

const ANSWERS: Record<string, StepAnswer> = { y: 'yes', n: 'no', a: 'all', q: 'quit' };

/** y/n/a/q answer the pending question without Enter; d prints its whole plan above. */
export function useStepKeys(question: StepQuestion | null, answer: (a: StepAnswer) => void, printPlan: () => void): void {
  const { isRawModeSupported } = useStdin();
  useInput(
    (input, key) => {
      if (key.ctrl || key.meta) return;
      const k = input.toLowerCase();
      if (k === 'd') printPlan();
      const a = ANSWERS[k];
      if (a) answer(a);
    },
    { isActive: question !== null && isRawModeSupported },
  );
}
