import { activemqBroker } from '../activemq_broker.js';
import type { PlayRule } from '../lib/define.js';
import { parseTransportUri } from '../text/transports.js';
import { describeServed, ownerOf, servedOn } from './addresses.js';

/** The brokers a network connector's URI names: `static:(tcp://a:61616,tcp://b:61616)`, `masterslave:(...)`, `tcp://a:61616`. */
export function connectorTargets(uri: string): { host: string; port: number }[] {
  const inner = /^[a-z]+:\((.*)\)(\?.*)?$/i.exec(uri.trim())?.[1] ?? uri;
  return inner.split(',').flatMap((u) => {
    const p = parseTransportUri(u.trim());
    return p && p.port ? [{ host: p.host.replace(/^\[(.*)\]$/, '$1'), port: p.port }] : [];
  });
}

/** A network of brokers: no connector to the broker itself, each to a port the peer serves, a duplex bridge declared once. */
export const networkConnectors: PlayRule = {
  name: 'amq-network-connector',
  check(view, report) {
    const links: { from: string; to: string; duplex: boolean }[] = [];
    for (const task of view.tasksOf(activemqBroker)) {
      for (const t of task) {
        if (!t.runs) continue;
        (t.params.network_connectors ?? []).forEach((c, ci) => {
          const at = t.at(['network_connectors', ci, 'uri']);
          for (const target of connectorTargets(c.uri)) {
            const peer = view.hostAt(target.host);
            if (!peer) continue;
            if (peer === t.host) {
              report({ at, code: 'amq-network-connector', message: `network connector '${c.name}' of ${t.host} points at ${t.host} itself`, hint: 'a connector links a broker to another one: name a peer, e.g. with for_each over groups.brokers | without(host.name)' });
              continue;
            }
            const served = servedOn(view, peer).filter((s) => s.listener.protocol === 'tcp');
            if (served.length && !ownerOf(served, target.port)) {
              report({ at, code: 'amq-network-connector', message: `network connector '${c.name}' of ${t.host} points at ${peer}:${target.port}, where ${peer} has no transport`, hint: `${peer} listens on ${describeServed(served)}` });
            }
            const back = links.find((l) => l.from === peer && l.to === t.host);
            if (back && (back.duplex || c.duplex)) {
              report({ at: t.at(['network_connectors', ci]), code: 'amq-network-connector', severity: 'warning', message: `${t.host} and ${peer} have connectors to each other and one is duplex: messages may cross the bridge twice`, hint: 'declare a duplex connector from one end only' });
            }
            links.push({ from: t.host, to: peer, duplex: c.duplex });
          }
        });
      }
    }
  },
};
