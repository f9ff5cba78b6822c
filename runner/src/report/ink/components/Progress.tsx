import { Text } from 'ink';
import { useTick } from '../hooks/useTick.js';
import { clock } from '../text.js';

const BAR_MAX = 30;

/** Tasks done out of all (task × host) and the time since the run started. */
export function Progress(props: { done: number; total: number; startedAt: number | null; columns: number }) {
  useTick(1000);
  const elapsed = props.startedAt === null ? 0 : Date.now() - props.startedAt;
  const count = `${props.done}/${props.total} tasks`;
  const time = `${clock(elapsed)} elapsed`;
  const barWidth = Math.min(BAR_MAX, props.columns - count.length - time.length - 4);
  const filled = props.total > 0 && barWidth > 0 ? Math.round((barWidth * props.done) / props.total) : 0;
  return (
    <Text wrap="truncate-end">
      <Text bold>{count}</Text>
      {barWidth > 0 ? (
        <>
          {'  '}
          <Text color="green">{'█'.repeat(filled)}</Text>
          <Text dimColor>{'░'.repeat(barWidth - filled)}</Text>
        </>
      ) : null}
      {'  '}
      {time}
    </Text>
  );
}
