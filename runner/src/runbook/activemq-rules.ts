import { parseTransportUri, STANDARD_TRANSPORTS, expandTransport, transportShape, type TransportParam } from '../modules/text/transports.js';
import type { Reporter, Span } from './diagnostics.js';
import type { PlayModel, TaskModel } from './model.js';
import type { RunbookDoc } from './parse.js';
import type { Scope } from './scope.js';
import { spanAtPath } from './resolve-params.js';

export interface ResolvedTask {
  play: PlayModel;
  task: TaskModel;
  host: string;
  params: Record<string, unknown>;
  vars: Scope;
}

/** A path as the host sees it, relative to the host's `root` variable (set when several hosts share one machine). */
function normalPath(p: unknown, t: ResolvedTask): string | undefined {
  if (typeof p !== 'string') return undefined;
  const root = t.vars.lookup('root');
  let out = p.replace(/\/+$/, '') || '/';
  if (root.found && typeof root.value === 'string' && root.value !== '' && root.value !== '/') {
    const r = root.value.replace(/\/+$/, '');
    if (out === r) out = '/';
    else if (out.startsWith(`${r}/`)) out = out.slice(r.length);
  }
  return out;
}

function groupByTask(tasks: ResolvedTask[], module: string): ResolvedTask[][] {
  const groups = new Map<string, ResolvedTask[]>();
  for (const t of tasks) {
    if (t.task.module !== module) continue;
    const key = `${t.play.index}|${t.task.handler ? 'h' : 't'}${t.task.index}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  return [...groups.values()];
}

function transportList(p: Record<string, unknown>): { name: string; uri: string }[] | undefined {
  const list = p.transports as TransportParam[] | undefined;
  if (!list) return undefined;
  return list.map((t) => expandTransport(t, String(p.bind), Number(p.max_connections), Number(p.max_frame_size)));
}

/** The same value on every host of the group, or a report at the first host that differs. */
function mustAgree(
  doc: RunbookDoc,
  group: ResolvedTask[],
  param: string,
  value: (t: ResolvedTask) => string | undefined,
  report: Reporter,
  code: string,
  what: string,
  hint: string,
): void {
  const first = group[0];
  const v0 = value(first);
  for (const t of group.slice(1)) {
    const v = value(t);
    if (v === v0) continue;
    report({
      span: spanAtPath(doc.yaml, t.task, [param]),
      code,
      message: `${what} ${what.startsWith('the ') ? 'differ' : 'differs'} between hosts: ${first.host} has ${v0 ?? '(not set)'}; ${t.host} has ${v ?? '(not set)'}`,
      hint,
    });
    return;
  }
}

export function checkActivemqRules(doc: RunbookDoc, tasks: ResolvedTask[], report: Reporter): void {
  for (const group of groupByTask(tasks, 'activemq_broker')) {
    if (group.length < 2) continue;
    const names = new Map<string, string>();
    for (const t of group) {
      const name = t.params.broker_name as string | undefined;
      if (name === undefined) {
        report({
          span: t.task.moduleKeySpan ?? t.task.span,
          code: 'amq-broker-name-unset',
          severity: 'warning',
          message: `broker_name is not set: ${group.map((g) => g.host).join(' and ')} keep the brokerName of their files`,
          hint: "Debian's activemq.xml says 'localhost' on every host; set broker_name: \"{{ broker_name }}\" from a host variable",
        });
        break;
      }
      const other = names.get(name);
      if (other !== undefined) {
        report({
          span: spanAtPath(doc.yaml, t.task, ['broker_name']),
          code: 'amq-broker-name-clash',
          message: `brokers ${other} and ${t.host} would both be named '${name}'`,
          hint: 'every broker needs its own brokerName: use a host variable such as {{ broker_name }}',
        });
        break;
      }
      names.set(name, t.host);
    }
    const network = group.some((t) => ((t.params.network_connectors as unknown[] | undefined) ?? []).length > 0);
    if (!network) {
      const hint = 'brokers sharing one store (master/slave) must point at the same shared directory';
      mustAgree(doc, group, 'data_directory', (t) => normalPath(t.params.data_directory, t), report, 'amq-store-mismatch', 'data_directory', hint);
      mustAgree(doc, group, 'kahadb_directory', (t) => normalPath(t.params.kahadb_directory, t), report, 'amq-store-mismatch', 'kahadb_directory', hint);
    }
    const hint = 'every broker of a cluster offers the same transports with the same limits, so clients can fail over';
    const ports = (t: ResolvedTask) =>
      transportList(t.params)
        ?.map((tr) => `${tr.name}:${parseTransportUri(tr.uri)?.port ?? '?'}`)
        .sort()
        .join(', ');
    mustAgree(doc, group, 'transports', ports, report, 'amq-transport-mismatch', 'the transports', hint);
    if (new Set(group.map(ports)).size === 1) {
      const shape = (t: ResolvedTask) => transportList(t.params)?.map(transportShape).sort().join(' ');
      const other = group.find((t) => shape(t) !== shape(group[0]));
      if (other) report({ span: spanAtPath(doc.yaml, other.task, ['transports']), code: 'amq-transport-mismatch', message: `the transport options (schemes, limits) differ between ${group[0].host} and ${other.host}`, hint });
    }
  }

  for (const group of groupByTask(tasks, 'activemq_users')) {
    type User = { name: string; password: string; groups: string[] };
    const users = (t: ResolvedTask) => ((t.params.users as User[]) ?? []).slice().sort((a, b) => a.name.localeCompare(b.name));
    const hint = 'every broker must have the same users and passwords, or clients fail after a failover';
    // Passwords are compared but never shown.
    const names = (t: ResolvedTask) => users(t).map((u) => (u.groups.length ? `${u.name} (${[...u.groups].sort().join(', ')})` : u.name)).join(', ') || 'no users';
    mustAgree(doc, group, 'users', names, report, 'amq-users-mismatch', 'the users', hint);
    const first = group[0];
    const other = group.find((t) => names(t) === names(first) && users(t).some((u, i) => u.password !== users(first)[i].password));
    if (other) {
      report({ span: spanAtPath(doc.yaml, other.task, ['users']), code: 'amq-users-mismatch', message: `the passwords differ between ${first.host} and ${other.host}`, hint });
    }
  }

  const transportPorts = new Set(Object.values(STANDARD_TRANSPORTS).map((s) => s.port));
  for (const t of tasks) {
    if (t.task.module !== 'activemq_broker') continue;
    for (const tr of transportList(t.params) ?? []) {
      const port = parseTransportUri(tr.uri)?.port;
      if (port) transportPorts.add(port);
    }
  }
  const consolePorts = new Set([8161]);
  for (const t of tasks) if (t.task.module === 'activemq_console') consolePorts.add(Number(t.params.port));

  for (const t of tasks) {
    if (t.task.module !== 'haproxy') continue;
    const frontends = (t.params.frontends as { bind: string; mode: string; default_backend: string }[]) ?? [];
    const backends = (t.params.backends as { name: string; mode: string; http_check?: string; servers: { address: string }[] }[]) ?? [];
    backends.forEach((b, bi) => {
      const fronts = frontends.filter((f) => f.default_backend === b.name);
      const console =
        b.mode === 'http' || b.http_check !== undefined || fronts.some((f) => f.mode === 'http' || consolePorts.has(portOf(f.bind)));
      if (!console) return;
      b.servers.forEach((s, si) => {
        const port = portOf(s.address);
        if (!transportPorts.has(port)) return;
        report({
          span: spanAtPath(doc.yaml, t.task, ['backends', bi, 'servers', si, 'address']),
          code: 'amq-console-on-transport',
          message: `web console backend '${b.name}' sends HTTP to ${s.address}, a broker transport port`,
          hint: `the console listens on ${[...consolePorts].join(', ')}; HTTP on ${port} fails (502/503) and the broker logs a frame-size warning per check`,
        });
      });
    });
  }
}

function portOf(hostport: string): number {
  const m = /:(\d+)$/.exec(hostport);
  return m ? Number(m[1]) : 0;
}
