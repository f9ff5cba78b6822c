import { Box, Text } from 'ink';
import type { StepQuestion } from '../../../engine/step.js';
import { PLAN_INDENT, foldLines } from '../fit.js';
import { linesOf } from '../text.js';
import { PlanBody } from './PlanBody.js';
import { PlanHost } from './PlanHost.js';

const KEYS: [key: string, what: string][] = [
  ['y', 'apply'],
  ['n', 'skip this task'],
  ['a', 'apply all from here'],
  ['q', 'quit'],
];

/** --step: each host's plan first (diffs folded to fit the screen), then the question; keys answer without Enter. */
export function StepPrompt(props: { question: StepQuestion; printed: boolean; diffRows: number[]; columns: number }) {
  const { question, printed, columns } = props;
  const width = columns - PLAN_INDENT;
  const fold = (i: number) => ({ above: props.diffRows[i] ?? 0, keep: (props.diffRows[i] ?? 1) - 1 });
  const folded = !printed && question.plans.some((p, i) => p.diff && foldLines(linesOf(p.diff), width, fold(i)).hidden > 0);
  return (
    <Box flexDirection="column" marginTop={1}>
      {question.plans.map((p, i) => (
        <Box key={p.host} flexDirection="column" paddingLeft={2}>
          <PlanHost plan={p} />
          {printed ? null : <PlanBody parts={p} width={width} fold={fold(i)} diffHint="d prints it whole" />}
        </Box>
      ))}
      {printed && <Text dimColor>  (the whole plan is printed above)</Text>}
      <Text wrap="wrap">
        <Text color="yellow" bold>
          ?{' '}
        </Text>
        <Text bold>
          Apply "{question.task}" ({question.module}) on {question.plans.map((p) => p.host).join(', ')}?
        </Text>
      </Text>
      <Text wrap="wrap">
        {'  '}
        {KEYS.map(([k, what]) => (
          <Text key={k}>
            <Text bold color="yellow">
              {k}
            </Text>{' '}
            {what}
            {'   '}
          </Text>
        ))}
        {folded ? (
          <Text>
            <Text bold color="yellow">
              d
            </Text>{' '}
            whole diff
          </Text>
        ) : null}
      </Text>
    </Box>
  );
}
