import { Text } from 'ink';
import type { TaskRow as Row } from '../../state.js';
import { countStatuses } from '../../many-hosts.js';
import { useTick } from '../hooks/useTick.js';
import { LOOKS, NO_RESULT, RUNNING, SPINNER } from '../look.js';
import { duration, fit } from '../text.js';

const BAR = 12;

/**
 * A task on many hosts as one line: its title, a bar of the hosts done, and how many hosts are in
 * each status (`✓ 45 ok  ~ 3 changed  ✗ 2 failed  12 running`). The hosts to look at are told
 * below it once it is over (HostDetails).
 */
export function CountsRow({ row, columns, paused = false }: { row: Row; columns: number; paused?: boolean }) {
  const tick = useTick(80, !row.finished && !paused);
  const results = row.hosts.flatMap((h) => (row.results[h] ? [row.results[h]!.status] : []));
  const left = row.hosts.length - results.length;
  const filled = Math.round((BAR * results.length) / Math.max(1, row.hosts.length));
  const took = Math.max(0, ...Object.values(row.results).map((r) => r.ms));
  const title = `${row.kind === 'handler' ? 'HANDLER' : 'TASK'} ${row.name}`;
  const counts = countStatuses(results);
  const leftLook = row.finished ? NO_RESULT : RUNNING;
  // The counts matter more than a long task name: the title gives way first.
  const countsWidth = counts.reduce((n, [s, c]) => n + 2 + `${LOOKS[s].symbol} ${c} ${LOOKS[s].word}`.length, 0) + (left ? 2 + `${left} ${leftLook.word}`.length : 0);
  const titleRoom = Math.max(8, columns - 2 - BAR - 2 - `${results.length}/${row.hosts.length}`.length - countsWidth - 1);
  return (
    <Text wrap="truncate-end">
      {row.finished ? '' : `${SPINNER[tick % SPINNER.length]} `}
      <Text bold>{fit(title, titleRoom)}</Text>
      {'  '}
      <Text color="green">{'█'.repeat(filled)}</Text>
      <Text dimColor>{'░'.repeat(BAR - filled)}</Text>
      {` ${results.length}/${row.hosts.length}`}
      {counts.map(([s, n]) => (
        <Text key={s} color={LOOKS[s].color} bold={s === 'failed' || s === 'would_fail' || s === 'unreachable'}>
          {'  '}
          {LOOKS[s].symbol} {n} {LOOKS[s].word}
        </Text>
      ))}
      {left > 0 && (
        <Text color={leftLook.color}>
          {'  '}
          {left} {leftLook.word}
        </Text>
      )}
      {row.finished && took > 0 ? <Text dimColor>{`  ${duration(took)}`}</Text> : null}
    </Text>
  );
}
