import { backup, group, mode, owner } from './lib/common.js';
import { editSummary, INSTALL_FIRST, planXmlEdit } from './lib/conf-file.js';
import type { CheckContext } from './lib/context.js';
import { defineModule, type ClusterProblem, type ParamProblem } from './lib/define.js';
import type { Plan } from './lib/plan.js';
import { editBrokerXml, type BrokerSettings } from './text/broker-xml.js';
import type { SslContext } from './text/broker-security.js';
import { expandTransport, isTls, parseTransportUri, STANDARD_TRANSPORTS, transportShape, type Transport } from './text/transports.js';
import type { HostTask, Listener } from './lib/define.js';
import { hostPath, mustAgree } from './lib/cluster.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  conf: { type: 'path', required: true, description: 'the activemq.xml to edit' },
  broker_name: { type: 'string', description: 'brokerName: distinct on every broker' },
  data_directory: { type: 'path', description: 'dataDirectory of the broker (the shared store for master/slave)' },
  kahadb_directory: { type: 'path', description: 'directory of the KahaDB persistence adapter' },
  lock_poll: { type: 'int', min: 1, description: "ms between a slave's attempts to take the store lock (lockAcquireSleepInterval)" },
  use_jmx: { type: 'bool', description: 'useJmx attribute of the broker' },
  scheduler_support: { type: 'bool', description: 'schedulerSupport attribute of the broker' },
  management_connector: {
    type: 'map',
    scalarField: 'create',
    description: 'the JMX connector of the managementContext; false alone: no connector',
    fields: {
      create: { type: 'bool', default: true, description: 'createConnector' },
      port: { type: 'port', description: 'connectorPort (1099 by default in ActiveMQ)' },
    },
  },
  transports: {
    type: 'list',
    description: 'the transport connectors: standard names or { name, uri }',
    uniqueBy: 'name',
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
  max_connections: { type: 'int', default: 1000, min: 1, description: 'maximumConnections of the standard transports' },
  max_frame_size: { type: 'int', default: 104857600, min: 1, description: 'wireFormat.maxFrameSize of the standard transports (bytes)' },
  network_connectors: {
    type: 'list',
    description: 'network connectors to other brokers (network of brokers)',
    uniqueBy: 'name',
    items: {
      type: 'map',
      description: 'one network connector',
      fields: {
        name: { type: 'string', required: true, description: 'connector name' },
        uri: { type: 'string', required: true, description: 'e.g. static:(tcp://broker2:61616)' },
        duplex: { type: 'bool', default: false, description: 'messages flow both ways over one connection' },
        user_name: { type: 'string', description: 'the user the connector logs in as on the peer (userName), needed when the peer asks for a login' },
        password: { type: 'string', secret: true, description: "that user's password, from a secret" },
      },
    },
  },
  ssl_context: {
    type: 'map',
    description: "the broker's sslContext: the key and trust stores its TLS transports use (activemq_keystore makes them)",
    fields: {
      enabled: { type: 'bool', default: true, description: 'false: no sslContext (removed), for a broker without TLS transports' },
      keystore: { type: 'path', description: 'the PKCS12 key store: the key pair the broker presents' },
      keystore_password: { type: 'string', secret: true, description: 'its password, from a secret' },
      truststore: { type: 'path', description: 'the PKCS12 trust store: the certificates of peers the broker trusts' },
      truststore_password: { type: 'string', secret: true, description: 'its password, from a secret (default: keystore_password)' },
    },
  },
  anonymous_access: {
    type: 'bool',
    default: false,
    description: 'false: every client logs in (JAAS, the users of activemq_users); true: no login is asked (a warning)',
  },
  authorization: {
    type: 'list',
    onlyWhen: { anonymous_access: false },
    description: 'who may do what, by destination pattern; the advisory topics are granted to every group named. [] removes the map',
    items: {
      type: 'map',
      description: 'one entry: a queue or topic pattern and the groups that may read, write and administer (create) it',
      fields: {
        queue: { type: 'string', description: 'queue pattern: a name, orders.> (a tree) or > (every queue)' },
        topic: { type: 'string', description: 'topic pattern' },
        read: { type: 'list', items: { type: 'string', description: 'a group' }, default: [], description: 'groups that may consume' },
        write: { type: 'list', items: { type: 'string', description: 'a group' }, default: [], description: 'groups that may send' },
        admin: { type: 'list', items: { type: 'string', description: 'a group' }, default: [], description: 'groups that may create the destination' },
      },
    },
  },
  backup,
  owner: { ...owner, description: 'user that owns activemq.xml (name or uid); left as it is when not given' },
  group: { ...group, description: "activemq.xml's group: the broker's group when the file holds a password, so the broker reads it" },
  mode: { ...mode, description: 'permissions of activemq.xml, e.g. "0640" when it holds a password (TLS store or network connector passwords)' },
} as const satisfies ParamSpecs;

export type ActivemqBrokerParams = ParamsOf<typeof params>;

function settings(p: ActivemqBrokerParams): BrokerSettings {
  return {
    brokerName: p.broker_name,
    dataDirectory: p.data_directory,
    useJmx: p.use_jmx,
    schedulerSupport: p.scheduler_support,
    managementConnector: p.management_connector,
    kahadbDirectory: p.kahadb_directory,
    lockPoll: p.lock_poll,
    transports: brokerTransports(p),
    networkConnectors: p.network_connectors?.map((n) => ({ name: n.name, uri: n.uri, duplex: n.duplex, userName: n.user_name, password: n.password })),
    security: { anonymous: p.anonymous_access, authorization: p.authorization },
    sslContext: sslContext(p),
  };
}

function sslContext(p: ActivemqBrokerParams): SslContext | null | undefined {
  const c = p.ssl_context;
  if (!c) return undefined;
  if (!c.enabled || c.keystore === undefined || c.keystore_password === undefined) return null;
  return { keyStore: c.keystore, keyStorePassword: c.keystore_password, trustStore: c.truststore, trustStorePassword: c.truststore_password };
}

/** The transport connectors the broker gets: standard names expanded on `bind` with the limits. */
export function brokerTransports(p: ActivemqBrokerParams): Transport[] | undefined {
  return p.transports?.map((t) => expandTransport(t, p.bind, p.max_connections, p.max_frame_size));
}

/** ActiveMQ's JMX connector port when the management context creates one and names no port. */
const JMX_PORT = 1099;

function listens(p: ActivemqBrokerParams): Listener[] {
  const out: Listener[] = (brokerTransports(p) ?? []).flatMap((t, i) => {
    const u = parseTransportUri(t.uri);
    return u?.port ? [{ port: u.port, address: u.host.replace(/^\[(.*)\]$/, '$1'), protocol: 'tcp' as const, name: `transport ${t.name}`, path: ['transports', i], file: p.conf }] : [];
  });
  const m = p.management_connector;
  if (m?.create && p.use_jmx !== false) out.push({ port: m.port ?? JMX_PORT, protocol: 'tcp', name: 'JMX connector', path: ['management_connector'], file: p.conf });
  return out;
}

/** Brokers of one task: distinct names; sharing a store, the same store; the same transports. */
function cluster(group: readonly HostTask<ActivemqBrokerParams>[], report: (p: ClusterProblem) => void): void {
  const open = group.find((t) => t.runs && holdsPassword(t.params) && !keptFromOthers(t.params.mode));
  if (open) {
    report({
      at: open.at(open.params.mode !== undefined ? ['mode'] : []),
      code: 'amq-secret-readable',
      severity: 'warning',
      message: `activemq.xml holds a password (${holdsPassword(open.params)}) that every user of ${open.host} may read: ${open.params.mode === undefined ? "no mode is given, and Debian's is 0644" : `mode ${open.params.mode}`}`,
      hint: `give the task group: activemq (the broker's group) and mode: "0640"`,
    });
  }
  if (group.length < 2) return;
  const names = new Map<string, string>();
  for (const t of group) {
    const name = t.params.broker_name;
    if (name === undefined) {
      report({
        at: t.at(),
        code: 'amq-broker-name-unset',
        severity: 'warning',
        message: `broker_name is not set: ${group.map((g) => g.host).join(' and ')} keep the brokerName of their files`,
        hint: "Debian's activemq.xml says 'localhost' on every host; set broker_name: \"{{ broker_name }}\" from a host variable",
      });
      break;
    }
    const other = names.get(name);
    if (other !== undefined) {
      report({ at: t.at(['broker_name']), code: 'amq-broker-name-clash', message: `brokers ${other} and ${t.host} would both be named '${name}'`, hint: 'every broker needs its own brokerName: use a host variable such as {{ broker_name }}' });
      break;
    }
    names.set(name, t.host);
  }
  if (!group.some((t) => (t.params.network_connectors ?? []).length > 0)) {
    const hint = 'brokers sharing one store (master/slave) must point at the same shared directory';
    for (const param of ['data_directory', 'kahadb_directory'] as const) {
      mustAgree(group, param, (t) => hostPath(t.params[param], t), report, { code: 'amq-store-mismatch', what: param, hint });
    }
  }
  const hint = 'every broker of a cluster offers the same transports with the same limits, so clients can fail over';
  const ports = (t: HostTask<ActivemqBrokerParams>) =>
    brokerTransports(t.params)
      ?.map((tr) => `${tr.name}:${parseTransportUri(tr.uri)?.port ?? '?'}`)
      .sort()
      .join(', ');
  mustAgree(group, 'transports', ports, report, { code: 'amq-transport-mismatch', what: 'the transports', hint });
  if (new Set(group.map(ports)).size === 1) {
    const shape = (t: HostTask<ActivemqBrokerParams>) => brokerTransports(t.params)?.map(transportShape).sort().join(' ');
    const other = group.find((t) => shape(t) !== shape(group[0]));
    if (other) report({ at: other.at(['transports']), code: 'amq-transport-mismatch', message: `the transport options (schemes, limits) differ between ${group[0].host} and ${other.host}`, hint });
  }
}

function check(ctx: CheckContext, p: ActivemqBrokerParams): Promise<Plan> {
  return planXmlEdit(ctx, {
    path: p.conf,
    missing: INSTALL_FIRST,
    backup: p.backup,
    attrs: { ...(p.owner !== undefined ? { owner: p.owner } : {}), ...(p.group !== undefined ? { group: p.group } : {}), ...(p.mode !== undefined ? { mode: p.mode } : {}) },
    edit: (text) => editBrokerXml(text, settings(p)),
    summary: (e) => editSummary(p.conf, e),
    note: `${p.conf} already has these settings`,
  });
}

export const activemqBroker = defineModule({
  name: 'activemq_broker',
  summary: 'activemq.xml edited in place: broker name, store, transports, network connectors, logins, authorization, TLS',
  docs: `Edits an existing \`activemq.xml\` in place, XML-aware: only the elements and attributes named
by parameters change; comments, other beans and indentation stay byte for byte.

- \`broker_name\`, \`data_directory\`, \`use_jmx\`, \`scheduler_support\`: attributes of \`<broker>\`.
- \`kahadb_directory\`, \`lock_poll\`: the KahaDB store and its shared-file-locker's
  \`lockAcquireSleepInterval\` (ms): how often a slave tries to take the lock.
- \`transports\`: the whole \`<transportConnectors>\` list. A name (${Object.keys(STANDARD_TRANSPORTS).join(', ')})
  takes its standard scheme and port on \`bind\` with \`maximumConnections\` and
  \`wireFormat.maxFrameSize\`; \`{ name, uri }\` is written as given.
- \`network_connectors\`: the whole \`<networkConnectors>\` list (network of brokers); a connector to
  a broker that asks for a login carries \`user_name\` and \`password\` (from a secret).
- \`anonymous_access\` decides whether clients log in, in this one place: false (the default) puts
  \`<jaasAuthenticationPlugin configuration="activemq"/>\` in \`<plugins>\`, and every client logs
  in as a user of activemq_users (whose \`login.config\` holds the entry \`activemq\`); true removes
  it, and validation warns.
- \`authorization\`: an \`<authorizationPlugin>\` map by destination pattern (\`queue\` or \`topic\`:
  a name, \`orders.>\`, \`>\`) with the groups that may \`read\`, \`write\` and \`admin\` (create);
  the advisory topics (\`ActiveMQ.Advisory.>\`) are granted to every group named, as every client
  needs them. A group no user of the host belongs to is an error. \`[]\` removes the map.
- \`ssl_context\`: the broker's \`<sslContext>\` (PKCS12 key and trust stores, as activemq_keystore
  makes them; passwords from secrets); \`enabled: false\` removes it. The standard TLS transports
  \`openwire_ssl\` (ssl:// on 61617) and \`stomp_ssl\` (stomp+ssl:// on 61612) need it.

Passwords in the file (network connectors, stores) are shown in no diff or detail: a change names
the attribute only.

Brokers sharing one store (master/slave) must agree on the data directory, the KahaDB
directory, the transports and the users, and have distinct broker names: validation checks
this across the hosts of a play. Parameters left out leave the file as it is.`,
  params,
  cluster,
  listens,
  validate(p) {
    const out: ParamProblem[] = [];
    const c = p.ssl_context;
    const on = c !== undefined && c.enabled;
    if (on && (c.keystore === undefined || c.keystore_password === undefined)) {
      out.push({ param: 'ssl_context', message: 'ssl_context needs keystore and keystore_password', hint: 'the key store activemq_keystore makes, and its password from a secret', code: 'missing-required' });
    }
    (brokerTransports(p) ?? []).forEach((t, i) => {
      if (isTls(t.uri) && !on) {
        out.push({ param: 'transports', path: ['transports', i], message: `the TLS transport ${t.name} needs the broker's ssl_context (its key store)`, hint: 'set ssl_context: { keystore, keystore_password } from an activemq_keystore task', code: 'missing-required' });
      }
    });
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

/** What puts a password into activemq.xml: the TLS stores' or a network connector's. */
function holdsPassword(p: ActivemqBrokerParams): string | undefined {
  const c = p.ssl_context;
  if (c !== undefined && c.enabled && (c.keystore_password !== undefined || c.truststore_password !== undefined)) return 'the TLS stores\' passwords';
  const connector = (p.network_connectors ?? []).find((n) => n.password !== undefined);
  return connector ? `network connector ${connector.name}'s password` : undefined;
}

/** A mode that gives others no access. */
function keptFromOthers(mode: string | undefined): boolean {
  return mode !== undefined && (parseInt(mode, 8) & 0o007) === 0;
}
