import { CheckFailed, type CheckContext } from './lib/context.js';
import { defineModule } from './lib/define.js';
import { ok, type Plan } from './lib/plan.js';
import { probeTcp, type ProbeResult } from './lib/tcp-probe.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const POLL_MS = 1000;

/** `host:port`, `[v6]:port` → host and port. */
export function splitHostPort(hp: string): { host: string; port: number } {
  const i = hp.lastIndexOf(':');
  return { host: hp.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(hp.slice(i + 1)) };
}

interface Seen {
  open: string[];
  closed: string[];
  broken?: { broker: string; probe: ProbeResult };
}

async function look(ctx: CheckContext, brokers: readonly string[]): Promise<Seen> {
  const probes = await Promise.all(
    brokers.map((b) => {
      const { host, port } = splitHostPort(b);
      return probeTcp(ctx, host, port);
    }),
  );
  const broken = probes.findIndex((r) => r.state === 'error');
  return {
    open: brokers.filter((_, i) => probes[i].state === 'open'),
    closed: brokers.filter((_, i) => probes[i].state === 'closed'),
    ...(broken >= 0 ? { broken: { broker: brokers[broken], probe: probes[broken] } } : {}),
  };
}

function verdict(s: Seen): string {
  if (s.open.length === 1) return `master ${s.open[0]}; ${s.closed.length === 1 ? 'slave' : 'slaves'} ${s.closed.join(', ')}`;
  if (s.open.length === 0) return `no master: none of ${s.closed.join(', ')} accepts connections`;
  return `${s.open.length} masters: ${s.open.join(', ')} accept connections — the store is not shared or the lock is broken`;
}

const params = {
  brokers: { type: 'list', required: true, min: 2, items: { type: 'hostport', description: 'host:port of a broker transport' }, description: 'the brokers, as host:port of one transport each' },
  timeout: { type: 'int', default: 60, description: 'seconds to wait for exactly one master' },
} as const satisfies ParamSpecs;

export type ActivemqHaCheckParams = ParamsOf<typeof params>;

async function check(ctx: CheckContext, p: ActivemqHaCheckParams): Promise<Plan> {
  const start = Date.now();
  let seen = await look(ctx, p.brokers);
  if (ctx.dryRun) {
    const later = 'whether exactly one broker is master in time is known only when the run gets there';
    if (seen.broken) return ok(`cannot probe ${seen.broken.broker} now: ${seen.broken.probe.seen}`, later);
    return seen.open.length === 1 ? ok(`now: ${verdict(seen)}`) : ok(`now: ${verdict(seen)}; would wait up to ${p.timeout} s for exactly one master`, later);
  }
  // Time spent = probes + sleeps, so a context whose sleep returns at once still ends.
  let spent = Date.now() - start;
  const limit = p.timeout * 1000;
  for (;;) {
    if (seen.broken) {
      const { broker, probe } = seen.broken;
      throw new CheckFailed(`cannot probe ${broker}: ${probe.seen}`, probe);
    }
    if (seen.open.length === 1) return ok(spent >= POLL_MS ? `${verdict(seen)} (after ${Math.round(spent / 1000)} s)` : verdict(seen));
    if (spent >= limit || ctx.signal.aborted) {
      const when = ctx.signal.aborted ? 'stopped while waiting' : `after ${p.timeout} s`;
      const hint = seen.open.length === 0 ? '; no broker holds the store lock: are the brokers running, and do they reach the shared store?' : '';
      throw new CheckFailed(`${verdict(seen)} (${when})${hint}`);
    }
    const nap = Math.min(POLL_MS, limit - spent);
    await ctx.sleep(nap);
    const t = Date.now();
    seen = await look(ctx, p.brokers);
    spent += nap + (Date.now() - t);
  }
}

export const activemqHaCheck = defineModule({
  name: 'activemq_ha_check',
  summary: 'Exactly one broker of a set is master; the others wait as slaves',
  docs: `Probes each broker's transport port from the host the task runs on. A shared-store master
listens; a slave waits for the store lock and listens on nothing. The check passes when exactly one
broker accepts connections, and waits up to \`timeout\` seconds for that. It changes nothing.

Two masters at once mean the store is not shared (or the lock is broken); none means no broker
holds the lock.`,
  probe: true,
  params,
  examples: `- name: One master, one slave
  activemq_ha_check:
    brokers: ["192.168.10.192:61616", "192.168.10.193:61616"]
    timeout: 60
`,
  check,
});
