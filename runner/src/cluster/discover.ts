import type { Analysis } from '../runbook/analyze.js';
import { taskKey } from '../runbook/analyze.js';
import type { PlayModel, TaskModel } from '../runbook/model.js';
import { catalog } from '../modules/index.js';
import type { Listener } from '../modules/lib/define.js';

/** A broker as the runbook makes it: where it listens, how its service runs, where its store is mounted. */
export interface BrokerSpec {
  host: string;
  address: string;
  /** The port its first transport (openwire when it has one) listens on: a master listens, a slave does not. */
  port: number;
  /** Every transport port, by transport name (openwire, stomp, ...). */
  ports: Record<string, number>;
  become: boolean;
  /** The parameters of the task that keeps its service running (module service, state started). */
  service?: Record<string, unknown>;
  /** The mount point of the shared store on this host. */
  store?: string;
  /** The broker's console log ($ACTIVEMQ_OUT), where its store guard writes why it refused to start. */
  log?: string;
  /** The first user of its activemq_users task: how a client logs in. */
  login?: { user: string; password: string };
  /** The play that configures it (its variables). */
  play: PlayModel;
}

export interface LbFrontend {
  name: string;
  address: string;
  port: number;
  mode: string;
  backend: string;
}

export interface LbServer {
  name: string;
  address: string;
  port: number;
  backup: boolean;
}

export interface LbSpec {
  host: string;
  address: string;
  become: boolean;
  statsSocket?: string;
  frontends: LbFrontend[];
  backends: { name: string; mode: string; balance: string; servers: LbServer[] }[];
}

export interface ClusterSpec {
  brokers: BrokerSpec[];
  lbs: LbSpec[];
  /** The host exporting the shared store, and the exported path. */
  store?: { host: string; path: string };
}

interface Found {
  play: PlayModel;
  task: TaskModel;
  host: string;
  params: Record<string, unknown>;
}

/** Every task of a module that runs (its `when` is not false), with its parameters on each host. */
function tasksOf(a: Analysis, module: string): Found[] {
  const out: Found[] = [];
  for (const { play, hosts } of a.plays) {
    for (const task of play.tasks) {
      if (task.module !== module) continue;
      for (const host of hosts) {
        const key = taskKey(play, task, host);
        const params = a.params.get(key);
        if (params && a.whens.get(key) !== false) out.push({ play, task, host, params });
      }
    }
  }
  return out;
}

export function splitHostPort(hp: string): { host: string; port: number } {
  const i = hp.lastIndexOf(':');
  return { host: hp.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(hp.slice(i + 1)) };
}

const ANY = new Set(['', '*', '0.0.0.0', '::']);

/** The brokers, HAProxy hosts and shared store a runbook configures, read from its tasks' parameters. */
export function discoverCluster(a: Analysis): ClusterSpec {
  const brokerMod = catalog.get('activemq_broker');
  const services = tasksOf(a, 'service').filter((f) => f.params.state === 'started');
  const mounts = tasksOf(a, 'mount');
  const envs = tasksOf(a, 'activemq_env');
  const users = tasksOf(a, 'activemq_users');
  const brokers: BrokerSpec[] = [];
  for (const f of tasksOf(a, 'activemq_broker')) {
    if (brokers.some((b) => b.host === f.host)) continue;
    const listeners: Listener[] = (brokerMod?.listens?.(f.params as never) ?? []).filter((l) => l.name.startsWith('transport '));
    const ports: Record<string, number> = {};
    for (const l of listeners) ports[l.name.slice('transport '.length)] = l.port;
    const port = ports.openwire ?? listeners[0]?.port;
    if (port === undefined) continue;
    const samePlay = (x: Found) => x.host === f.host && x.play === f.play;
    const service = services.find(samePlay);
    const mount = mounts.find(samePlay);
    const env = envs.find(samePlay);
    const user = (users.find(samePlay)?.params.users as { name: string; password: string }[] | undefined)?.[0];
    brokers.push({
      play: f.play,
      ...(user ? { login: { user: user.name, password: user.password } } : {}),
      host: f.host,
      address: a.scopes.address(f.host, f.play),
      port,
      ports,
      become: f.task.become ?? f.play.become,
      ...(service ? { service: service.params } : {}),
      ...(mount && typeof mount.params.path === 'string' ? { store: mount.params.path } : {}),
      ...(env && typeof env.params.out === 'string' ? { log: env.params.out } : {}),
    });
  }
  const lbs: LbSpec[] = [];
  for (const f of tasksOf(a, 'haproxy')) {
    if (lbs.some((l) => l.host === f.host)) continue;
    const address = a.scopes.address(f.host, f.play);
    const p = f.params as { stats_socket?: string; frontends: { name: string; bind: string; mode: string; default_backend: string }[]; backends: { name: string; mode: string; balance: string; servers: { name: string; address: string; backup: boolean }[] }[] };
    lbs.push({
      host: f.host,
      address,
      become: f.task.become ?? f.play.become,
      ...(p.stats_socket ? { statsSocket: p.stats_socket } : {}),
      frontends: p.frontends.map((fe) => {
        const hp = splitHostPort(fe.bind);
        return { name: fe.name, address: ANY.has(hp.host) ? address : hp.host, port: hp.port, mode: fe.mode, backend: fe.default_backend };
      }),
      backends: p.backends.map((b) => ({ name: b.name, mode: b.mode, balance: b.balance, servers: b.servers.map((s) => ({ name: s.name, ...splitHostPort(s.address), backup: s.backup })).map(({ host, ...s }) => ({ ...s, address: host })) })),
    });
  }
  const exp = tasksOf(a, 'nfs_export')[0];
  return { brokers, lbs, ...(exp && typeof exp.params.path === 'string' ? { store: { host: exp.host, path: exp.params.path } } : {}) };
}

/** The broker a backend server sends to: same address and one of its transport ports, or the same name. */
export function brokerOfServer(c: ClusterSpec, s: LbServer): BrokerSpec | undefined {
  return c.brokers.find((b) => b.address === s.address && Object.values(b.ports).includes(s.port)) ?? c.brokers.find((b) => b.host === s.name);
}
