import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { labUp, waitForLog, type Lab } from '../../lab/lab.js';
import { amqRunJson, resultKeys } from '../helpers/amq-run.js';
import { openWhenReady, Stomp } from '../helpers/stomp.js';

const ENV = { AMQ_ADMIN_PASSWORD: 'Netw0rk-s3cret-for-the-lab' };
const ADMIN = { login: 'admin', passcode: ENV.AMQ_ADMIN_PASSWORD };

describe('lab: playbooks/network.yaml (a network of brokers)', function () {
  this.timeout(180_000);
  let lab: Lab;
  before(async () => {
    lab = await labUp();
  });
  after(async () => {
    await lab?.down();
  });

  it('each broker has its own store and asks clients to log in; the connectors log in: a message produced on broker1 is consumed on broker2', async () => {
    const run = await amqRunJson(['playbooks/network.yaml', '-i', lab.inventoryPath], ENV);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(resultKeys(run, 'failed', 'unreachable'), []);
    const log = (h: string) => join(lab.host(h).root, 'var/log/activemq/main.out');
    for (const [h, peer] of [['broker1', 'broker2'], ['broker2', 'broker1']]) {
      await waitForLog(log(h), new RegExp(`Apache ActiveMQ [\\d.]+ \\(${h}, `), 60_000);
      await waitForLog(log(h), new RegExp(`Network connection between vm://${h}.* and tcp://.*\\(${peer}\\) has been established`), 60_000);
    }
    for (const h of ['broker1', 'broker2']) await waitForLog(log(h), /KahaDBPersistenceAdapter\[\/var\/lib\/activemq\/main\/data\/kahadb\]/, 1000);
    const store = (h: string) => statSync(join(lab.host(h).root, 'var/lib/activemq/main/data/kahadb/db.data'));
    assert.notEqual(store('broker1').ino, store('broker2').ino, 'the same path, two stores: one per host');

    for (const address of ['127.0.10.2', '127.0.10.3']) {
      await openWhenReady(address, 61613, 30_000, ADMIN).then((s) => s.client.close());
      assert.equal((await Stomp.answer(address, 61613))?.command, 'ERROR', `${address}: a CONNECT without a login is refused`);
    }
    const conf = readFileSync(join(lab.host('broker1').root, 'etc/activemq/instances-available/main/activemq.xml'), 'utf8');
    assert.match(conf, /<networkConnector name="to-broker2" uri="static:\(tcp:\/\/127\.0\.10\.3:61616\)" duplex="false" userName="admin" password="[^"]+"\/>/);
    assert.match(conf, /<jaasAuthenticationPlugin configuration="activemq"\/>/);
    assert.ok(!(run.stdout + run.stderr).includes(ENV.AMQ_ADMIN_PASSWORD), 'the password never shows');
    const xml = statSync(join(lab.host('broker1').root, 'etc/activemq/instances-available/main/activemq.xml'));
    assert.equal(xml.mode & 0o777, 0o640, 'activemq.xml holds the password: no one but root and the group activemq read it');
    const consumer = await openWhenReady('127.0.10.3', 61613, 30_000, ADMIN);
    const received = consumer.client.receive('network.q', 5000, 10);
    const producer = await openWhenReady('127.0.10.2', 61613, 30_000, ADMIN);
    const bodies = Array.from({ length: 10 }, (_, i) => `across the network ${i}`);
    await producer.client.send('network.q', bodies);
    producer.client.close();
    const got = await received;
    consumer.client.close();
    assert.deepEqual([...got].sort(), [...bodies].sort());

    const again = await amqRunJson(['playbooks/network.yaml', '-i', lab.inventoryPath], ENV);
    assert.equal(again.code, 0);
    assert.deepEqual(resultKeys(again, 'changed'), [], 'a second run changes nothing');
  });
});
