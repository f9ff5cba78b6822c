import { Box, Static, Text } from 'ink';
import { liveRows } from '../state.js';
import type { ViewOptions } from './components/Header.js';
import { LogLine } from './components/LogLine.js';
import { Progress } from './components/Progress.js';
import { StepPrompt } from './components/StepPrompt.js';
import { StopNotice } from './components/StopNotice.js';
import { TaskRow } from './components/TaskRow.js';
import { fitLive } from './fit.js';
import { useExitWhenDone } from './hooks/useExitWhenDone.js';
import { useRun } from './hooks/useRun.js';
import { useStepKeys } from './hooks/useStepKeys.js';
import { useStopKey } from './hooks/useStopKey.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import type { RunStore } from './store.js';

export interface AppProps extends Partial<ViewOptions> {
  store: RunStore;
  /** Shown until the run starts. */
  playbook?: string;
  dryRun?: boolean;
}

/** Finished lines above (Static), the recap last; below, live and sized to the screen: running tasks, a question, stop notice, progress. */
export function App({ store, playbook, dryRun = false, showDiff = false, step = false, verbose = false, inventory }: AppProps) {
  const state = useRun(store);
  const { columns, rows } = useTerminalSize();
  useStepKeys(state.step, store.answer, store.printPlan);
  useStopKey(store.stop);
  useExitWhenDone(state);
  const view: ViewOptions = { showDiff, step, verbose, ...(inventory !== undefined ? { inventory } : {}) };
  const live = liveRows(state);
  const notice = state.interrupting && !state.end;
  const fit = fitLive({ rows, columns, live, question: state.step, notice });
  return (
    <>
      <Static items={state.log} style={{ width: columns }}>
        {(entry, i) => <LogLine key={i} entry={entry} view={view} columns={columns} />}
      </Static>
      <Box flexDirection="column" width={columns}>
        {!state.header && playbook !== undefined && (
          <Text dimColor wrap="truncate-end">
            starting {playbook}
            {dryRun ? ' (dry run)' : ''}…
          </Text>
        )}
        {live.map((row) => (
          <TaskRow key={row.id} row={row} columns={columns} maxChipLines={fit.chipLines} paused={state.step !== null} />
        ))}
        {state.step && <StepPrompt question={state.step} printed={state.stepPrinted} diffRows={fit.diffRows} columns={columns} />}
        {notice && <StopNotice aborted={state.aborted} />}
        {state.header && !state.end && <Progress {...state.progress} startedAt={state.startedAt} columns={columns} />}
      </Box>
    </>
  );
}
