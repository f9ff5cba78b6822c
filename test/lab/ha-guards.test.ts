import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { labUp, waitForLog, waitUntil, type Lab } from '../../lab/lab.js';
import { amqRunJson, resultKeys } from '../helpers/amq-run.js';
import { brokerId, brokerLog, LB, listening, STOMP, watchMasters } from '../helpers/brokers.js';
import { openWhenReady, Stomp } from '../helpers/stomp.js';

const ENV = { AMQ_ADMIN_PASSWORD: 'Adm1n-s3cret-for-the-lab' };
/** The user ha.yaml gives the brokers: STOMP clients log in as it. */
const ADMIN = { login: 'admin', passcode: ENV.AMQ_ADMIN_PASSWORD };
const STORE = '/shared/activemq-data';
const REFUSAL = `activemq: refusing to start: ${STORE} is not mounted (the shared store); a broker on an empty local directory would become a second master`;
/** ha.yaml's redelivery policy: max_redeliveries. */
const MAX_REDELIVERIES = 6;

describe('lab: ha.yaml on Debian: the enabled instance, boot, the store guard, limits and policies', function () {
  this.timeout(300_000);
  let lab: Lab;
  const args = () => ['playbooks/ha.yaml', '-i', lab.inventoryPath];
  const jvms = (h: string) => lab.processes(h).filter((p) => p.cmdline.includes('activemq.jar'));
  const sh = async (h: string, cmd: string) => {
    const r = await lab.exec(h, cmd);
    return { ...r, out: `${r.stdout}${r.stderr}` };
  };

  before(async () => {
    lab = await labUp();
    const run = await amqRunJson(args(), ENV);
    assert.equal(run.code, 0, `${run.stderr}${JSON.stringify(run.results.filter((r) => r.status === 'failed'))}`);
    await brokerId(brokerLog(lab, 'broker1'), 'broker1');
    await waitForLog(brokerLog(lab, 'broker2'), /slave mode waiting a lock/, 30_000);
  });
  after(async () => {
    await lab?.down();
  });

  it('a message its STOMP consumer rejects more often than the redelivery policy allows lands in its own dead-letter queue', async () => {
    const queue = `orders.${randomBytes(4).toString('hex')}`;
    const producer = await openWhenReady(LB, STOMP, 30_000, ADMIN);
    await producer.client.send(queue, ['poison']);
    producer.client.close();
    const consumer = await openWhenReady(LB, STOMP, 10_000, ADMIN);
    const deliveries = await consumer.client.rejectAll(queue, 5_000);
    consumer.client.close();
    assert.deepEqual(deliveries, Array(MAX_REDELIVERIES + 1).fill('poison'), 'the first delivery and 6 redeliveries, each NACKed');
    const dlq = await openWhenReady(LB, STOMP, 10_000, ADMIN);
    assert.deepEqual(await dlq.client.receive(`DLQ.${queue}`, 2_000), ['poison'], 'in DLQ.<queue>: an individual dead-letter queue');
    dlq.client.close();
    for (const q of [queue, 'ActiveMQ.DLQ']) {
      const c = await Stomp.open(LB, STOMP, 5000, ADMIN);
      assert.deepEqual(await c.client.receive(q, 1_000), [], `nothing left in ${q}`);
      c.client.close();
    }
    const log = readFileSync(brokerLog(lab, 'broker1'), 'utf8');
    assert.match(log, /Broker Plugin org\.apache\.activemq\.broker\.util\.RedeliveryPlugin started/);
    assert.match(log, /JobSchedulerStore: \/shared\/activemq-data\/scheduler started/, 'redeliveries wait on the shared store');
  });

  it('the store guard on the slave: stopped and its store unmounted, a start refuses and says why; mounted back, it starts as slave', async () => {
    assert.deepEqual(await listening(lab), ['broker1']);
    assert.equal((await sh('broker2', 'service activemq stop')).code, 0);
    const umount = await sh('broker2', `umount ${STORE}`);
    assert.equal(umount.code, 0, umount.out);
    const logSize = statSync(brokerLog(lab, 'broker2')).size;
    for (const verb of ['start', 'restart']) {
      const r = await sh('broker2', `service activemq ${verb}`);
      assert.equal(r.code, 1, `service activemq ${verb} fails: ${r.out}`);
      assert.equal(r.stderr.trim(), REFUSAL);
    }
    assert.deepEqual(jvms('broker2'), [], 'no JVM started');
    assert.match(readFileSync(brokerLog(lab, 'broker2'), 'utf8').slice(logSize), new RegExp(`\\| ERROR \\| ${REFUSAL.replace(/[.()]/g, '\\$&')}`), "and the broker's log says why");
    assert.deepEqual(readdirSync(join(lab.host('broker2').root, STORE)), [], 'the empty local directory stayed empty');

    const mount = await sh('broker2', `mount ${STORE}`);
    assert.equal(mount.code, 0, `mounted back from its fstab line: ${mount.out}`);
    const from = statSync(brokerLog(lab, 'broker2')).size;
    assert.equal((await sh('broker2', 'service activemq start')).code, 0);
    await waitForLog(brokerLog(lab, 'broker2'), /This broker is now in slave mode waiting a lock to be acquired/, 60_000, from);
    assert.equal(jvms('broker2').length, 1);
    assert.deepEqual(await listening(lab), ['broker1'], 'broker1 is still the only master');
  });

  it('the same on the master after stopping it: no second master at any moment, checked directly and through HAProxy; no message lost', async () => {
    const bodies = Array.from({ length: 50 }, (_, i) => `kept-${i}`);
    const sender = await openWhenReady(LB, STOMP, 10_000, ADMIN);
    await sender.client.send('guard.q', bodies);
    sender.client.close();
    const id1 = await brokerId(brokerLog(lab, 'broker1'), 'broker1');
    const watch = watchMasters(lab, ADMIN);
    try {
      const from2 = statSync(brokerLog(lab, 'broker2')).size;
      assert.equal((await sh('broker1', 'service activemq stop')).code, 0);
      const id2 = await brokerId(brokerLog(lab, 'broker2'), 'broker2', from2);
      assert.equal((await sh('broker1', `umount ${STORE}`)).code, 0);
      for (const verb of ['start', 'restart']) {
        const r = await sh('broker1', `service activemq ${verb}`);
        assert.equal(r.code, 1, r.out);
        assert.equal(r.stderr.trim(), REFUSAL);
      }
      assert.deepEqual(jvms('broker1'), []);
      assert.equal((await sh('broker1', `mount ${STORE}`)).code, 0);
      const from1 = statSync(brokerLog(lab, 'broker1')).size;
      assert.equal((await sh('broker1', 'service activemq start')).code, 0);
      await waitForLog(brokerLog(lab, 'broker1'), /This broker is now in slave mode waiting a lock to be acquired/, 60_000, from1);
      // Let the watcher see the settled cluster through HAProxy too.
      await waitUntil(async () => (await listening(lab)).join() === 'broker2', 10_000, 'broker2 alone to listen');
      const seen = await watch.stop();
      console.log(`      ${seen.samples} samples of both brokers and HAProxy; brokers reached through HAProxy: ${[...seen.throughLb].join(', ')}`);
      assert.deepEqual(seen.twoMasters, [], 'never two brokers listening at once');
      assert.ok(seen.samples >= 10, `${seen.samples} samples`);
      assert.ok([...seen.throughLb].every((id) => id === id1 || id === id2), 'HAProxy only ever reached broker1, then broker2');
      assert.ok(seen.throughLb.has(id2));
    } finally {
      await watch.stop();
    }
    const consumer = await openWhenReady(LB, STOMP, 30_000, ADMIN);
    const got = await consumer.client.receive('guard.q', 2_000);
    consumer.client.close();
    assert.deepEqual([...got].sort(), [...bodies].sort(), 'every message, once, from the one master');
  });

  it("the enabled instance and the boot links are ha.yaml's: removed by hand, a dry-run says it would make them; the run does, and the broker starts", async () => {
    const host = lab.host('broker1').root;
    const undo = await sh('broker1', 'service activemq stop && rm /etc/activemq/instances-enabled/main && update-rc.d activemq disable');
    assert.equal(undo.code, 0, undo.out);
    assert.equal(existsSync(join(host, 'etc/rc2.d/S01activemq')), false);
    const lie = await sh('broker1', 'service activemq start');
    assert.equal(lie.code, 0);
    assert.match(lie.out, /No instances found/, "Debian's init script, without the link: exit 0 and nothing started");
    assert.deepEqual(jvms('broker1'), []);

    const limited = [...args(), '--limit', 'broker1'];
    const dry = await amqRunJson([...limited, '--dry-run'], ENV);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(resultKeys(dry, 'would_change'), ['ActiveMQ is running@broker1', 'Enable the broker instance@broker1']);
    const summary = (task: string) => dry.results.find((r) => r.type === 'task_result' && r.task === task)?.message ?? '';
    assert.match(summary('Enable the broker instance'), /link \/etc\/activemq\/instances-enabled\/main -> \/etc\/activemq\/instances-available\/main/);
    assert.match(summary('ActiveMQ is running'), /enable and start activemq \(not running: /);

    const from = statSync(brokerLog(lab, 'broker1')).size;
    const run = await amqRunJson(limited, ENV);
    assert.equal(run.code, 0, `${run.stderr}${JSON.stringify(run.results.filter((r) => r.status === 'failed'))}`);
    assert.deepEqual(resultKeys(run, 'changed'), resultKeys(dry, 'would_change'));
    assert.ok(existsSync(join(host, 'etc/rc2.d/S01activemq')), 'enabled at boot again');
    assert.equal(jvms('broker1').length, 1, 'the JVM runs');
    await waitForLog(brokerLog(lab, 'broker1'), /This broker is now in slave mode waiting a lock to be acquired/, 60_000, from);
    const again = await amqRunJson(limited, ENV);
    assert.deepEqual(resultKeys(again, 'changed'), []);
  });
});
