import { activemqBroker, type ActivemqBrokerParams } from '../activemq_broker.js';
import { activemqUsers, type ActivemqUsersParams } from '../activemq_users.js';
import type { HostTask, PlayRule, RunbookView } from '../lib/define.js';
import { authorizationGroups } from '../text/broker-security.js';
import { connectorTargets } from './network-connectors.js';
import { pushTo } from '../../util/multimap.js';

const running = <P>(tasks: readonly (readonly HostTask<P>[])[]) => tasks.flatMap((task) => task.filter((t) => t.runs));

/** Each host's users, from the activemq_users tasks that run on it. */
function usersByHost(view: RunbookView): Map<string, HostTask<ActivemqUsersParams>[]> {
  const out = new Map<string, HostTask<ActivemqUsersParams>[]>();
  for (const t of running(view.tasksOf(activemqUsers))) pushTo(out, t.host, t);
  return out;
}

/**
 * Whether clients log in, decided by activemq_broker's anonymous_access: warned when off, and when
 * users are declared for nothing; an authorization that names a group
 * without users; network connectors to a broker that asks for a login carry one of its users.
 */
export const brokerSecurity: PlayRule = {
  name: 'amq-broker-security',
  check(view, report) {
    const users = usersByHost(view);
    const brokers = running(view.tasksOf(activemqBroker));
    const authenticated = new Map<string, HostTask<ActivemqBrokerParams>>();
    for (const t of brokers) if (!t.params.anonymous_access) authenticated.set(t.host, t);
    const warnedTasks = new Set<string>();
    const declaredOn = new Map<string, ActivemqUsersParams['users']>();
    const declaredBy = (host: string) => {
      let d = declaredOn.get(host);
      if (!d) declaredOn.set(host, (d = (users.get(host) ?? []).flatMap((u) => u.params.users)));
      return d;
    };
    const groupsOn = new Map<string, Set<string>>();
    for (const t of brokers) {
      const own = users.get(t.host) ?? [];
      const declared = declaredBy(t.host);
      const key = `${t.play}|${t.task}`;
      if (t.params.anonymous_access) {
        if (warnedTasks.has(key)) continue;
        warnedTasks.add(key);
        report({
          at: t.at(['anonymous_access']),
          code: 'amq-anonymous-access',
          severity: 'warning',
          message: `anonymous_access: true: any client connects to ${t.host} without a login`,
          hint: 'leave anonymous_access out (false): clients then log in as the users of activemq_users',
        });
        if (declared.length) {
          report({
            at: own[0].at(['users']),
            code: 'amq-users-without-authentication',
            severity: 'warning',
            message: `users are declared for ${t.host}, but its broker asks no login (anonymous_access: true): nobody needs them`,
            hint: 'leave anonymous_access out of the activemq_broker task so the broker asks for these users',
          });
        }
        continue;
      }
      let groups = groupsOn.get(t.host);
      if (!groups) groupsOn.set(t.host, (groups = new Set(declared.flatMap((u) => u.groups))));
      (t.params.authorization ?? []).forEach((entry, i) => {
        for (const g of authorizationGroups([entry])) {
          if (groups.has(g)) continue;
          report({
            at: t.at(['authorization', i]),
            code: 'amq-authorization-group',
            message: `authorization names the group '${g}', to which no user of ${t.host} belongs`,
            hint: groups.size ? `the groups of its users: ${[...groups].sort().join(', ')}` : 'give a user of activemq_users this group',
          });
        }
        if (entry.queue === undefined && entry.topic === undefined) {
          report({ at: t.at(['authorization', i]), code: 'amq-authorization-group', message: 'an authorization entry names neither a queue nor a topic', hint: 'queue: ">" for every queue, topic: "prices.>" for a tree of topics' });
        }
      });
    }
    for (const t of brokers) {
      (t.params.network_connectors ?? []).forEach((c, ci) => {
        for (const target of connectorTargets(c.uri)) {
          const peer = view.hostAt(target.host);
          const peerBroker = peer && authenticated.get(peer);
          if (!peerBroker || peer === t.host) continue;
          if (c.user_name === undefined || c.password === undefined) {
            report({
              at: t.at(['network_connectors', ci]),
              code: 'amq-network-credentials',
              message: `network connector '${c.name}' of ${t.host} connects to ${peer}, which asks for a login, without ${c.user_name === undefined ? 'user_name' : 'password'}`,
              hint: 'give the connector user_name and password (from a secret) of a user of the peer broker',
            });
            continue;
          }
          const peerUsers = declaredBy(peer);
          if (peerUsers.length && !peerUsers.some((u) => u.name === c.user_name)) {
            report({
              at: t.at(['network_connectors', ci, 'user_name']),
              code: 'amq-network-credentials',
              message: `network connector '${c.name}' of ${t.host} logs in to ${peer} as '${c.user_name}', who is not a user of ${peer}`,
              hint: `the users of ${peer}: ${peerUsers.map((u) => u.name).sort().join(', ')}`,
            });
          }
        }
      });
    }
  },
};
