import { Box, Text } from 'ink';
import type { LogEntry } from '../../state.js';
import { LOOKS } from '../look.js';
import { ExitLine } from './ExitLine.js';
import { Header, type ViewOptions } from './Header.js';
import { HostDetails } from './HostDetails.js';
import { PlanPrint } from './PlanPrint.js';
import { PlayTitle } from './PlayTitle.js';
import { Recap } from './Recap.js';
import { TaskRow } from './TaskRow.js';

/** One finished piece of the run, printed once above the live region. */
export function LogLine({ entry, view, columns }: { entry: LogEntry; view: ViewOptions; columns: number }) {
  switch (entry.kind) {
    case 'header':
      return <Header header={entry.header} view={view} />;
    case 'play':
      return <PlayTitle name={entry.name} hosts={entry.hosts} {...(entry.serial !== undefined ? { serial: entry.serial } : {})} />;
    case 'row':
      return (
        <Box flexDirection="column">
          <TaskRow row={entry.row} columns={columns} />
          <HostDetails row={entry.row} columns={columns} fullDiff={view.showDiff} verbose={view.verbose} />
        </Box>
      );
    case 'unreachable':
      return (
        <Text wrap="wrap" color={LOOKS.unreachable.color}>
          {LOOKS.unreachable.symbol} {entry.host} unreachable: {entry.message}
        </Text>
      );
    case 'interrupted':
      return (
        <Text wrap="wrap" color="yellow">
          interrupted: {entry.message}
        </Text>
      );
    case 'plan':
      return <PlanPrint question={entry.question} columns={columns} />;
    case 'recap':
      return (
        <Box flexDirection="column">
          <Recap recap={entry.end.recap} columns={columns} />
          <ExitLine code={entry.end.exitCode} ms={entry.end.ms} />
        </Box>
      );
  }
}
