import { backup } from './lib/common.js';
import { readExisting, xmlFailure } from './lib/conf-file.js';
import type { CheckContext } from './lib/context.js';
import { defineModule } from './lib/define.js';
import { change, ok, type Plan } from './lib/plan.js';
import { editBrokerXml, type BrokerSettings } from './text/broker-xml.js';
import { expandTransport, STANDARD_TRANSPORTS, type TransportParam } from './text/transports.js';

export interface NetworkConnector {
  name: string;
  uri: string;
  duplex: boolean;
}

export interface ActivemqBrokerParams {
  conf: string;
  broker_name?: string;
  data_directory?: string;
  kahadb_directory?: string;
  lock_poll?: number;
  use_jmx?: boolean;
  scheduler_support?: boolean;
  management_connector?: { create: boolean; port?: number };
  transports?: TransportParam[];
  bind: string;
  max_connections: number;
  max_frame_size: number;
  network_connectors?: NetworkConnector[];
  backup: boolean;
}

function settings(p: ActivemqBrokerParams): BrokerSettings {
  return {
    brokerName: p.broker_name,
    dataDirectory: p.data_directory,
    useJmx: p.use_jmx,
    schedulerSupport: p.scheduler_support,
    managementConnector: p.management_connector,
    kahadbDirectory: p.kahadb_directory,
    lockPoll: p.lock_poll,
    transports: p.transports?.map((t) => expandTransport(t, p.bind, p.max_connections, p.max_frame_size)),
    networkConnectors: p.network_connectors,
  };
}

async function check(ctx: CheckContext, p: ActivemqBrokerParams): Promise<Plan> {
  const before = await readExisting(ctx, p.conf, "install ActiveMQ first, or point conf at the instance's activemq.xml (Debian: /etc/activemq/instances-available/main/activemq.xml)");
  let edit;
  try {
    edit = editBrokerXml(before, settings(p));
  } catch (e) {
    throw xmlFailure(p.conf, e);
  }
  if (edit.text === before) return ok(`${p.conf} already has these settings`);
  const what = edit.details.length === 1 ? edit.details[0] : `${edit.details.length} settings`;
  return change(`edit ${p.conf}: ${what}`, { kind: 'file', path: p.conf, before, after: edit.text, backup: p.backup, details: edit.details });
}

export const activemqBroker = defineModule<ActivemqBrokerParams>({
  name: 'activemq_broker',
  summary: 'activemq.xml edited in place: broker name, store, transports, network connectors',
  docs: `Edits an existing \`activemq.xml\` in place, XML-aware: only the elements and attributes named
by parameters change; comments, other beans and indentation stay byte for byte.

- \`broker_name\`, \`data_directory\`, \`use_jmx\`, \`scheduler_support\`: attributes of \`<broker>\`.
- \`kahadb_directory\`, \`lock_poll\`: the KahaDB store and its shared-file-locker's
  \`lockAcquireSleepInterval\` (ms): how often a slave tries to take the lock.
- \`transports\`: the whole \`<transportConnectors>\` list. A name (${Object.keys(STANDARD_TRANSPORTS).join(', ')})
  takes its standard scheme and port on \`bind\` with \`maximumConnections\` and
  \`wireFormat.maxFrameSize\`; \`{ name, uri }\` is written as given.
- \`network_connectors\`: the whole \`<networkConnectors>\` list (network of brokers).

Brokers sharing one store (master/slave) must agree on the data directory, the KahaDB
directory, the transports and the users, and have distinct broker names: validation checks
this across the hosts of a play. Parameters left out leave the file as it is.`,
  params: {
    conf: { type: 'path', required: true, description: 'the activemq.xml to edit' },
    broker_name: { type: 'string', description: 'brokerName: distinct on every broker' },
    data_directory: { type: 'path', description: 'dataDirectory of the broker (the shared store for master/slave)' },
    kahadb_directory: { type: 'path', description: 'directory of the KahaDB persistence adapter' },
    lock_poll: { type: 'int', description: "ms between a slave's attempts to take the store lock (lockAcquireSleepInterval)" },
    use_jmx: { type: 'bool', description: 'useJmx attribute of the broker' },
    scheduler_support: { type: 'bool', description: 'schedulerSupport attribute of the broker' },
    management_connector: {
      type: 'map',
      description: 'the JMX connector of the managementContext',
      fields: {
        create: { type: 'bool', default: true, description: 'createConnector' },
        port: { type: 'port', description: 'connectorPort (1099 by default in ActiveMQ)' },
      },
    },
    transports: {
      type: 'list',
      description: 'the transport connectors: standard names or { name, uri }',
      items: {
        type: ['string', 'map'],
        choices: Object.keys(STANDARD_TRANSPORTS),
        description: 'a standard transport name, or { name, uri }',
        fields: {
          name: { type: 'string', required: true, description: 'connector name' },
          uri: { type: 'string', required: true, description: 'connector URI, e.g. tcp://0.0.0.0:61616' },
        },
      },
    },
    bind: { type: 'string', default: '0.0.0.0', description: 'address the standard transports listen on' },
    max_connections: { type: 'int', default: 1000, description: 'maximumConnections of the standard transports' },
    max_frame_size: { type: 'int', default: 104857600, description: 'wireFormat.maxFrameSize of the standard transports (bytes)' },
    network_connectors: {
      type: 'list',
      description: 'network connectors to other brokers (network of brokers)',
      items: {
        type: 'map',
        description: 'one network connector',
        fields: {
          name: { type: 'string', required: true, description: 'connector name' },
          uri: { type: 'string', required: true, description: 'e.g. static:(tcp://broker2:61616)' },
          duplex: { type: 'bool', default: false, description: 'messages flow both ways over one connection' },
        },
      },
    },
    backup,
  },
  validate(p) {
    const out = [];
    if (p.lock_poll !== undefined && p.lock_poll <= 0) out.push({ param: 'lock_poll', message: 'lock_poll must be a positive number of milliseconds', code: 'bad-value' });
    if (p.max_connections <= 0) out.push({ param: 'max_connections', message: 'max_connections must be positive', code: 'bad-value' });
    if (p.max_frame_size <= 0) out.push({ param: 'max_frame_size', message: 'max_frame_size must be positive', code: 'bad-value' });
    const names = new Set<string>();
    for (const t of p.transports ?? []) {
      const name = typeof t === 'string' ? t : t.name;
      if (names.has(name)) out.push({ param: 'transports', message: `transport '${name}' is listed twice`, code: 'duplicate-transport' });
      names.add(name);
    }
    return out;
  },
  examples: `- name: Configure the broker
  activemq_broker:
    conf: /etc/activemq/instances-available/main/activemq.xml
    broker_name: broker1
    data_directory: /shared/activemq-data
    kahadb_directory: /shared/activemq-data/kahadb
    transports: [openwire, amqp, stomp, mqtt, ws]
`,
  check,
});
