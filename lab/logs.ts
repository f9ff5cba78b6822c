import { readFileSync, statSync } from 'node:fs';
import { waitUntil } from './procs.js';

/** The size of a file now (0 when it does not exist): pass it to waitForLog to see only new lines. */
export function logSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** Waits until a line matching `re` appears in the file (after byte offset `from`); returns that line. */
export async function waitForLog(file: string, re: RegExp, timeoutMs: number, from = 0): Promise<string> {
  let found = '';
  const wait = waitUntil(
    () => {
      let text: string;
      try {
        text = readFileSync(file).subarray(from).toString('utf8');
      } catch {
        return false;
      }
      found = text.split('\n').find((l) => re.test(l)) ?? '';
      return found !== '';
    },
    timeoutMs,
    `${re} in ${file}`,
    100,
  );
  try {
    await wait;
  } catch (e) {
    throw new Error(`${(e as Error).message}; the file ends with:\n${tail(file)}`);
  }
  return found;
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-10).join('\n');
  } catch {
    return '(no such file)';
  }
}
