import type { Analysis } from '../runbook/analyze.js';
import type { Transport } from '../transport/transport.js';
import type { ClusterSpec, LbSpec } from './discover.js';
import type { DrillEvent, DrillResult, DrillStepName } from './drill-events.js';
import { frontendProtocol } from './lb-probe.js';
import { serviceStep } from './service-control.js';
import type { ClusterStatus } from './status.js';
import { sessionBroker, StompClient } from './stomp.js';

export interface DrillOptions {
  messages: number;
  dryRun: boolean;
  playbook: string;
  playbookDir: string;
  signal: AbortSignal;
  /** Asked once before anything is stopped; false ends the drill. */
  confirm?(question: string): Promise<boolean>;
}

export interface DrillIO {
  status(): Promise<ClusterStatus>;
  /** A host's transport, for the service's stop and start (not read-only). */
  connect(host: string): Promise<Transport>;
  emit(e: DrillEvent): void;
}

/** How long the new master may take to answer through HAProxy, and the old one to come back as slave. */
const TAKEOVER_LIMIT_MS = 120_000;
const SLAVE_LIMIT_MS = 120_000;
const POLL_MS = 100;
const CONNECT_MS = 1000;
/** A consumer that gets nothing for this long has all there is. */
const IDLE_MS = 3000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The HAProxy frontend a STOMP client goes through: the first that sends STOMP to the brokers. */
export function stompFrontend(c: ClusterSpec): { lb: LbSpec; address: string; port: number } | undefined {
  for (const lb of c.lbs) for (const fe of lb.frontends) if (fe.mode === 'tcp' && frontendProtocol(c, lb, fe.backend) === 'stomp') return { lb, address: fe.address, port: fe.port };
  return undefined;
}

/** Watches which broker a new STOMP client reaches through HAProxy, every POLL_MS, until stopped. */
function watchThroughLb(address: string, port: number, login: { user: string; password: string } | undefined) {
  const seen: { at: number; broker: string | undefined }[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const { client, connected } = await StompClient.open(address, port, CONNECT_MS, login);
        client.close();
        seen.push({ at: Date.now(), broker: sessionBroker(connected.headers.session) });
      } catch {
        seen.push({ at: Date.now(), broker: undefined });
      }
      await sleep(POLL_MS);
    }
  })();
  return {
    seen,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

/**
 * The failover drill: status first (an unhealthy cluster is refused), N persistent messages through
 * HAProxy, the master's service stopped as the runbook manages it, the takeover timed through
 * HAProxy, every message consumed and counted, the old master started again and confirmed as slave,
 * the status healthy at the end. Returns the exit code.
 */
export async function runDrill(a: Analysis, c: ClusterSpec, o: DrillOptions, io: DrillIO): Promise<number> {
  const t0 = Date.now();
  const step = (s: DrillStepName, message: string, count?: number, at = Date.now()) => io.emit({ type: 'drill_step', step: s, ms: at - t0, message, ...(count !== undefined ? { count } : {}) });
  const before = await io.status();
  if (!before.ok || !before.master) {
    io.emit({ type: 'drill_refused', message: 'the cluster is not healthy: the drill does not start', problems: before.problems });
    return 2;
  }
  const oldMaster = c.brokers.find((b) => b.host === before.master)!;
  const via = stompFrontend(c);
  if (!via) {
    io.emit({ type: 'drill_refused', message: 'no HAProxy frontend sends STOMP to the brokers: the drill sends its messages through one', problems: [] });
    return 2;
  }
  const queue = `amq-run.drill.${new Date(t0).toISOString().replace(/[-:.]/g, '').slice(0, 15)}`;
  io.emit({ type: 'drill_start', playbook: o.playbook, dry_run: o.dryRun, messages: o.messages, queue, master: oldMaster.host, via: `${via.lb.host} ${via.address}:${via.port}` });
  step('status', `healthy: ${oldMaster.host} is master`);
  const transport = await io.connect(oldMaster.host);
  const stop = await serviceStep(a, oldMaster, transport, 'stopped', { playbookDir: o.playbookDir, signal: o.signal, dryRun: true });
  if (o.dryRun) {
    io.emit({
      type: 'drill_plan',
      steps: [
        `send ${o.messages} persistent messages to queue ${queue} through ${via.lb.host} (${via.address}:${via.port}), each confirmed by a receipt`,
        `stop the master ${oldMaster.host}: ${stop.message}${stop.commands.length ? ` (${stop.commands.join('; ')})` : ''}`,
        `connect through ${via.lb.host} every ${POLL_MS} ms until a broker other than ${oldMaster.host} answers (up to ${TAKEOVER_LIMIT_MS / 1000} s)`,
        `consume every message of ${queue} through ${via.lb.host}; count the lost and the duplicated`,
        `start ${oldMaster.host} again (its service, as the runbook starts it) and wait until it waits as slave`,
        'read the status again: healthy means one master, HAProxy sending to it',
      ],
    });
    return 0;
  }
  if (o.confirm && !(await o.confirm(`stop ${oldMaster.host}, the master, for the drill (${stop.message})?`))) {
    io.emit({ type: 'drill_refused', message: 'not confirmed: nothing was stopped', problems: [] });
    return 0;
  }
  const login = oldMaster.login;
  const bodies = Array.from({ length: o.messages }, (_, i) => `${queue}#${i + 1}`);
  const sender = await StompClient.open(via.address, via.port, 10_000, login);
  const oldSession = sessionBroker(sender.connected.headers.session);
  step('sending', `sending ${o.messages} persistent messages to ${queue}`);
  try {
    await sender.client.send(queue, bodies, (n) => {
      if (n % 100 === 0 && n < o.messages) step('sending', `${n} sent`, n);
    });
  } finally {
    sender.client.close();
  }
  step('sent', `${o.messages} sent, each stored (receipt)`, o.messages);

  const watch = watchThroughLb(via.address, via.port, login);
  const stopAt = Date.now();
  step('stop_sent', `stopping ${oldMaster.host}: ${stop.message}`);
  let newAt: number | undefined;
  try {
    await stop.run();
    step('stopped', `${oldMaster.host} stopped`);
    const limit = Date.now() + TAKEOVER_LIMIT_MS;
    while (Date.now() < limit && !o.signal.aborted) {
      newAt = watch.seen.find((s) => s.at >= stopAt && s.broker !== undefined && s.broker !== oldSession)?.at;
      if (newAt !== undefined) break;
      await sleep(POLL_MS);
    }
  } finally {
    await watch.stop();
  }
  const lastOld = watch.seen.filter((s) => s.broker === oldSession).at(-1)?.at ?? stopAt;
  step('old_master_last_answer', `last answer from ${oldMaster.host} through HAProxy`, undefined, lastOld);
  let newMaster: string | null = null;
  if (newAt !== undefined) {
    newMaster = (await io.status()).master;
    step('new_master_first_answer', `first answer from the new master${newMaster ? ` ${newMaster}` : ''}: ${newAt - lastOld} ms after the old one's last`, undefined, newAt);
  }

  let got: string[] = [];
  if (newAt !== undefined) {
    step('receiving', `consuming ${queue} through HAProxy`);
    const consumer = await StompClient.open(via.address, via.port, 10_000, login);
    try {
      got = await consumer.client.consume(queue, IDLE_MS, {
        onMessage: (n) => {
          if (n % 100 === 0) step('receiving', `${n} received`, n);
        },
      });
    } finally {
      consumer.client.close();
    }
  }
  const unique = new Set(got);
  const lost = bodies.filter((b) => !unique.has(b)).length;
  step('received', `${got.length} received: ${lost} lost, ${got.length - unique.size} duplicated`, got.length);

  const start = await serviceStep(a, oldMaster, transport, 'started', { playbookDir: o.playbookDir, signal: o.signal, dryRun: false });
  step('old_master_start_sent', `starting ${oldMaster.host}: ${start.message}`);
  await start.run();
  let after = await io.status();
  const slaveBy = Date.now() + SLAVE_LIMIT_MS;
  const roleOf = (s: ClusterStatus) => s.brokers.find((b) => b.host === oldMaster.host)?.role ?? null;
  while (!(after.ok && roleOf(after) === 'slave') && Date.now() < slaveBy && !o.signal.aborted) {
    await sleep(1000);
    after = await io.status();
  }
  step('old_master_role', `${oldMaster.host} is ${roleOf(after)}`);
  step('status_after', after.ok ? `healthy: ${after.master} is master` : `not healthy: ${after.problems.join('; ')}`);
  const result: DrillResult = {
    type: 'drill_result',
    takeover_ms: newAt === undefined ? null : newAt - lastOld,
    sent: bodies.length,
    received: got.length,
    lost,
    duplicated: got.length - unique.size,
    old_master: oldMaster.host,
    new_master: newMaster,
    old_master_role_after: roleOf(after),
    stop_to_new_master_ms: newAt === undefined ? null : newAt - stopAt,
    healthy_after: after.ok,
    ok: false,
  };
  result.ok = result.lost === 0 && result.duplicated === 0 && result.healthy_after && result.old_master_role_after === 'slave' && newMaster !== null && newMaster !== oldMaster.host;
  io.emit(result);
  return result.ok ? 0 : 2;
}
