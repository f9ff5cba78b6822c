import { haproxy } from '../haproxy.js';
import type { PlayRule } from '../lib/define.js';
import { STANDARD_TRANSPORTS } from '../text/transports.js';

const CONSOLE_PORT = 8161;

function portOf(hostport: string): number {
  const m = /:(\d+)$/.exec(hostport);
  return m ? Number(m[1]) : 0;
}

/** An HAProxy backend for the web console must not send HTTP to a broker transport port. */
export const consoleBackend: PlayRule = {
  name: 'amq-console-on-transport',
  description: 'an HAProxy backend for the web console sends HTTP to the console port, never to a broker transport port',
  check(view, report) {
    const services = view.listeners().filter((l) => !l.listener.proxy);
    const transportPorts = new Set([...Object.values(STANDARD_TRANSPORTS).map((s) => s.port), ...services.filter((l) => l.listener.protocol === 'tcp').map((l) => l.listener.port)]);
    const consolePorts = new Set([CONSOLE_PORT, ...services.filter((l) => l.listener.protocol === 'http').map((l) => l.listener.port)]);
    for (const task of view.tasksOf(haproxy)) {
      for (const t of task) {
        t.params.backends.forEach((b, bi) => {
          const fronts = t.params.frontends.filter((f) => f.default_backend === b.name);
          const console = b.mode === 'http' || b.http_check !== undefined || fronts.some((f) => f.mode === 'http' || consolePorts.has(portOf(f.bind)));
          if (!console) return;
          b.servers.forEach((s, si) => {
            const port = portOf(s.address);
            if (!transportPorts.has(port)) return;
            report({
              at: t.at(['backends', bi, 'servers', si, 'address']),
              code: 'amq-console-on-transport',
              message: `web console backend '${b.name}' sends HTTP to ${s.address}, a broker transport port`,
              hint: `the console listens on ${[...consolePorts].join(', ')}; HTTP on ${port} fails (502/503) and the broker logs a frame-size warning per check`,
            });
          });
        });
      }
    }
  },
};
