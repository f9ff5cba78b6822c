import { parseMounts } from '../modules/facts/mounts.js';
import { probeCommand } from '../modules/lib/tcp-probe.js';
import { q } from '../transport/quote.js';
import type { Transport } from '../transport/transport.js';
import { brokerOfServer, type BrokerSpec, type ClusterSpec, type LbSpec } from './discover.js';
import { parseShowStat, servingServer, showStatCommand, type StatServer } from './haproxy-stat.js';
import { probeClients, type ClientProbe } from './lb-probe.js';
import { pushTo } from '../util/multimap.js';

export type Role = 'master' | 'slave' | 'down';

export interface BrokerStatus {
  host: string;
  role: Role;
  pid: number | null;
  /** null when the runbook mounts no store on the host, or it could not be read. */
  store_mounted: boolean | null;
  store?: string;
  address: string;
  port: number;
  /** Why it is down (or why it is a slave): in words. */
  reason?: string;
}

export interface ServerStatus {
  host: string;
  backend: string;
  server: string;
  state: string;
  backup: boolean;
  /** The server new clients of the backend go to (balance first: the first one up, backups last). */
  serving: boolean;
  /** The broker the server points at. */
  broker?: string;
}

export interface ClusterStatus {
  ok: boolean;
  master: string | null;
  brokers: BrokerStatus[];
  haproxy: ServerStatus[];
  clients: ClientProbe[];
  client_reaches_master: boolean;
  /** What keeps the cluster from being healthy, one line each. */
  problems: string[];
}

/** Runs a read-only command on a host. */
type Read = (t: Transport, command: string, become: boolean) => Promise<{ code: number; stdout: string; stderr: string }>;
const read: Read = (t, command, become) => t.exec(command, { sudo: become, readOnly: true, timeoutMs: 15_000 });

interface Running {
  pid: number | null;
  running: boolean | undefined;
  how: string;
}

/** The service's process, from its pidfile and command line (as the service module decides it). */
async function brokerProcess(b: BrokerSpec, t: Transport): Promise<Running> {
  const proc = b.service?.process as { pidfile: string; cmdline: string } | undefined;
  if (!proc) return { pid: null, running: undefined, how: 'the runbook names no process for its service' };
  const r = await read(t, `cat -- ${q(proc.pidfile)}`, b.become);
  const pid = /^\s*(\d+)\s*$/.exec(r.stdout)?.[1];
  if (r.code !== 0 || !pid) return { pid: null, running: false, how: r.code !== 0 ? `no ${proc.pidfile}` : `${proc.pidfile} holds no pid` };
  const line = (await read(t, `tr '\\0' ' ' < ${q(`/proc/${pid}/cmdline`)}`, b.become)).stdout.trim();
  if (!line) return { pid: null, running: false, how: `pid ${pid} from ${proc.pidfile} is not running` };
  if (!new RegExp(proc.cmdline).test(line)) return { pid: null, running: false, how: `pid ${pid} from ${proc.pidfile} is another program` };
  return { pid: Number(pid), running: true, how: `pid ${pid}` };
}

/** The store guard's last refusal in the broker's log, if its last lines hold one. */
async function guardRefusal(b: BrokerSpec, t: Transport): Promise<string | undefined> {
  if (!b.log) return undefined;
  const r = await read(t, `tail -n 50 -- ${q(b.log)}`, b.become);
  const hit = r.stdout.split('\n').filter((l) => l.includes('refusing to start')).at(-1);
  return hit?.replace(/^.*\|\s*ERROR\s*\|\s*/, '').trim();
}

export async function brokerStatus(b: BrokerSpec, t: Transport): Promise<BrokerStatus> {
  const base = { host: b.host, address: b.address, port: b.port, ...(b.store ? { store: b.store } : {}) };
  const [proc, probe, mounts] = await Promise.all([brokerProcess(b, t), read(t, probeCommand(b.address, b.port), b.become), read(t, 'cat /proc/mounts', b.become)]);
  const storeMounted = b.store === undefined || mounts.code !== 0 ? null : parseMounts(mounts).some((m) => m.path === b.store);
  const listens = probe.code === 0;
  const role: Role = listens ? 'master' : proc.running ? 'slave' : 'down';
  const out: BrokerStatus = { ...base, role, pid: proc.pid, store_mounted: storeMounted };
  if (role === 'slave') out.reason = `running (${proc.how}), not listening on ${b.port}: waiting for the store lock`;
  if (role === 'down') {
    const guard = await guardRefusal(b, t);
    if (guard && storeMounted === false) out.reason = `refused by its store guard: ${guard}`;
    else out.reason = `not running: ${proc.how}${storeMounted === false ? `; ${b.store} is not mounted, so its store guard refuses a start` : ''}`;
  }
  return out;
}

export async function lbServers(l: LbSpec, t: Transport): Promise<StatServer[]> {
  if (!l.statsSocket) throw new Error(`the haproxy task of ${l.host} sets no stats_socket: HAProxy's view cannot be read`);
  const r = await read(t, showStatCommand(l.statsSocket), l.become);
  const why = r.stderr.trim().replace(/^\S+ \S+ socat\[\d+\] E /, '');
  if (r.code !== 0) throw new Error(`cannot read HAProxy's stats socket ${l.statsSocket} on ${l.host}: ${why || `exit ${r.code}`}`);
  return parseShowStat(r.stdout);
}

/** Whether the cluster is healthy: one master, every HAProxy backend of brokers sends to it, clients reach it. */
export function judge(c: ClusterSpec, brokers: BrokerStatus[], haproxy: ServerStatus[], clients: ClientProbe[], problems: string[]): ClusterStatus {
  const masters = brokers.filter((b) => b.role === 'master');
  const master = masters.length === 1 ? masters[0].host : null;
  const out = [...problems];
  if (masters.length === 0) out.push('no broker is master');
  if (masters.length > 1) out.push(`${masters.length} masters: ${masters.map((b) => b.host).join(', ')} (the store is not shared, or its lock is broken)`);
  for (const lb of c.lbs) {
    for (const be of lb.backends) {
      if (!be.servers.some((s) => brokerOfServer(c, s))) continue;
      const rows = haproxy.filter((s) => s.host === lb.host && s.backend === be.name);
      if (!rows.length) continue;
      const serving = rows.find((s) => s.serving);
      if (!serving) out.push(`${lb.host}: backend ${be.name} has no server up`);
      else if (master && serving.broker !== master) out.push(`${lb.host}: backend ${be.name} sends clients to ${serving.server}, not to the master ${master}`);
    }
  }
  for (const cl of clients) if (!cl.reaches) out.push(`${cl.host}: a client through ${cl.frontend} (${cl.address}) reaches no broker: ${cl.error}`);
  const reaches = master !== null && clients.length > 0 && clients.every((cl) => cl.reaches) && !out.some((p) => p.includes('sends clients to') || p.includes('has no server up'));
  if (master && !clients.length) out.push('no HAProxy frontend sends to the brokers: no client path to check');
  return { ok: out.length === 0, master, brokers, haproxy, clients, client_reaches_master: reaches, problems: out };
}

/** Reads the whole cluster's state, through each host's transport (read-only commands only) and HAProxy's frontends. */
export async function clusterStatus(c: ClusterSpec, connect: (host: string) => Promise<Transport>): Promise<ClusterStatus> {
  const problems: string[] = [];
  const brokers = await Promise.all(
    c.brokers.map(async (b): Promise<BrokerStatus> => {
      try {
        return await brokerStatus(b, await connect(b.host));
      } catch (e) {
        return { host: b.host, address: b.address, port: b.port, role: 'down', pid: null, store_mounted: null, reason: `cannot read the host: ${(e as Error).message}` };
      }
    }),
  );
  const haproxy: ServerStatus[] = [];
  await Promise.all(
    c.lbs.map(async (l) => {
      try {
        const rows = await lbServers(l, await connect(l.host));
        const byBackend = new Map<string, StatServer[]>();
        for (const r of rows) pushTo(byBackend, r.backend, r);
        for (const list of byBackend.values()) {
          const serving = servingServer(list);
          const spec = l.backends.find((b) => b.name === list[0].backend);
          for (const r of list) {
            const s = spec?.servers.find((x) => x.name === r.server);
            const broker = s && brokerOfServer(c, s)?.host;
            haproxy.push({ host: l.host, ...r, serving: r === serving, ...(broker ? { broker } : {}) });
          }
        }
      } catch (e) {
        problems.push((e as Error).message);
      }
    }),
  );
  const clients = await probeClients(c);
  return judge(c, brokers, haproxy, clients, problems);
}
