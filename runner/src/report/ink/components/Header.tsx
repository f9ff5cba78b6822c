import { Box, Text } from 'ink';
import { isMany } from '../../many-hosts.js';
import type { Header as HeaderInfo } from '../../state.js';

export interface ViewOptions {
  /** Show whole diffs instead of folding long ones (--diff). */
  showDiff: boolean;
  /** --step: ask before each change. */
  step: boolean;
  /** --verbose: every command each task ran, with all it printed. */
  verbose: boolean;
  /** The inventory file, when the run_start event does not name one. */
  inventory?: string;
}

/** What runs where, and whether anything will be changed. */
export function Header({ header, view }: { header: HeaderInfo; view: ViewOptions }) {
  const inventory = header.inventory ?? view.inventory;
  const mode = header.dryRun ? 'dry run: checks only, nothing is changed' : 'apply: changes are made';
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        PLAYBOOK {header.playbook}
      </Text>
      {inventory !== undefined && <Text wrap="truncate-end">  inventory: {inventory}</Text>}
      {/* Many hosts: one line, cut at the width (--verbose: all of them). */}
      <Text wrap={isMany(header.hosts) && !view.verbose ? 'truncate-end' : 'wrap'}>
        {'  '}hosts ({header.hosts.length}): {header.hosts.join(', ')}
      </Text>
      <Text wrap="truncate-end">
        {'  '}mode: <Text color={header.dryRun ? 'cyan' : 'yellow'} bold>{mode}</Text>
        {view.step ? '; asking before each change (--step)' : ''}
      </Text>
    </Box>
  );
}
