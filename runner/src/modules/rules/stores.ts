import { activemqBroker } from '../activemq_broker.js';
import { hostPath } from '../lib/cluster.js';
import type { RunbookView } from '../lib/define.js';
import { pushTo } from '../../util/multimap.js';

/** The brokers that share one store (master/slave): hosts of a broker task with the same data directory and no network connectors. */
export function sharedStores(view: RunbookView): string[][] {
  const stores = new Map<string, string[]>();
  for (const task of view.tasksOf(activemqBroker)) {
    for (const t of task) {
      if (!t.runs || (t.params.network_connectors ?? []).length) continue;
      const dir = hostPath(t.params.kahadb_directory ?? t.params.data_directory, t);
      if (dir === undefined) continue;
      const key = `${t.play}|${t.task}|${dir}`;
      pushTo(stores, key, t.host);
    }
  }
  return [...stores.values()].filter((hosts) => hosts.length > 1);
}

/** The hosts that run a broker in this runbook. */
export function brokerHosts(view: RunbookView): Set<string> {
  return new Set(view.tasksOf(activemqBroker).flatMap((task) => task.filter((t) => t.runs).map((t) => t.host)));
}
