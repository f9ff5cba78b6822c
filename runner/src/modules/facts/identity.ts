import type { ExecResult } from '../../transport/transport.js';
import { CheckFailed, type Fact } from '../lib/context.js';

/** Who a task's commands run as (the login user, or root through sudo): what new files get. */
export interface Identity {
  user: string;
  group: string;
  /** Four octal digits, e.g. "0022". */
  umask: string;
}

export const identity: Fact<Identity> = {
  name: 'identity',
  command: 'id -un && id -gn && umask',
  parse: parseIdentity,
};

export function parseIdentity(out: ExecResult): Identity {
  const [user, group, umask] = out.stdout.split('\n').map((l) => l.trim());
  if (out.code !== 0 || !user || !group || !/^[0-7]{1,4}$/.test(umask ?? '')) {
    throw new CheckFailed(`cannot tell which user the commands run as: ${out.stderr.trim() || `exit ${out.code}`}`, { cmd: identity.command, ...out });
  }
  return { user, group, umask: umask!.padStart(4, '0') };
}
