import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { isAlive, labUp, portAnswers, waitForLog, type Lab } from '../../lab/lab.js';
import { amqRunJson, resultKeys, type CliRun } from '../helpers/amq-run.js';
import { brokerId, brokerLog, LB, listening, sessionPrefix } from '../helpers/brokers.js';
import { openWhenReady } from '../helpers/stomp.js';
import { treeChecksum } from '../helpers/tree.js';

const SECRET = 'Adm1n-s3cret-for-the-lab';
const ENV = { AMQ_ADMIN_PASSWORD: SECRET };
/** The user ha.yaml gives the brokers: STOMP clients log in as it. */
const ADMIN = { login: 'admin', passcode: ENV.AMQ_ADMIN_PASSWORD };
/** /var/run/activemq/main.pid: /var/run is an absolute link to /run, which from here would be this machine's. */
const PIDFILE = 'run/activemq/main.pid';

/** The first bytes an OpenWire broker sends: its WireFormatInfo, which names ActiveMQ. */
function openwireGreetingOnce(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no OpenWire greeting from ${host}:${port}`));
    }, 2000);
    s.once('data', (b: Buffer) => {
      clearTimeout(timer);
      s.destroy();
      resolve(b.toString('latin1'));
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** Retries until HAProxy has a healthy server behind the port (its checks run every second). */
async function openwireGreeting(host: string, port: number, timeoutMs = 30_000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    try {
      return await openwireGreetingOnce(host, port);
    } catch (e) {
      if (Date.now() - t0 > timeoutMs) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('lab: playbooks/ha.yaml end to end (hosts in namespaces, Debian init scripts, nfs-ganesha, ActiveMQ, HAProxy)', function () {
  this.timeout(300_000);
  let lab: Lab;
  let dry: CliRun;
  let real: CliRun;
  const root = (h: string) => lab.host(h).root;
  const args = () => ['playbooks/ha.yaml', '-i', lab.inventoryPath];
  /** The JVM of a broker, as its host's process table shows it. */
  const jvm = (h: string) => lab.processes(h).find((p) => p.cmdline.includes('activemq.jar'));

  before(async () => {
    lab = await labUp();
  });
  after(async () => {
    await lab?.down();
  });

  it('a dry-run on the fresh lab leaves every byte as it was and predicts exactly what the real run changes', async () => {
    const before = treeChecksum(...lab.writableTrees());
    dry = await amqRunJson([...args(), '--dry-run'], ENV);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(treeChecksum(...lab.writableTrees()), before, 'the dry-run changed files on a host');
    const t0 = Date.now();
    real = await amqRunJson(args(), ENV);
    console.log(`      (first run: ${Date.now() - t0} ms)`);
    assert.equal(real.code, 0, `${real.stderr}\n${real.results.filter((r) => r.status === 'failed').map((r) => JSON.stringify(r)).join('\n')}`);
    const predicted = resultKeys(dry, 'would_change');
    const changed = resultKeys(real, 'changed');
    assert.ok(changed.length >= 20, `${changed.length} changes`);
    assert.deepEqual(changed, predicted);
    assert.deepEqual(resultKeys(real, 'failed', 'unreachable'), []);
    for (const run of [dry, real]) assert.ok(!(run.stdout + run.stderr).includes(SECRET), 'the secret never shows');
    const users = readFileSync(join(root('broker1'), 'etc/activemq/instances-available/main/users.properties'), 'utf8');
    assert.match(users, new RegExp(`^admin=${SECRET}$`, 'm'), 'the real file has the real password');
  });

  it("the brokers run from Debian's init script inside their hosts: the JVM is the host's, as user activemq, in its pid file, with the runbook's heap", () => {
    for (const h of ['broker1', 'broker2']) {
      const p = jvm(h);
      assert.ok(p, `a JVM runs in ${h}`);
      assert.equal(p.user, 'activemq');
      assert.equal(p.ppid, 1, 'start-stop-daemon --background left it to the host\'s init');
      assert.equal(Number(readFileSync(join(root(h), PIDFILE), 'utf8')), p.pid, 'the pid Debian\'s init script keeps');
      assert.match(p.cmdline, /^\/bin\/java -Xms1024M -Xmx1024M /, "the runbook's heap (activemq_heap_mb: 1024)");
      assert.match(p.cmdline, / -Dactivemq\.base=\/var\/lib\/activemq\/main /);
      assert.match(p.cmdline, / -Dactivemq\.conf=\/etc\/activemq\/instances-enabled\/main /);
      assert.equal(readlinkSync(join(root(h), 'etc/activemq/instances-enabled/main')), '/etc/activemq/instances-available/main', 'the instance ha.yaml enabled');
      assert.ok(readlinkSync(join(root(h), 'etc/rc2.d/S01activemq')).endsWith('init.d/activemq'), 'started at boot');
    }
    const ha = lab.processes('lb1').filter((p) => p.cmdline.startsWith('/usr/sbin/haproxy'));
    assert.equal(ha.length, 1);
    assert.equal(ha[0].ppid, 1);
    assert.equal(ha[0].user, 'haproxy');
    assert.equal(Number(readFileSync(join(root('lb1'), 'run/haproxy.pid'), 'utf8')), ha[0].pid, "HAProxy from Debian's init script (reloaded with the playbook's config)");
    const result = real.results.find((r) => r.type === 'task_result' && r.task === 'ActiveMQ is running' && r.host === 'broker1')!;
    assert.match(JSON.stringify(result), /not running: no \/var\/run\/activemq\/main\.pid/, 'the start was decided by the process, not the init script');
  });

  it('nfs-ganesha on nfs1 exports the store; broker1 is master and broker2 waits for the lock', async () => {
    const ls = spawnSync('nfs-ls', ['nfs://127.0.10.1/data/activemq-data'], { encoding: 'utf8' });
    assert.equal(ls.status, 0, ls.stderr);
    assert.match(ls.stdout, /kahadb/, 'the brokers store KahaDB on the export');
    assert.match(ls.stdout, /scheduler/, 'and the scheduler of delayed redeliveries');
    const rpc = spawnSync('rpcinfo', ['-p', '127.0.10.1'], { encoding: 'utf8' });
    assert.match(rpc.stdout, /\bnfs\b/);
    assert.match(rpc.stdout, /\bmountd\b/);
    await brokerId(brokerLog(lab, 'broker1'), 'broker1');
    await waitForLog(brokerLog(lab, 'broker2'), /This broker is now in slave mode waiting a lock to be acquired/, 30_000);
    const startup = readFileSync(brokerLog(lab, 'broker1'), 'utf8').split(/Apache ActiveMQ [\d.]+ \(broker1, ID:[^)]+\) started/)[0];
    assert.match(startup, /broker1 adding destination: queue:\/\/orders\b/, "the master creates the runbook's queue as it starts, before any client asks for it");
    for (const port of [61616, 61613, 1883]) assert.equal(await portAnswers('127.0.10.3', port), false, `the slave serves nothing on ${port}`);
    for (const port of [61616, 61613]) assert.equal(await portAnswers('127.0.10.2', port), true, `the master serves ${port}`);
    assert.match(lab.mounts('broker1'), / \/shared\/activemq-data ext4 /, "the store is mounted in broker1's own mount table");
    assert.doesNotMatch(readFileSync('/proc/mounts', 'utf8'), /\/shared\/activemq-data/, "and not in this machine's");
  });

  it('HAProxy on lb1 forwards 61616 and 61613 to the master', async () => {
    const id1 = await brokerId(brokerLog(lab, 'broker1'), 'broker1');
    const { client, connected } = await openWhenReady(LB, 61613, 30_000, ADMIN);
    client.close();
    assert.equal(sessionPrefix(connected.headers.session), id1, 'the STOMP session through HAProxy is broker1');
    assert.match(await openwireGreeting(LB, 61616), /ActiveMQ/);
  });

  it('a second run reports 0 changed and restarts nothing', async () => {
    const before = [jvm('broker1')!.hostPid, jvm('broker2')!.hostPid, lab.processes('lb1').find((p) => p.cmdline.startsWith('/usr/sbin/haproxy'))!.hostPid];
    const again = await amqRunJson(args(), ENV);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(resultKeys(again, 'changed', 'failed', 'unreachable'), []);
    const end = again.events.at(-1)!;
    assert.equal(end.type, 'run_end');
    if (end.type === 'run_end') for (const counts of Object.values(end.recap)) assert.equal(counts.changed, 0);
    assert.ok(before.every(isAlive), 'same processes: nothing restarted');
    assert.deepEqual([jvm('broker1')!.hostPid, jvm('broker2')!.hostPid], before.slice(0, 2));
  });

  it('failover: 1,000 persistent messages through HAProxy, the master killed, all consumed from the new master: 0 lost, 0 duplicated', async () => {
    const bodies = Array.from({ length: 1000 }, (_, i) => `message-${i}`);
    const sender = await openWhenReady(LB, 61613, 10_000, ADMIN);
    await sender.client.send('failover.q', bodies);
    sender.client.close();
    const [master] = await listening(lab);
    const other = master === 'broker1' ? 'broker2' : 'broker1';
    const from = statSync(brokerLog(lab, other)).size;
    const t0 = Date.now();
    process.kill(jvm(master)!.hostPid, 'SIGKILL');
    const next = await brokerId(brokerLog(lab, other), other, from);
    const consumer = await openWhenReady(LB, 61613, 60_000, ADMIN);
    const takeoverMs = Date.now() - t0;
    assert.equal(sessionPrefix(consumer.connected.headers.session), next, `through HAProxy to ${other} now`);
    const got = await consumer.client.receive('failover.q', 2000);
    consumer.client.close();
    const unique = new Set(got);
    const missing = bodies.filter((b) => !unique.has(b));
    console.log(`      takeover: ${takeoverMs} ms from kill -9 of the master to a STOMP session on the new master through HAProxy; received ${got.length}, duplicates ${got.length - unique.size}, missing ${missing.length}`);
    assert.equal(missing.length, 0, 'lost messages');
    assert.equal(got.length - unique.size, 0, 'duplicated messages');
    assert.equal(got.length, 1000);
  });

  it('the upstream tarball instead of the package: uploaded as bytes, unpacked once, its systemd unit checked by systemd-analyze', async () => {
    const work = mkdtempSync(join(tmpdir(), 'amq-tarball-'));
    try {
      const top = join(work, 'apache-activemq-5.17.2');
      mkdirSync(join(top, 'bin'), { recursive: true });
      mkdirSync(join(top, 'conf'), { recursive: true });
      writeFileSync(join(top, 'bin/activemq'), '#!/bin/sh\necho upstream activemq\n', { mode: 0o755 });
      copyFileSync('/etc/activemq/instances-available/main/activemq.xml', join(top, 'conf/activemq.xml'));
      const tarball = join(work, 'apache-activemq-5.17.2-bin.tar.gz');
      execFileSync('tar', ['-czf', tarball, '-C', work, 'apache-activemq-5.17.2']);
      const tarArgs = [...args(), '--tags', 'install', '--limit', 'broker2', '-e', 'install_from_package=false', '-e', 'install_from_tarball=true', '-e', `activemq_tarball=${tarball}`];
      const run = await amqRunJson(tarArgs, ENV);
      assert.equal(run.code, 0, `${run.stderr}${JSON.stringify(run.results.filter((r) => r.status === 'failed'))}`);
      assert.deepEqual(resultKeys(run, 'changed'), [
        'Make the ActiveMQ home@broker2',
        'The ActiveMQ unit@broker2',
        "The tarball's data folder belongs to the service user@broker2",
        'Unpack ActiveMQ@broker2',
        'Upload the ActiveMQ tarball@broker2',
        'handler:restart activemq@broker2',
      ]);
      const home = join(root('broker2'), 'opt/activemq');
      assert.ok(readFileSync(`${home}.tar.gz`).equals(readFileSync(tarball)), 'the tarball arrived byte for byte');
      assert.equal(readFileSync(join(home, 'bin/activemq'), 'utf8'), '#!/bin/sh\necho upstream activemq\n');
      assert.ok(statSync(join(home, 'conf/activemq.xml')).isFile());
      assert.equal(statSync(join(home, 'data')).uid, statSync(join(root('broker2'), 'var/lib/activemq')).uid, "data belongs to activemq, the owner of Debian's /var/lib/activemq");
      const unit = readFileSync(join(root('broker2'), 'etc/systemd/system/activemq.service'), 'utf8');
      for (const line of ['User=activemq', 'Environment="ACTIVEMQ_OPTS=-Xms1024M -Xmx1024M ', 'RequiresMountsFor=/shared/activemq-data', 'ExecStartPre=/bin/sh -c ', 'ExecStart=/opt/activemq/bin/activemq start']) {
        assert.ok(unit.includes(line), line);
      }
      const reload = run.results.find((r) => r.type === 'handler_result' && r.handler === 'reload units');
      assert.match(JSON.stringify(reload), /no systemd: no unit files to reload/, 'this host has no systemd to reload');
      const again = await amqRunJson(tarArgs, ENV);
      assert.deepEqual(resultKeys(again, 'changed'), []);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
