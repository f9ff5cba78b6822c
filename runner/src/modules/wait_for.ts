import { CheckFailed } from './lib/context.js';
import { defineModule } from './lib/define.js';
import { ok } from './lib/plan.js';
import { probeTcp } from './lib/tcp-probe.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

/** The address probed when no host is given: the host itself, over loopback. */
export const DEFAULT_PROBE_HOST = '127.0.0.1';
const POLL_MS = 1000;

const params = {
  host: { type: 'string', description: 'the address to probe, from the host itself (default 127.0.0.1)' },
  port: { type: 'port', required: true, description: 'the TCP port' },
  state: { type: 'string', choices: ['open', 'closed'], default: 'open', description: 'wait for the port to accept or to refuse connections' },
  timeout: { type: 'int', default: 60, description: 'seconds to wait at most' },
} as const satisfies ParamSpecs;

export type WaitForParams = ParamsOf<typeof params>;

export const waitFor = defineModule({
  name: 'wait_for',
  summary: 'Wait until a TCP port is open (or closed)',
  docs: `Polls a TCP port from the host the task runs on until it accepts connections (\`open\`) or
refuses them (\`closed\`), for at most \`timeout\` seconds, once a second. It changes nothing.

\`host\` defaults to 127.0.0.1, the host itself over loopback. A service bound to one address
only (not 0.0.0.0) is probed there: \`host: "{{ bind_address }}"\`. The probe is bash's
\`/dev/tcp\` (or \`nc -z\` without bash), so it needs nothing installed on the host.

In a dry-run it probes once and reports what it found without waiting, since the changes it
would wait for were not made.`,
  probe: true,
  params,
  examples: `- name: Wait for OpenWire
  wait_for: { port: 61616, timeout: 60 }
`,
  async check(ctx, p) {
    const host = p.host ?? DEFAULT_PROBE_HOST;
    const where = `${host}:${p.port}`;
    const goal = p.state === 'open' ? 'open' : 'closed';
    const start = Date.now();
    let probe = await probeTcp(ctx, host, p.port);
    if (ctx.dryRun) {
      if (probe.state === goal) return ok(`${where} is ${goal}`);
      const now = probe.state === 'error' ? `cannot probe now: ${probe.seen}` : `${probe.state} now`;
      return ok(`would wait up to ${p.timeout} s for ${where} to be ${goal} (${now})`, `whether ${where} is ${goal} in time is known only when the run gets there`);
    }
    // Time spent = probes + sleeps, so a context whose sleep returns at once still ends.
    let spent = Date.now() - start;
    const limit = p.timeout * 1000;
    for (;;) {
      if (probe.state === 'error') throw new CheckFailed(`cannot probe ${where}: ${probe.seen}`, probe);
      if (probe.state === goal) return ok(spent >= POLL_MS ? `${where} is ${goal} (after ${Math.round(spent / 1000)} s)` : `${where} is ${goal}`);
      if (spent >= limit || ctx.signal.aborted) {
        const why = ctx.signal.aborted ? 'stopped while waiting' : `not ${goal} after ${p.timeout} s`;
        throw new CheckFailed(`${where} ${why}; last probe: ${probe.seen}`, probe);
      }
      const nap = Math.min(POLL_MS, limit - spent);
      await ctx.sleep(nap);
      const t = Date.now();
      probe = await probeTcp(ctx, host, p.port);
      spent += nap + (Date.now() - t);
    }
  },
});

