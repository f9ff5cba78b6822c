import { CheckFailed, type CheckContext } from './lib/context.js';
import { defineModule, type ParamProblem } from './lib/define.js';
import { readCurrent, writeChange } from './lib/file-target.js';
import { refusal } from './lib/candidate.js';
import { requireProgram } from './lib/program.js';
import { change, ok, type Plan } from './lib/plan.js';
import { describeCfgChanges, HaproxyValueError, renderHaproxyCfg, type HaproxyConfig } from './text/haproxy-cfg.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

/** The module's parameters are the renderer's input, plus where the file goes and how it is checked. */
export const HAPROXY_GLOBAL = ['log /dev/log local0', 'maxconn 4096', 'user haproxy', 'group haproxy', 'daemon'];
export const HAPROXY_DEFAULTS = [
  'log global',
  'mode tcp',
  'option tcplog',
  'timeout connect 2s',
  'timeout client 1h',
  'timeout server 1h',
  'retries 2',
  'option redispatch',
];

const mode = { type: 'string', choices: ['tcp', 'http'], default: 'tcp', description: 'tcp (brokers) or http (web console)' } as const;

/** haproxy's own complaint, without its pid prefixes and with `line N` for the candidate's lines. */
export function haproxyAlerts(stderr: string): string {
  const alerts = stderr
    .split('\n')
    .map((l) => /^\[ALERT\]\s*(?:\(\d+\)\s*)?:\s*(?:config\s*:\s*)?(.*)$/.exec(l.trim())?.[1])
    .filter((l): l is string => !!l && !/^(Error\(s\) found in configuration file|Fatal errors found in configuration)/.test(l))
    .map((l) => l.replace(/\[?\/dev\/stdin:(\d+)\]?( :)?/g, (_, n: string, colon?: string) => `line ${n}${colon ? ':' : ''}`).replace(/\/dev\/stdin/g, 'the new configuration'));
  return alerts.length ? alerts.join('; ') : stderr.trim() || 'no message';
}

const params = {
  config: { type: 'path', default: '/etc/haproxy/haproxy.cfg', description: 'the configuration file to write' },
  global: { type: 'list', items: { type: 'string', description: 'a line' }, default: HAPROXY_GLOBAL, description: 'lines of the global section' },
  defaults: { type: 'list', items: { type: 'string', description: 'a line' }, default: HAPROXY_DEFAULTS, description: 'lines of the defaults section' },
  stats_socket: { type: 'path', description: "HAProxy's stats socket (root only, read level): how `amq-run status` reads every backend server's state" },
  frontends: {
    type: 'list',
    default: [],
    uniqueBy: 'name',
    description: 'frontends: { name, bind, mode, default_backend }',
    items: {
      type: 'map',
      description: 'one frontend',
      fields: {
        name: { type: 'string', required: true, description: 'frontend name' },
        bind: { type: 'hostport', required: true, description: 'address:port to listen on, e.g. "*:61616"' },
        mode,
        default_backend: { type: 'string', required: true, description: 'the backend that gets the traffic' },
      },
    },
  },
  backends: {
    type: 'list',
    default: [],
    uniqueBy: 'name',
    description: 'backends: { name, mode, balance, tcp_check, servers }',
    items: {
      type: 'map',
      description: 'one backend',
      fields: {
        name: { type: 'string', required: true, description: 'backend name' },
        mode,
        balance: { type: 'string', choices: ['roundrobin', 'static-rr', 'leastconn', 'first', 'source'], default: 'roundrobin', description: 'load-balancing algorithm; first for master/slave' },
        tcp_check: { type: 'bool', default: false, description: 'option tcp-check: health check by TCP connect' },
        http_check: { type: 'string', description: 'option httpchk with this request, e.g. "GET /admin/"' },
        servers: {
          type: 'list',
          required: true,
          uniqueBy: 'name',
          description: 'the servers',
          items: {
            type: 'map',
            description: 'one server',
            fields: {
              name: { type: 'string', required: true, description: 'server name' },
              address: { type: 'hostport', required: true, description: 'host:port of the server' },
              check: { type: 'bool', default: true, description: 'health-check the server' },
              inter: { type: 'duration', description: 'time between checks, e.g. 3s' },
              fall: { type: 'int', description: 'failed checks before the server is down' },
              rise: { type: 'int', description: 'passed checks before the server is up' },
              backup: { type: 'bool', default: false, description: 'only used when no other server is up' },
            },
          },
        },
      },
    },
  },
  validate: { type: 'string', default: 'haproxy -c -f %s', description: 'command that checks the candidate file; %s is its path (/dev/stdin when checked before writing)' },
  reload: { type: 'string', description: 'command run after the file changed, e.g. systemctl reload haproxy' },
  backup: { type: 'bool', default: false, description: 'keep the old file before replacing it' },
} as const satisfies ParamSpecs;

export type HaproxyParams = ParamsOf<typeof params>;

async function check(ctx: CheckContext, p: HaproxyParams): Promise<Plan> {
  let after: string;
  try {
    after = renderHaproxyCfg(p);
  } catch (e) {
    if (e instanceof HaproxyValueError) throw new CheckFailed(e.message);
    throw e;
  }
  const cur = await readCurrent(ctx, p.config);
  const before = cur?.text ?? null;
  if (before === after) return ok(`${p.config} is up to date`);
  const write = await writeChange(ctx, p.config, cur, after, {}, { validate: p.validate, backup: p.backup, details: describeCfgChanges(before, after) });
  if (!write) return ok(`${p.config} is up to date`);
  const plan = change(`write ${p.config}`, write);
  // The candidate is checked now, so a dry-run already refuses what haproxy would refuse.
  const r = await refusal(ctx, p.validate, after, `the new ${p.config}`);
  if (r) throw new CheckFailed(`haproxy refuses the new ${p.config}: ${haproxyAlerts(r.stderr || r.stdout)}`, r);
  if (p.reload) await requireProgram(ctx, p.reload, `HAProxy cannot be reloaded`);
  if (p.reload) plan.changes.push({ kind: 'command', cmd: p.reload, why: `${p.config} changed`, declared: true });
  return plan;
}

export const haproxy = defineModule({
  name: 'haproxy',
  summary: 'haproxy.cfg from structured frontends and backends, checked before it is installed',
  docs: `Writes the whole \`haproxy.cfg\` from structured frontends and backends. The candidate file is
checked with \`haproxy -c -f\` before it replaces the old one; a failing check leaves the old
configuration running. The check already runs it on the candidate given on stdin, so a dry-run
shows what haproxy would refuse. \`reload\` runs only when the file changed. With \`stats_socket\`, HAProxy
opens its stats socket there (read-only level, root only); \`amq-run status\` reads each backend
server's state through it.

For a shared-store master/slave pair, balance \`first\` with the second broker as \`backup\`: HAProxy
sends every client to the master, and to the slave once it has taken over (a slave listens on
nothing, so its health check fails until then). The web console backend goes to port 8161, never to
a transport port such as 61616.`,
  params,
  listens: (p) =>
    p.frontends.map((f, i) => {
      const [, address, port] = /^(.*):(\d+)$/.exec(f.bind)!;
      return { port: Number(port), address: address.replace(/^\[(.*)\]$/, '$1'), protocol: f.mode, name: `frontend ${f.name}`, proxy: true, path: ['frontends', i, 'bind'], file: p.config };
    }),
  validate(p) {
    const out: ParamProblem[] = [];
    const backends = new Set(p.backends.map((b) => b.name));
    for (const [i, f] of p.frontends.entries()) {
      if (!backends.has(f.default_backend)) {
        out.push({ param: 'frontends', path: ['frontends', i, 'default_backend'], message: `frontend '${f.name}' sends to backend '${f.default_backend}', which is not defined`, hint: backends.size ? `backends: ${[...backends].join(', ')}` : 'add it under backends', code: 'undefined-backend' });
      }
    }
    if (!p.validate.includes('%s')) out.push({ param: 'validate', message: "validate must contain '%s' (the candidate file's path)", code: 'bad-value' });
    return out;
  },
  examples: `- name: HAProxy in front of the brokers
  haproxy:
    frontends:
      - { name: activemq_front, bind: "*:61616", mode: tcp, default_backend: activemq_back }
    backends:
      - name: activemq_back
        mode: tcp
        balance: first
        tcp_check: true
        servers:
          - { name: broker1, address: "192.168.10.192:61616", check: true, inter: 3s, fall: 3, rise: 2 }
          - { name: broker2, address: "192.168.10.193:61616", check: true, backup: true }
`,
  check,
});
