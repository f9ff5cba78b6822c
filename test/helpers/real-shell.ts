import type { CheckContext } from '../../runner/src/modules/lib/context.js';
import { LocalTransport } from '../../runner/src/transport/local.js';

/** One shell for every test that uses this helper, ended when the tests end. */
let shared: LocalTransport | undefined;
after(() => shared?.close());

/** A check context whose commands really run on this machine (sh -c); files still come from the fake host. */
export function withRealShell(ctx: CheckContext): CheckContext & { ran: { cmd: string; stdin?: string }[] } {
  const local = (shared ??= new LocalTransport('local'));
  const ran: { cmd: string; stdin?: string }[] = [];
  return {
    ...ctx,
    ran,
    run: (cmd, opts) => {
      ran.push({ cmd, ...(opts?.stdin !== undefined ? { stdin: opts.stdin } : {}) });
      return local.exec(cmd, opts);
    },
  };
}
