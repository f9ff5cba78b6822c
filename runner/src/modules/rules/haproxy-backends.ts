import { haproxy } from '../haproxy.js';
import type { PlayRule } from '../lib/define.js';
import { STANDARD_TRANSPORTS } from '../text/transports.js';
import { describeServed, hostPort, ownerOf, servedOn } from './addresses.js';
import { brokerHosts, sharedStores } from './stores.js';

const TRANSPORT_PORTS = new Set(Object.values(STANDARD_TRANSPORTS).map((s) => s.port));

/**
 * Each HAProxy server points at a broker host, on a port that broker serves in the backend's mode
 * (tcp: a transport, http: the web console); a master/slave backend lists every broker of the store.
 */
export const haproxyBackends: PlayRule = {
  name: 'haproxy-backend',
  check(view, report) {
    const brokers = brokerHosts(view);
    const stores = sharedStores(view);
    for (const task of view.tasksOf(haproxy)) {
      for (const t of task) {
        if (!t.runs) continue;
        t.params.backends.forEach((b, bi) => {
          const http = b.mode === 'http' || b.http_check !== undefined;
          const targets: string[] = [];
          b.servers.forEach((s, si) => {
            const at = t.at(['backends', bi, 'servers', si, 'address']);
            const hp = hostPort(s.address);
            const target = hp && view.hostAt(hp.host);
            if (!hp || !target) return;
            targets.push(target);
            const served = servedOn(view, target);
            if (brokers.size && !brokers.has(target)) {
              report({ at, code: 'haproxy-backend', message: `server '${s.name}' of backend '${b.name}' points at ${target}, which runs no broker`, hint: `the brokers: ${[...brokers].join(', ')}` });
              return;
            }
            if (!served.length) {
              if (http && TRANSPORT_PORTS.has(hp.port)) {
                report({ at, code: 'amq-console-on-transport', message: `web console backend '${b.name}' sends HTTP to ${s.address}, a broker transport port`, hint: `the web console listens on 8161; HTTP on ${hp.port} fails (502/503) and the broker logs a frame-size warning per check` });
              }
              return;
            }
            const owner = ownerOf(served, hp.port);
            if (!owner) {
              report({ at, code: 'haproxy-backend', message: `server '${s.name}' of backend '${b.name}' points at ${target}:${hp.port}, where nothing of this runbook listens`, hint: `${target} listens on ${describeServed(served)}` });
            } else if (http && owner.listener.protocol !== 'http') {
              const consoles = served.filter((x) => x.listener.protocol === 'http' && ownerOf(served, x.listener.port, x.listener.address) === x);
              report({ at, code: 'amq-console-on-transport', message: `web console backend '${b.name}' sends HTTP to ${target}:${hp.port}, where ${owner.listener.name} listens`, hint: consoles.length ? `the web console of ${target} listens on ${consoles.map((x) => x.listener.port).join(', ')}` : `no web console of this runbook listens on ${target}; it belongs on its own port (8161)` });
            } else if (!http && owner.listener.protocol === 'http') {
              report({ at, code: 'haproxy-backend', message: `tcp backend '${b.name}' sends to ${target}:${hp.port}, the ${owner.listener.name} (HTTP)`, hint: 'set mode: http for a web console backend, or point it at a broker transport' });
            }
          });
          const store = stores.find((hosts) => targets.length > 0 && targets.every((x) => hosts.includes(x)));
          if (!store) return;
          const left = store.filter((h) => !targets.includes(h));
          const servers = t.at(['backends', bi, 'servers']);
          if (left.length) {
            report({ at: servers, code: 'haproxy-ha-backend', severity: 'warning', message: `backend '${b.name}' leaves out ${left.join(' and ')}, which ${left.length === 1 ? 'shares' : 'share'} the store with ${[...new Set(targets)].join(' and ')}`, hint: 'after a failover the new master may be a broker HAProxy does not know: list every broker of the store' });
          }
          b.servers.forEach((s, si) => {
            if (si > 0 && !s.backup) report({ at: t.at(['backends', bi, 'servers', si]), code: 'haproxy-ha-backend', severity: 'warning', message: `server '${s.name}' of backend '${b.name}' is not a backup, though only one broker of a shared store serves at a time`, hint: 'list the first broker as primary and the others with backup: true' });
          });
        });
      }
    }
  },
};
