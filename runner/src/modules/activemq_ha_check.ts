import { defineModule } from './define.js';

export interface ActivemqHaCheckParams {
  brokers: string[];
  timeout: number;
}

export const activemqHaCheck = defineModule<ActivemqHaCheckParams>({
  name: 'activemq_ha_check',
  summary: 'Exactly one broker of a set is master; the others wait as slaves',
  docs: `Probes each broker's transport port from the host the task runs on. A shared-store master
listens; a slave waits for the store lock and listens on nothing. The check passes when exactly one
broker accepts connections, and waits up to \`timeout\` seconds for that. It changes nothing.

Two masters at once mean the store is not shared (or the lock is broken); none means no broker
holds the lock.`,
  probe: true,
  params: {
    brokers: { type: 'list', required: true, items: { type: 'hostport', description: 'host:port of a broker transport' }, description: 'the brokers, as host:port of one transport each' },
    timeout: { type: 'int', default: 60, description: 'seconds to wait for exactly one master' },
  },
  validate(p) {
    return p.brokers.length < 2 ? [{ param: 'brokers', message: 'list at least two brokers', code: 'bad-value' }] : [];
  },
  examples: `- name: One master, one slave
  activemq_ha_check:
    brokers: ["192.168.10.192:61616", "192.168.10.193:61616"]
    timeout: 60
`,
});
