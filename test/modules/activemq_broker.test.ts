import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { activemqBroker, brokerTransports, type ActivemqBrokerParams } from '../../runner/src/modules/activemq_broker.js';
import { CheckFailed } from '../../runner/src/modules/lib/context.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { FakeHost } from '../helpers/fake-host.js';
import { fixture } from '../helpers/paths.js';

const CONF = '/etc/activemq/instances-available/main/activemq.xml';
const DEBIAN = readFileSync(fixture('activemq', 'debian-main-activemq.xml'), 'utf8');
const MALFORMED = readFileSync(fixture('activemq', 'malformed-activemq.xml'), 'utf8');

const params = (p: Partial<ActivemqBrokerParams> = {}): ActivemqBrokerParams => ({
  conf: CONF,
  bind: '0.0.0.0',
  max_connections: 1000,
  max_frame_size: 104857600,
  anonymous_access: true,
  backup: false,
  ...p,
});
const check = (host: FakeHost, p: ActivemqBrokerParams, dryRun = false) => activemqBroker.check!(host.ctx({ dryRun }), p);

const WANT = params({
  broker_name: 'broker1',
  data_directory: '/shared/activemq-data',
  kahadb_directory: '/shared/activemq-data/kahadb',
  transports: ['openwire', 'stomp'],
});
const Q = '?maximumConnections=1000&amp;wireFormat.maxFrameSize=104857600';
/** Debian's file as WANT leaves it, written out by hand. */
const EDITED = DEBIAN.replace('brokerName="localhost"', 'brokerName="broker1"')
  .replace('dataDirectory="${activemq.base}/data">', 'dataDirectory="/shared/activemq-data">')
  .replace('<kahaDB directory="${activemq.base}/data/kahadb"/>', '<kahaDB directory="/shared/activemq-data/kahadb"/>')
  .replace(
    '            <transportConnector name="openwire" uri="tcp://127.0.0.1:61616"/>\n',
    `            <transportConnector name="openwire" uri="tcp://0.0.0.0:61616${Q}"/>\n            <transportConnector name="stomp" uri="stomp://0.0.0.0:61613${Q}"/>\n`,
  );
const DETAILS = [
  'brokerName: localhost -> broker1',
  'dataDirectory: ${activemq.base}/data -> /shared/activemq-data',
  'kahaDB directory: ${activemq.base}/data/kahadb -> /shared/activemq-data/kahadb',
  'transportConnector openwire: tcp://127.0.0.1:61616 -> tcp://0.0.0.0:61616, maximumConnections (unset) -> 1000, wireFormat.maxFrameSize (unset) -> 104857600',
  'transportConnector stomp: added',
];

describe('activemq_broker module', () => {
  it("plans one file change with before, after and details on Debian's default file", async () => {
    const plan = await check(new FakeHost().file(CONF, DEBIAN), WANT);
    assert.deepEqual(plan, change(`edit ${CONF}: 5 settings`, { kind: 'file', path: CONF, before: DEBIAN, after: EDITED, details: DETAILS }));
  });

  it('group and mode: on the edit itself, alone when only they differ, nothing once they hold', async () => {
    const host = new FakeHost().file(CONF, DEBIAN);
    const secured = { ...WANT, group: 'activemq', mode: '0640' };
    const first = await check(host, secured);
    assert.equal(first.status, 'change');
    assert.deepEqual(first.status === 'change' && first.changes.map((c) => (c.kind === 'file' ? [c.kind, c.group, c.mode] : [c.kind])), [['file', 'activemq', '0640']]);
    const done = new FakeHost().file(CONF, EDITED);
    assert.deepEqual(await check(done, secured), change(`set mode 0640, group activemq on ${CONF}`, { kind: 'attrs', path: CONF, group: ['root', 'activemq'], mode: ['0644', '0640'] }));
    assert.deepEqual(await check(new FakeHost().file(CONF, EDITED, { group: 'activemq', mode: '0640' }), secured), ok(`${CONF} already has these settings`));
  });

  it('is ok when the file already has the settings', async () => {
    assert.deepEqual(await check(new FakeHost().file(CONF, EDITED), WANT), ok(`${CONF} already has these settings`));
  });

  it('is ok on the second run once applied, and the file is byte for byte the expected one', async () => {
    const host = new FakeHost().file(CONF, DEBIAN);
    host.apply(await check(host, WANT));
    assert.deepEqual(host.writes, [`file: ${CONF}`]);
    assert.equal(host.content(CONF), EDITED);
    assert.equal((await check(host, WANT)).status, 'ok');
  });

  it('only reads the host while checking, in a run and in a dry-run', async () => {
    const host = new FakeHost().file(CONF, DEBIAN).file('/bad.xml', MALFORMED);
    await check(host, WANT);
    await check(host, WANT, true);
    await check(host, params({ lock_poll: 1000, management_connector: { create: true, port: 1099 }, network_connectors: [{ name: 'n', uri: 'static:(tcp://b:61616)', duplex: true }] }));
    await assert.rejects(check(host, params({ conf: '/bad.xml', broker_name: 'b' })));
    assert.deepEqual(host.writes, []);
    assert.deepEqual(host.reads, []);
  });

  it('names the one setting in the summary, and passes backup on', async () => {
    const plan = await check(new FakeHost().file(CONF, DEBIAN), params({ broker_name: 'broker1', backup: true }));
    assert.equal(plan.status, 'change');
    if (plan.status !== 'change') return;
    assert.equal(plan.summary, `edit ${CONF}: brokerName: localhost -> broker1`);
    assert.equal(plan.changes[0].kind === 'file' && plan.changes[0].backup, true);
  });

  it('leaves the file as it is when no setting is given', async () => {
    assert.equal((await check(new FakeHost().file(CONF, DEBIAN), params())).status, 'ok');
  });

  it('refuses a malformed file with the line and column, and plans nothing', async () => {
    const host = new FakeHost().file(CONF, MALFORMED);
    await assert.rejects(
      check(host, WANT),
      (e: Error) =>
        e instanceof CheckFailed && e.message === `${CONF} is not well-formed XML at line 41, column 9: Missing end tag for element persistenceAdapter; it was left unchanged`,
    );
    assert.equal(host.content(CONF), MALFORMED);
  });

  it('fails with a hint when the file is missing', async () => {
    await assert.rejects(check(new FakeHost(), WANT), (e: Error) => e instanceof CheckFailed && e.message.startsWith(`${CONF} does not exist: install ActiveMQ first`));
  });

  it('fails with a hint when the store is not KahaDB', async () => {
    const jdbc = DEBIAN.replace('<kahaDB directory="${activemq.base}/data/kahadb"/>', '<jdbcPersistenceAdapter dataSource="#pg"/>');
    await assert.rejects(
      check(new FakeHost().file(CONF, jdbc), params({ lock_poll: 1000 })),
      (e: Error) => e instanceof CheckFailed && e.message === `${CONF}: the broker's store is <jdbcPersistenceAdapter>, not KahaDB: kahadb_directory and lock_poll apply to a KahaDB store only; leave them out for this broker`,
    );
  });

  it('writes a {name, uri} transport as given and bracketed IPv6 binds for standard ones', async () => {
    const host = new FakeHost().file(CONF, DEBIAN);
    const p = params({ bind: '::', transports: ['openwire', { name: 'nio', uri: 'nio://0.0.0.0:61618?a=1&b=2' }] });
    host.apply(await check(host, p));
    const text = host.content(CONF)!;
    assert.ok(text.includes(`<transportConnector name="openwire" uri="tcp://[::]:61616${Q}"/>`));
    assert.ok(text.includes('<transportConnector name="nio" uri="nio://0.0.0.0:61618?a=1&amp;b=2"/>'));
    assert.equal((await check(host, p)).status, 'ok');
  });

  it('refuses a TLS transport without the ssl_context that holds its key store', () => {
    const problems = activemqBroker.validate!(params({ transports: ['openwire', 'stomp_ssl'] }));
    assert.deepEqual(problems.map((x) => x.message), ["the TLS transport stomp_ssl needs the broker's ssl_context (its key store)"]);
    const withContext = params({ transports: ['openwire_ssl'], ssl_context: { enabled: true, keystore: '/k.ks', keystore_password: 'pw' } });
    assert.deepEqual(activemqBroker.validate!(withContext), []);
    assert.equal(brokerTransports(withContext)![0].uri, 'ssl://0.0.0.0:61617?maximumConnections=1000&wireFormat.maxFrameSize=104857600');
  });
});
