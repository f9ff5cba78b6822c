import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { labUp, waitForLog, type Lab } from '../../lab/lab.js';
import { amqRunJson, resultKeys } from '../helpers/amq-run.js';
import { brokerId, brokerLog, LB, listening, sessionPrefix } from '../helpers/brokers.js';
import { openWhenReady } from '../helpers/stomp.js';

const ENV = { AMQ_ADMIN_PASSWORD: 'Adm1n-s3cret-for-three' };
/** The user ha.yaml gives the brokers: STOMP clients log in as it. */
const ADMIN = { login: 'admin', passcode: ENV.AMQ_ADMIN_PASSWORD };
const BROKERS = ['broker1', 'broker2', 'broker3'];

describe('lab: three brokers from the same playbooks (npm run lab -- up --brokers 3)', function () {
  this.timeout(300_000);

  describe('ha.yaml: one shared store, one master, two slaves', () => {
    let lab: Lab;
    const jvm = (h: string) => lab.processes(h).find((p) => p.cmdline.includes('activemq.jar'));
    before(async () => {
      lab = await labUp({ brokers: 3 });
    });
    after(async () => {
      await lab?.down();
    });

    it('deploys three brokers with the playbook as it is: exactly one master, HAProxy knows all three', async () => {
      const run = await amqRunJson(['playbooks/ha.yaml', '-i', lab.inventoryPath], ENV);
      // A broker that did not start says why in its own log: show its end beside the failure.
      const logEnd = (h: string) => (existsSync(brokerLog(lab, h)) ? readFileSync(brokerLog(lab, h), 'utf8').split('\n').slice(-40).join('\n') : '(no log)');
      const failed = run.results.filter((r) => r.status === 'failed');
      // The failed result comes last: a long message is cut at its start.
      assert.equal(run.code, 0, `${run.stderr}\n${failed.map((r) => `--- ${r.host}'s broker log ends with:\n${logEnd(r.host)}\n--- the failed result: ${JSON.stringify(r)}`).join('\n')}`);
      for (const h of BROKERS) assert.ok(resultKeys(run, 'changed').includes(`Configure the broker@${h}`), h);
      await brokerId(brokerLog(lab, 'broker1'), 'broker1');
      for (const h of ['broker2', 'broker3']) await waitForLog(brokerLog(lab, h), /This broker is now in slave mode waiting a lock to be acquired/, 60_000);
      assert.deepEqual(await listening(lab), ['broker1']);
    });

    it('the master killed: one of the two others takes over through HAProxy, 0 of 1,000 messages lost or duplicated', async () => {
      const sender = await openWhenReady(LB, 61613, 60_000, ADMIN);
      const bodies = Array.from({ length: 1000 }, (_, i) => `three ${i}`);
      await sender.client.send('three.q', bodies);
      sender.client.close();
      const [master] = await listening(lab);
      const others = BROKERS.filter((b) => b !== master);
      const from = Object.fromEntries(others.map((h) => [h, statSync(brokerLog(lab, h)).size]));
      process.kill(jvm(master)!.hostPid, 'SIGKILL');
      const next = await Promise.any(others.map(async (h) => ({ h, id: await brokerId(brokerLog(lab, h), h, from[h]) })));
      const consumer = await openWhenReady(LB, 61613, 60_000, ADMIN);
      assert.equal(sessionPrefix(consumer.connected.headers.session), next.id, `through HAProxy to ${next.h} now`);
      const got = await consumer.client.receive('three.q', 2000);
      consumer.client.close();
      const unique = new Set(got);
      assert.equal(bodies.filter((b) => !unique.has(b)).length, 0, 'lost messages');
      assert.equal(got.length - unique.size, 0, 'duplicated messages');
      assert.deepEqual(await listening(lab), [next.h], 'exactly one master again');
    });
  });

  describe('network.yaml: a mesh of three', () => {
    let lab: Lab;
    before(async () => {
      lab = await labUp({ brokers: 3 });
    });
    after(async () => {
      await lab?.down();
    });

    it('every broker connects to the two others; a message produced on broker1 is consumed on broker3', async () => {
      const run = await amqRunJson(['playbooks/network.yaml', '-i', lab.inventoryPath], ENV);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(resultKeys(run, 'failed', 'unreachable'), []);
      for (const h of BROKERS) {
        await waitForLog(brokerLog(lab, h), new RegExp(`Apache ActiveMQ [\\d.]+ \\(${h}, `), 60_000);
        for (const peer of BROKERS.filter((p) => p !== h)) {
          await waitForLog(brokerLog(lab, h), new RegExp(`Network connection between vm://${h}.* and tcp://.*\\(${peer}\\) has been established`), 60_000);
        }
      }
      const consumer = await openWhenReady(lab.host('broker3').address, 61613, 30_000, ADMIN);
      const received = consumer.client.receive('mesh.q', 5000, 10);
      const producer = await openWhenReady(lab.host('broker1').address, 61613, 30_000, ADMIN);
      const bodies = Array.from({ length: 10 }, (_, i) => `across the mesh ${i}`);
      await producer.client.send('mesh.q', bodies);
      producer.client.close();
      const got = await received;
      consumer.client.close();
      assert.deepEqual([...got].sort(), [...bodies].sort());
    });
  });
});
