import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labUp, type Lab } from '../../lab/lab.js';
import { amqRunJson, resultKeys, type CliRun } from '../helpers/amq-run.js';
import { brokerId, brokerLog, LB, listening, STOMP } from '../helpers/brokers.js';
import { compileOpenWireClient, openwireLogin } from '../helpers/openwire.js';
import { openWhenReady, Stomp, type Login } from '../helpers/stomp.js';

const SECRET = 'S3cur1ty-lab-Pa55';
const ENV = { AMQ_ADMIN_PASSWORD: SECRET };
const ADMIN: Login = { login: 'admin', passcode: SECRET };
const APP: Login = { login: 'app', passcode: SECRET };
const READER: Login = { login: 'reader', passcode: SECRET };
const WRONG: Login = { login: 'admin', passcode: 'not-the-password' };
const CONF = 'etc/activemq/instances-available/main';

/** ha.yaml with two more users and an authorization map: readers may consume, not send. */
const EXTRA = `users:
  - { name: admin, password: "{{ admin_password }}", groups: [admins] }
  - { name: app, password: "{{ admin_password }}", groups: [apps] }
  - { name: reader, password: "{{ admin_password }}", groups: [readers] }
authorization:
  - { queue: ">", read: [admins, apps, readers], write: [admins, apps], admin: [admins, apps] }
  - { topic: ">", read: [admins, apps], write: [admins, apps], admin: [admins, apps] }
`;

describe('lab: broker security after ha.yaml (JAAS logins, authorization, the files at rest, OpenWire and STOMP)', function () {
  this.timeout(400_000);
  let lab: Lab;
  let work: string;
  let classes: string;
  let dry: CliRun;
  let real: CliRun;
  const args = () => ['playbooks/ha.yaml', '-i', lab.inventoryPath, '-e', `@${join(work, 'security.yaml')}`];
  const jvm = (h: string) => lab.processes(h).find((p) => p.cmdline.includes('activemq.jar'));
  const addr = (h: string) => lab.host(h).address;

  /** What a STOMP CONNECT gets on host:61613: CONNECTED or ERROR. */
  const stompAnswer = async (host: string, login?: Login) => (await Stomp.answer(host, STOMP, login))?.command;

  async function loginsHold(host: string, what: string): Promise<void> {
    await openWhenReady(host, STOMP, 60_000, ADMIN).then((s) => s.client.close());
    assert.equal(await stompAnswer(host), 'ERROR', `${what}: a STOMP CONNECT without a login is refused`);
    assert.equal(await stompAnswer(host, WRONG), 'ERROR', `${what}: a wrong password is refused`);
    assert.equal(await stompAnswer(host, ADMIN), 'CONNECTED', `${what}: the right one is accepted`);
    const url = `tcp://${host}:61616`;
    assert.match(openwireLogin(classes, url, undefined).out, /^refused: User name \[null\] or password is invalid/, `${what}: OpenWire without a login`);
    assert.match(openwireLogin(classes, url, 'admin', 'not-the-password').out, /^refused: User name \[admin\] or password is invalid/, `${what}: OpenWire with a wrong password`);
    assert.deepEqual(openwireLogin(classes, url, 'admin', SECRET), { code: 0, out: 'connected' }, `${what}: OpenWire with the right one`);
  }

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'amq-security-'));
    writeFileSync(join(work, 'security.yaml'), EXTRA);
    classes = compileOpenWireClient();
    lab = await labUp();
  });
  after(async () => {
    await lab?.down();
    rmSync(work, { recursive: true, force: true });
    if (classes) rmSync(classes, { recursive: true, force: true });
  });

  it('the dry-run predicts exactly the first run; no password in any output, JSON event or diff', async () => {
    dry = await amqRunJson([...args(), '--dry-run', '--diff'], ENV);
    assert.equal(dry.code, 0, dry.stderr);
    real = await amqRunJson([...args(), '--diff'], ENV);
    assert.equal(real.code, 0, `${real.stderr}\n${real.results.filter((r) => r.status === 'failed').map((r) => JSON.stringify(r)).join('\n')}`);
    assert.deepEqual(resultKeys(real, 'changed'), resultKeys(dry, 'would_change'));
    for (const run of [dry, real]) {
      assert.ok(!(run.stdout + run.stderr).includes(SECRET), 'the secret never shows');
      assert.match(run.stdout, /user admin: added/);
    }
    assert.match(real.stdout, /jaasAuthenticationPlugin: added \(configuration=activemq\)/);
    assert.match(real.stdout, /authorization: queue > \(read: admins,apps,readers; write: admins,apps; admin: admins,apps\)/);
  });

  it("users, groups and login.config belong to the broker's user and group, mode 0640, on every broker", () => {
    for (const h of ['broker1', 'broker2']) {
      const service = statSync(join(lab.host(h).root, 'var/lib/activemq'));
      for (const f of ['users.properties', 'groups.properties', 'login.config']) {
        const st = statSync(join(lab.host(h).root, CONF, f));
        assert.equal(st.mode & 0o777, 0o640, `${h} ${f}`);
        assert.equal(st.uid, service.uid, `${h} ${f}: owned by activemq`);
        assert.equal(st.gid, service.gid, `${h} ${f}: group activemq`);
      }
      assert.match(readFileSync(join(lab.host(h).root, CONF, 'activemq.xml'), 'utf8'), /<plugins>\n\s+<jaasAuthenticationPlugin configuration="activemq"\/>\n\s+<authorizationPlugin>/);
    }
  });

  it('the master asks every client to log in, directly and through HAProxy, over STOMP and OpenWire (the Java client of the broker\'s jars)', async () => {
    await brokerId(brokerLog(lab, 'broker1'), 'broker1');
    assert.deepEqual(await listening(lab), ['broker1']);
    await loginsHold(addr('broker1'), 'broker1');
    await loginsHold(LB, 'HAProxy');
  });

  it('authorization: a reader is refused a SEND to the queue, an app sends, the reader consumes', async () => {
    const reader = await openWhenReady(LB, STOMP, 30_000, READER);
    const refused = await reader.client.attemptSend('orders', 'not allowed');
    reader.client.close();
    assert.equal(refused?.command, 'ERROR');
    assert.match(refused!.headers.message ?? refused!.body, /User reader is not authorized to write to: queue:\/\/orders/);
    const app = await openWhenReady(LB, STOMP, 30_000, APP);
    assert.equal((await app.client.attemptSend('orders', 'from the app'))?.command, 'RECEIPT');
    app.client.close();
    const consumer = await openWhenReady(LB, STOMP, 30_000, READER);
    assert.deepEqual(await consumer.client.receive('orders', 3000), ['from the app']);
    consumer.client.close();
  });

  it('a second run changes nothing; no password in the brokers\' logs', async () => {
    const again = await amqRunJson(args(), ENV);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(resultKeys(again, 'changed', 'failed', 'unreachable'), []);
    for (const h of ['broker1', 'broker2']) assert.ok(!readFileSync(brokerLog(lab, h), 'utf8').includes(SECRET), `${h}'s log`);
  });

  it('after a failover the new master asks for logins too, directly and through HAProxy', async () => {
    const from = statSync(brokerLog(lab, 'broker2')).size;
    process.kill(jvm('broker1')!.hostPid, 'SIGKILL');
    await brokerId(brokerLog(lab, 'broker2'), 'broker2', from);
    await loginsHold(addr('broker2'), 'broker2, the new master');
    await loginsHold(LB, 'HAProxy to broker2');
  });
});
