/**
 * Random runbooks from the catalog, and random starting states for them. Each task's parameters
 * come from its module's param specs (choices, booleans, modes, owners, paths) and its examples
 * (lists and mappings such as HAProxy's frontends); a few parameters have a domain of their own
 * (what a command does, a template's file). Every path is under the case's root, from a small
 * pool, so tasks meet on the same files. Runbooks the validator refuses are drawn again.
 */
import { parse as parseYaml } from 'yaml';
import { catalog } from '../../runner/src/modules/index.js';
import type { ParamSpec } from '../../runner/src/modules/lib/params.js';
import { typesOf } from '../../runner/src/modules/lib/params.js';
import { pick } from '../helpers/random.js';

export const HOSTS = ['h1', 'h2'] as const;

/** The modules the generator draws from: every module that can run here safely, on files under a root. */
export const MODULES = ['file', 'line', 'template', 'directory', 'command', 'nfs_export', 'mount', 'haproxy', 'activemq_broker', 'activemq_console', 'activemq_users', 'activemq_destinations', 'activemq_policies', 'activemq_env', 'link', 'service', 'wait_for'] as const;

/** Accounts that exist on Debian, and names that do not (Debian's nobody user has the group nogroup). */
const USERS = ['root', 'daemon', 'nobody', 'amq-diff-nouser'];
const GROUPS = ['root', 'daemon', 'nogroup', 'nobody', 'amq-diff-nogroup'];
const MODES = ['0644', '0600', '0640', '0755', '0750', '2775'];
const DIRS = ['a', 'b', 'a/sub'];
const FILES = ['a/x.conf', 'a/y.conf', 'b/x.conf', 'a/sub/z.conf', 'c/w.conf'];
export const CONTENTS = ['a=1\n', 'b=2\n', '', 'line one\nline two\n', 'A=1\nB=2\n'];
const STOCK_CONF = 'etc/activemq/instances-available/main';

export class Gen {
  constructor(readonly rand: () => number) {}
  chance(p: number): boolean {
    return this.rand() < p;
  }
  pick<T>(list: readonly T[]): T {
    return pick(this.rand, list);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
}

const file = (g: Gen) => `{{ root }}/${g.pick(FILES)}`;
const dir = (g: Gen) => `{{ root }}/${g.pick(DIRS)}`;

/** A command and its honest guards: what it makes or removes is what it says. */
function command(g: Gen): Record<string, unknown> {
  const target = file(g);
  switch (g.int(0, 6)) {
    case 0:
      return { cmd: 'true' };
    case 1:
      return { cmd: g.pick(['false', 'exit 3', 'echo some output; echo a complaint >&2; exit 2']) };
    case 2:
      return { cmd: `echo made > "${target}"`, creates: target };
    case 3:
      return { cmd: `rm -f "${target}"`, removes: target };
    case 4:
      return { cmd: 'echo ran', unless: g.pick([`test -e "${target}"`, 'true', 'false']) };
    case 5:
      return { cmd: 'test "$GREETING" = hello', env: { GREETING: g.pick(['hello', 'bye']) } };
    default:
      return { cmd: 'pwd', chdir: dir(g) };
  }
}

/**
 * Parameters given in every task of their module: those whose default is a file of this machine
 * (/etc/fstab, /etc/exports, haproxy.cfg), and the settings that keep a case quick and local.
 */
const ALWAYS: Record<string, readonly string[]> = {
  nfs_export: ['file'],
  mount: ['fstab', 'fstype', 'opts'],
  haproxy: ['config', 'validate'],
  service: ['manager', 'start', 'pidfile'],
  wait_for: ['host', 'state', 'timeout'],
};

/** Parameters whose values mean something a spec cannot say. */
const DOMAINS: Record<string, Record<string, (g: Gen) => unknown>> = {
  file: { path: file, content: (g) => g.pick(CONTENTS), src: (g) => g.pick(['files/text.txt', 'files/blob.bin']) },
  line: { path: file, line: (g) => g.pick(['A=1', 'B=2', 'key value']), match: (g) => g.pick(['^A=', '^B=', '^nothing$']), insert_after: (g) => g.pick(['^A=', '^zzz']) },
  template: { src: () => 'templates/host.tpl', dest: file, validate: (g) => g.pick(['grep -q host %s', 'grep -q nothing-like-this %s']) },
  directory: { path: dir },
  command: {},
  nfs_export: { path: () => '/srv/export', file, pseudo: () => '/export', reload: (g) => g.pick(['true', 'exportfs -ra', undefined]), export_id: (g) => g.int(1, 2) },
  mount: { path: (g) => `{{ root }}/${g.pick(['mnt', 'a/mnt'])}`, src: (g) => `{{ root }}/${g.pick(DIRS)}`, fstype: () => 'none', opts: () => 'bind', fstab: file, dump: () => undefined, pass: () => undefined },
  haproxy: {
    config: file,
    validate: () => 'haproxy -c -f %s',
    reload: (g) => g.pick(['true', undefined]),
    // A server address haproxy refuses, now and then.
    backends: (g) => (g.chance(0.15) ? [{ name: 'activemq_back', servers: [{ name: 'b1', address: '300.1.1.1:61616' }] }] : undefined),
  },
  activemq_broker: { conf: () => `{{ root }}/${STOCK_CONF}/activemq.xml`, broker_name: (g) => g.pick(['broker1', 'broker2', 'localhost']), data_directory: () => '/shared/activemq-data', kahadb_directory: () => '/shared/activemq-data/kahadb', transports: (g) => g.pick([['openwire'], ['openwire', 'stomp'], undefined]),
    authorization: (g) => g.pick([undefined, [], [{ queue: '>', read: ['admins'], write: ['admins'], admin: ['admins'] }]]),
    ssl_context: (g) => g.pick([undefined, { enabled: false }, { keystore: '{{ root }}/broker.ks', keystore_password: '{{ pw }}', truststore: '{{ root }}/broker.ts' }]),
  },
  activemq_console: { conf: () => `{{ root }}/${STOCK_CONF}/jetty.xml`, host: (g) => g.pick(['0.0.0.0', '127.0.0.1']), port: (g) => g.pick([8161, 8162]) },
  activemq_users: { conf_dir: (g) => g.pick([`{{ root }}/${STOCK_CONF}`, dir(g)]), users: (g) => g.pick([[], [{ name: 'admin', password: '{{ pw }}', groups: ['admins'] }]]), console_realm: (g) => g.pick([undefined, file(g)]) },
  activemq_destinations: { conf: () => `{{ root }}/${STOCK_CONF}/activemq.xml`, queues: (g) => g.pick([[], ['orders'], ['orders', 'audit']]), topics: (g) => g.pick([[], ['prices']]) },
  activemq_policies: { conf: () => `{{ root }}/${STOCK_CONF}/activemq.xml`, scheduler_directory: () => '{{ root }}/mnt/scheduler' },
  activemq_env: { file: (g) => g.pick([file(g), `{{ root }}/${STOCK_CONF}/options`]), seed: (g) => g.pick([file(g), '{{ root }}/usr/share/activemq/activemq-options']), out: () => '{{ root }}/var/log/main.out', require_mount: () => '{{ root }}/mnt' },
  link: { path: (g) => `{{ root }}/${g.pick(['a/ln', 'b/ln', 'a/x.conf', 'a'])}`, target: (g) => g.pick([dir(g), file(g)]) },
  service: {
    name: () => 'sleeper',
    manager: () => 'command',
    // A process that ends at once on SIGTERM, so a stop is quick; the mark names it for the clean-up.
    start: (g) => `sh -c 'sleep 600' {{ mark }}-${g.pick(['a', 'b'])}`,
    pidfile: () => '{{ root }}/run/sleeper.pid',
    log: () => undefined,
    chdir: () => undefined,
    stop: () => undefined,
    status: () => undefined,
    enabled: () => undefined,
  },
  wait_for: { host: () => '127.0.0.1', port: (g) => g.pick([1, 2]), state: (g) => g.pick(['closed', 'closed', 'open']), timeout: () => 1 },
};

/** The parameters of the first example task of a module. */
function exampleParams(module: string): Record<string, unknown> {
  const tasks = parseYaml(catalog.get(module)!.examples) as Record<string, unknown>[];
  const task = tasks.find((t) => module in t)!;
  const p = task[module];
  return p && typeof p === 'object' ? (p as Record<string, unknown>) : {};
}

function valueOf(g: Gen, module: string, name: string, spec: ParamSpec, example: Record<string, unknown>): unknown {
  const domain = DOMAINS[module]?.[name];
  if (domain) return domain(g);
  const types = typesOf(spec);
  if (spec.choices && types.includes('string')) return g.pick(spec.choices);
  if (types.includes('bool')) return g.chance(0.5);
  if (types.includes('mode')) return g.pick(MODES);
  if (name === 'owner') return g.pick(USERS);
  if (name === 'group') return g.pick(GROUPS);
  if (types.includes('path')) return file(g);
  return example[name];
}

/** One task's parameters: the required ones, and each other one half the time. */
export function paramsFor(g: Gen, module: string): Record<string, unknown> {
  if (module === 'command') return command(g);
  const mod = catalog.get(module)!;
  const example = exampleParams(module);
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(mod.params as Record<string, ParamSpec>)) {
    if (!spec.required && !ALWAYS[module]?.includes(name) && !g.chance(name in example ? 0.6 : 0.4)) continue;
    const v = valueOf(g, module, name, spec, example);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

export interface GeneratedTask {
  name: string;
  module: string;
  params: Record<string, unknown>;
  hosts: string[];
  notify?: string;
}

export interface GeneratedCase {
  tasks: GeneratedTask[];
  handler?: GeneratedTask;
}

/** 1 to 4 tasks, each on one host or both, now and then a handler notified by one of them. */
export function generateCase(g: Gen): GeneratedCase {
  const count = g.int(1, 4);
  const tasks: GeneratedTask[] = [];
  for (let i = 0; i < count; i++) {
    const module = g.pick(MODULES);
    tasks.push({ name: `t${i} ${module}`, module, params: paramsFor(g, module), hosts: g.pick([['h1'], ['h2'], ['h1', 'h2']]) });
  }
  if (!g.chance(0.3)) return { tasks };
  const module = g.pick(['command', 'file', 'directory'] as const);
  pick(g.rand, tasks).notify = 'the handler';
  return { tasks, handler: { name: 'the handler', module, params: paramsFor(g, module), hosts: [] } };
}

/** The runbook of a case: every host local, with its own root; each task a play of its hosts, so tasks may run on one host only. */
export function runbookText(c: GeneratedCase, inventory: string): string {
  const lines = ['name: differential', `inventory:\n${inventory}`, 'secrets:', '  pw: { env: AMQ_DIFF_PW }', 'plays:'];
  const json = (v: unknown) => JSON.stringify(v);
  for (const t of c.tasks) {
    lines.push(`  - name: ${json(`play of ${t.name}`)}`, `    hosts: ${json(t.hosts)}`, '    tasks:', `      - name: ${json(t.name)}`, `        ${t.module}: ${json(t.params)}`);
    if (t.notify && c.handler) {
      lines.push(`        notify: ${json(t.notify)}`, '    handlers:', `      - name: ${json(c.handler.name)}`, `        ${c.handler.module}: ${json(c.handler.params)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
