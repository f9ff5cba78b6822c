import { Box, Text } from 'ink';
import { diffRows, foldLines, type Fold } from '../fit.js';
import { linesOf } from '../text.js';

function colorOf(line: string): { color?: string; bold?: boolean } {
  if (line.startsWith('+++') || line.startsWith('---')) return { bold: true };
  if (line.startsWith('@@')) return { color: 'cyan' };
  if (line.startsWith('+')) return { color: 'green' };
  if (line.startsWith('-')) return { color: 'red' };
  return {};
}

/** A unified diff, coloured by line, long lines cut into rows beside the +/- column; folded to its head past `fold`. */
export function Diff({ text, width, fold, hint }: { text: string; width: number; fold: Fold | null; hint: string }) {
  const { shown, hidden } = foldLines(linesOf(text), width, fold);
  const contentWidth = Math.max(1, width - 1);
  return (
    <Box flexDirection="column">
      {shown.map((line, i) => (
        <Box key={i}>
          <Text {...colorOf(line)}>{line.slice(0, 1) || ' '}</Text>
          <Box flexDirection="column">
            {diffRows(line.slice(1) || ' ', contentWidth).map((row, j) => (
              <Text key={j} wrap="truncate-end" {...colorOf(line)}>
                {row}
              </Text>
            ))}
          </Box>
        </Box>
      ))}
      {hidden > 0 && (
        <Text dimColor wrap="wrap">
          … {hidden} more lines ({hint})
        </Text>
      )}
    </Box>
  );
}
