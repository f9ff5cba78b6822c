import { Box, Text } from 'ink';
import type { HostResult, TaskRow } from '../../state.js';
import { PLAN_INDENT, type Fold } from '../fit.js';
import { LOOKS } from '../look.js';
import { isMany, NEEDS_A_LOOK } from '../../many-hosts.js';
import { linesOf } from '../text.js';
import { PlanBody } from './PlanBody.js';

/** Diffs up to this many rows show whole under a finished task; longer ones keep their head unless --diff. */
export const LOG_FOLD: Fold = { above: 24, keep: 16 };

function worthShowing(r: HostResult): boolean {
  return r.status !== 'ok' && r.status !== 'skipped' ? true : Boolean(r.unknown || r.failure || r.ran?.length);
}

/** With many hosts: failures and unreachable hosts always; changes with --diff; everything with --verbose. */
function worthShowingAmongMany(r: HostResult, fullDiff: boolean, verbose: boolean): boolean {
  if (verbose) return worthShowing(r);
  return NEEDS_A_LOOK.has(r.status) || Boolean(r.failure) || (fullDiff && worthShowing(r));
}

/** Under a finished row: what changed, would change or failed on each host, and why. */
export function HostDetails({ row, columns, fullDiff, verbose = false }: { row: TaskRow; columns: number; fullDiff: boolean; verbose?: boolean }) {
  const many = isMany(row.hosts);
  const worth = (r: HostResult) => (many ? worthShowingAmongMany(r, fullDiff, verbose) : worthShowing(r));
  const shown = row.hosts.flatMap((h) => (row.results[h] && worth(row.results[h]) ? [[h, row.results[h]] as const] : []));
  if (!shown.length) return null;
  return (
    <Box flexDirection="column" paddingLeft={2}>
      {shown.map(([host, r]) => (
        <Box key={host} flexDirection="column">
          <Text wrap="wrap">
            <Text color={LOOKS[r.status].color}>
              {LOOKS[r.status].symbol} {host}:
            </Text>{' '}
            {linesOf(r.message).join(' ')}
          </Text>
          <PlanBody parts={r} width={columns - PLAN_INDENT} fold={fullDiff ? null : LOG_FOLD} diffHint="run with --diff to see all" verbose={verbose} />
        </Box>
      ))}
    </Box>
  );
}
