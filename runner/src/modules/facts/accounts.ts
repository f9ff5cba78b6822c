import type { ExecResult } from '../../transport/transport.js';
import { cmd } from '../../transport/quote.js';
import type { Fact } from '../lib/context.js';

export type AccountKind = 'user' | 'group';

/** The name of a numeric user or group id, as `stat` shows it; null when no account has that id. */
export function accountName(kind: AccountKind, id: string): Fact<string | null> {
  return {
    name: `account_name:${kind}:${id}`,
    command: cmd('getent', kind === 'user' ? 'passwd' : 'group', id),
    parse: parseAccountName,
  };
}

export function parseAccountName(out: ExecResult): string | null {
  if (out.code !== 0) return null;
  const name = out.stdout.split('\n')[0].split(':')[0];
  return name === '' ? null : name;
}
