import { activemqBroker } from '../activemq_broker.js';
import { activemqEnv } from '../activemq_env.js';
import type { PlayRule } from '../lib/define.js';
import { pushTo } from '../../util/multimap.js';

const trimmed = (p: string) => p.replace(/\/+$/, '') || '/';
const within = (dir: string, mount: string) => mount === '/' || dir === mount || dir.startsWith(`${mount}/`);

/** A store guard that watches another mount than the broker's store lets the broker start without it. */
export const storeGuard: PlayRule = {
  name: 'amq-store-guard-elsewhere',
  check(view, report) {
    const stores = new Map<string, { param: string; dir: string }[]>();
    for (const task of view.tasksOf(activemqBroker)) {
      for (const t of task) {
        for (const param of ['data_directory', 'kahadb_directory'] as const) {
          const dir = t.params[param];
          if (dir !== undefined) pushTo(stores, t.host, { param, dir: trimmed(dir) });
        }
      }
    }
    for (const task of view.tasksOf(activemqEnv)) {
      for (const t of task) {
        if (t.params.require_mount === undefined) continue;
        const mount = trimmed(t.params.require_mount);
        const outside = (stores.get(t.host) ?? []).find((s) => !s.dir.includes('${') && !within(s.dir, mount));
        if (!outside) continue;
        report({
          at: t.at(['require_mount']),
          code: 'amq-store-guard-elsewhere',
          message: `on ${t.host} the store guard watches ${mount}, but the broker's ${outside.param} is ${outside.dir}: the broker could start with it on the local disk`,
          hint: 'require_mount is the mount point of the shared store, the folder that holds data_directory and kahadb_directory',
        });
      }
    }
  },
};
