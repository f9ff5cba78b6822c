import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { HAPROXY_DEFAULTS, HAPROXY_GLOBAL } from '../../runner/src/modules/haproxy.js';
import type { HaproxyConfig } from '../../runner/src/modules/text/haproxy-cfg.js';

export const HAPROXY = '/usr/sbin/haproxy';

/** Fails loudly when haproxy is missing: these tests check configurations with the real one. */
export function requireHaproxy(): void {
  if (!existsSync(HAPROXY)) throw new Error(`${HAPROXY} is missing: these tests need the real haproxy (apt-get install -y haproxy)`);
}

/** `haproxy -c -f FILE`: its exit code and what it printed. */
export function haproxyCheck(file: string): { code: number; out: string } {
  const r = spawnSync(HAPROXY, ['-c', '-f', file], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

export const BROKERS: HaproxyConfig['backends'][number] = {
  name: 'activemq_back',
  mode: 'tcp',
  balance: 'first',
  tcp_check: true,
  servers: [
    { name: 'broker1', address: '192.168.10.192:61616', check: true, inter: '3s', fall: 3, rise: 2, backup: false },
    { name: 'broker2', address: '192.168.10.193:61616', check: true, backup: true },
  ],
};

/** The format's example (RUNBOOK-FORMAT.md, haproxy). */
export const FORMAT_EXAMPLE: HaproxyConfig = {
  global: HAPROXY_GLOBAL,
  defaults: HAPROXY_DEFAULTS,
  frontends: [{ name: 'activemq_front', bind: '*:61616', mode: 'tcp', default_backend: 'activemq_back' }],
  backends: [BROKERS],
};

/** playbooks/ha.yaml's load balancer: brokers and the web console behind one HAProxy. */
export const HA_SETUP: HaproxyConfig = {
  global: HAPROXY_GLOBAL,
  defaults: HAPROXY_DEFAULTS,
  frontends: [
    { name: 'activemq_front', bind: '*:61616', mode: 'tcp', default_backend: 'activemq_back' },
    { name: 'console_front', bind: '*:8161', mode: 'http', default_backend: 'console_back' },
  ],
  backends: [
    BROKERS,
    {
      name: 'console_back',
      mode: 'http',
      balance: 'first',
      tcp_check: false,
      http_check: 'GET /admin/',
      servers: [
        { name: 'broker1', address: '192.168.10.192:8161', check: true, backup: false },
        { name: 'broker2', address: '192.168.10.193:8161', check: true, backup: true },
      ],
    },
  ],
};

