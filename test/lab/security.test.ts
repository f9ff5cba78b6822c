import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labUp, waitForLog, type Lab } from '../../lab/lab.js';
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
const KEYTOOL = '/usr/lib/jvm/java-17-openjdk-amd64/bin/keytool';
const STOMP_TLS = 61612;

/** The certificate a TLS port presents, as openssl s_client receives it; retried while HAProxy finds the master. */
async function presented(host: string, port: number, timeoutMs = 30_000): Promise<X509Certificate> {
  const t0 = Date.now();
  for (;;) {
    const r = spawnSync('openssl', ['s_client', '-connect', `${host}:${port}`, '-showcerts'], { input: '', encoding: 'utf8', timeout: 30_000 });
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(r.stdout)?.[0];
    if (pem) return new X509Certificate(pem);
    if (Date.now() - t0 > timeoutMs) throw new Error(`no certificate from ${host}:${port}: ${r.stderr}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

/** ha.yaml's users and authorization, as a runbook that declares them writes them (passwords from its secret). */
const USERS = `  users:
    - { name: admin, password: "{{ admin_password }}", groups: [admins] }
    - { name: app, password: "{{ admin_password }}", groups: [apps] }
    - { name: reader, password: "{{ admin_password }}", groups: [readers] }
`;
const AUTHORIZATION = `  authorization:
    - { queue: ">", read: [admins, apps, readers], write: [admins, apps], admin: [admins, apps] }
    - { topic: ">", read: [admins, apps], write: [admins, apps], admin: [admins, apps] }
`;

/** A copy of the shipped playbooks whose ha.yaml has two more users and an authorization map: readers may consume, not send. */
function securedCopy(dir: string): string {
  cpSync('playbooks', join(dir, 'playbooks'), { recursive: true });
  const path = join(dir, 'playbooks', 'ha.yaml');
  const text = readFileSync(path, 'utf8');
  const users = '  users:\n    - { name: admin, password: "{{ admin_password }}", groups: [admins] }\n';
  assert.ok(text.includes(users) && /^  authorization: ~\n/m.test(text), "ha.yaml's users and authorization, as this test expects them");
  writeFileSync(path, text.replace(users, USERS).replace(/^  authorization: ~\n/m, AUTHORIZATION));
  return path;
}

describe('lab: broker security after ha.yaml (JAAS logins, authorization, the files at rest, OpenWire and STOMP)', function () {
  this.timeout(400_000);
  let lab: Lab;
  let work: string;
  let classes: string;
  let dry: CliRun;
  let real: CliRun;
  let playbook: string;
  const args = () => [playbook, '-i', lab.inventoryPath];
  const jvm = (h: string) => lab.processes(h).find((p) => p.cmdline.includes('activemq.jar'));
  const addr = (h: string) => lab.host(h).address;

  /** The certificate a broker's key store holds (ha.yaml's store password is the admin password). */
  const stored = (h: string) =>
    new X509Certificate(
      execFileSync(KEYTOOL, ['-exportcert', '-rfc', '-alias', 'broker', '-keystore', join(lab.host(h).root, CONF, 'broker.ks'), '-storepass:env', 'AMQ_ADMIN_PASSWORD'], { env: { ...process.env, ...ENV }, encoding: 'utf8' }),
    );
  const tlsArgs = (...more: string[]) => [...args(), '-e', 'tls=true', ...more];
  /** Waits until the cluster has a master again after a run restarted the brokers. */
  const master = async () => {
    for (const h of ['broker1', 'broker2']) await waitForLog(brokerLog(lab, h), /Apache ActiveMQ [\d.]+ \(broker\d, ID:[^)]+\) started|slave mode waiting a lock/, 60_000);
    for (;;) {
      const up = await listening(lab);
      if (up.length === 1) return up[0];
      await new Promise((r) => setTimeout(r, 200));
    }
  };

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
    playbook = securedCopy(work);
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
    assert.equal(dry.code, 0, `${dry.stderr}\n${dry.results.filter((r) => r.status === 'would_fail' || r.status === 'failed').map((r) => JSON.stringify(r)).join('\n')}`);
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

  it("users, groups and login.config belong to the broker's user and group, mode 0640, on every broker; activemq.xml is its group's, 0640", () => {
    for (const h of ['broker1', 'broker2']) {
      const account = (db: string) => Number(readFileSync(join(lab.host(h).root, 'etc', db), 'utf8').split('\n').find((l) => l.startsWith('activemq:'))!.split(':')[2]);
      const service = { uid: account('passwd'), gid: account('group') };
      for (const f of ['users.properties', 'groups.properties', 'login.config']) {
        const st = statSync(join(lab.host(h).root, CONF, f));
        assert.equal(st.mode & 0o777, 0o640, `${h} ${f}`);
        assert.equal(st.uid, service.uid, `${h} ${f}: owned by activemq`);
        assert.equal(st.gid, service.gid, `${h} ${f}: group activemq`);
      }
      assert.match(readFileSync(join(lab.host(h).root, CONF, 'activemq.xml'), 'utf8'), /<plugins>\n\s+<jaasAuthenticationPlugin configuration="activemq"\/>\n\s+<authorizationPlugin>/);
      // With tls it holds the stores' password: the broker reads it through its group, nobody else at all.
      const xml = statSync(join(lab.host(h).root, CONF, 'activemq.xml'));
      assert.equal(xml.mode & 0o777, 0o640, `${h} activemq.xml`);
      assert.equal(xml.gid, service.gid, `${h} activemq.xml: group activemq`);
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
    assert.match(refused!.headers.message ?? refused!.body, /User reader is not authorized to write to(?::|\\c) queue(?::|\\c)\/\/orders/);
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

  it('tls=true: key stores, TLS transports and HAProxy frontends; the dry-run predicts the run; a second run changes nothing', async () => {
    const dryTls = await amqRunJson([...tlsArgs(), '--dry-run'], ENV);
    assert.equal(dryTls.code, 0, `${dryTls.stderr}\n${dryTls.results.filter((r) => r.status === 'would_fail' || r.status === 'failed').map((r) => JSON.stringify(r)).join('\n')}`);
    const run = await amqRunJson(tlsArgs(), ENV);
    assert.equal(run.code, 0, `${run.stderr}\n${run.results.filter((r) => r.status === 'failed').map((r) => JSON.stringify(r)).join('\n')}`);
    assert.deepEqual(resultKeys(run, 'changed'), resultKeys(dryTls, 'would_change'));
    for (const h of ['broker1', 'broker2']) assert.ok(resultKeys(run, 'changed').includes(`The broker's TLS key and trust stores@${h}`), h);
    assert.ok(!(dryTls.stdout + run.stdout + run.stderr).includes(SECRET), 'no password shows');
    for (const h of ['broker1', 'broker2']) {
      for (const f of ['broker.ks', 'broker.ts']) assert.equal(statSync(join(lab.host(h).root, CONF, f)).mode & 0o777, 0o640, `${h} ${f}`);
    }
    await master();
    const again = await amqRunJson(tlsArgs(), ENV);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(resultKeys(again, 'changed', 'failed'), []);
  });

  it("TLS: the master presents the certificate its key store holds; STOMP over TLS works directly and through HAProxy; plaintext to the TLS port gets nothing", async () => {
    const m = await master();
    const cert = stored(m);
    assert.equal((await presented(addr(m), STOMP_TLS)).fingerprint256, cert.fingerprint256, 'openssl s_client on the master');
    assert.equal((await presented(addr(m), 61617)).fingerprint256, cert.fingerprint256, 'the OpenWire TLS port too');
    assert.equal((await presented(LB, STOMP_TLS)).fingerprint256, cert.fingerprint256, 'through HAProxy (tcp mode: the broker\'s own handshake)');
    const ca = ['broker1', 'broker2'].map((h) => stored(h).toString());
    const direct = await openWhenReady(addr(m), STOMP_TLS, 30_000, ADMIN, { ca, servername: m });
    await direct.client.send('tls.q', ['over tls']);
    direct.client.close();
    // Through HAProxy the address is the proxy's, not in the broker's certificate: the chain is checked, the name is not.
    const viaLb = await openWhenReady(LB, STOMP_TLS, 30_000, ADMIN, { ca, checkServerIdentity: () => undefined });
    assert.deepEqual(await viaLb.client.receive('tls.q', 3000), ['over tls']);
    viaLb.client.close();
    await assert.rejects(openWhenReady(addr(m), STOMP_TLS, 10_000, ADMIN, { ca: [] }), /self-signed|unable to verify|certificate/, 'a client that does not trust the certificate is refused');
    assert.notEqual((await Stomp.answer(addr(m), STOMP_TLS, ADMIN, 3000))?.command, 'CONNECTED', 'plaintext STOMP to the TLS port');
    assert.equal(await stompAnswer(addr(m), ADMIN), 'CONNECTED', 'the plain port still serves');
  });

  it('a new certificate from this machine is one change per broker naming subject, issuer, fingerprint and expiry, never key material; then nothing', async () => {
    const key = join(work, 'tls.key');
    const pem = join(work, 'tls.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', pem, '-days', '90', '-subj', '/CN=activemq.lab', '-addext', 'subjectAltName=IP:127.0.10.2,IP:127.0.10.3,IP:127.0.10.4'], { stdio: 'ignore' });
    const cert = new X509Certificate(readFileSync(pem));
    const before = stored('broker1');
    const run = await amqRunJson(tlsArgs('-e', `tls_certificate=${pem}`, '-e', `tls_key=${key}`), ENV);
    assert.equal(run.code, 0, run.stderr);
    const changed = resultKeys(run, 'changed').filter((k) => !k.startsWith('handler:'));
    assert.deepEqual(changed, ["The broker's TLS key and trust stores@broker1", "The broker's TLS key and trust stores@broker2"]);
    const result = run.results.find((r) => r.type === 'task_result' && r.host === 'broker1' && r.status === 'changed')!;
    assert.deepEqual((result as { details?: string[] }).details, [
      `subject: ${before.subject} -> CN=activemq.lab`,
      `issuer: ${before.issuer} -> CN=activemq.lab`,
      `fingerprint SHA-256: ${before.fingerprint256} -> ${cert.fingerprint256}`,
      `expires: ${new Date(before.validTo).toISOString()} -> ${new Date(cert.validTo).toISOString()}`,
    ]);
    assert.doesNotMatch(run.stdout, /PRIVATE KEY|BEGIN CERTIFICATE/);
    await master();
    assert.equal((await presented(LB, STOMP_TLS)).fingerprint256, cert.fingerprint256, 'HAProxy now leads to the new certificate');
    const client = await openWhenReady(LB, STOMP_TLS, 30_000, ADMIN, { ca: [cert.toString()], checkServerIdentity: () => undefined });
    client.client.close();
    const again = await amqRunJson(tlsArgs('-e', `tls_certificate=${pem}`, '-e', `tls_key=${key}`), ENV);
    assert.deepEqual(resultKeys(again, 'changed', 'failed'), []);
  });
});
