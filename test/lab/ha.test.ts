import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { isAlive, labUp, portAnswers, waitForLog, type Lab } from '../../lab/lab.js';
import { amqRunJson, resultKeys, type CliRun } from '../helpers/amq-run.js';
import { openWhenReady } from '../helpers/stomp.js';
import { treeChecksum } from '../helpers/tree.js';

const SECRET = 'Adm1n-s3cret-for-the-lab';
const ENV = { AMQ_ADMIN_PASSWORD: SECRET };
const LB = '127.0.10.4';

function pidOf(file: string): number {
  return Number(readFileSync(file, 'utf8').trim());
}

/** The JVM id prefix of a broker, from its "started" log line; STOMP sessions carry the same prefix. */
async function brokerId(log: string, name: string): Promise<string> {
  const line = await waitForLog(log, new RegExp(`Apache ActiveMQ [\\d.]+ \\(${name}, (ID:[^)]+)\\) started`), 30_000);
  return /ID:([^)]+?)-\d+:\d+\)/.exec(line)![1];
}

function sessionPrefix(session: string): string {
  return /^ID:(.+?)-\d+:\d+$/.exec(session)![1];
}

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

describe('lab: playbooks/ha.yaml end to end (real sshd, nfs-ganesha, ActiveMQ, HAProxy)', function () {
  this.timeout(240_000);
  let lab: Lab;
  let dry: CliRun;
  let real: CliRun;
  const root = (h: string) => join(lab.L, 'hosts', h);
  const args = () => ['playbooks/ha.yaml', '-i', lab.inventoryPath];

  before(async () => {
    lab = await labUp();
  });
  after(async () => {
    await lab?.down();
  });

  it('a dry-run on the fresh lab leaves every byte as it was and predicts exactly what the real run changes', async () => {
    const before = treeChecksum(join(lab.L, 'hosts'));
    dry = await amqRunJson([...args(), '--dry-run'], ENV);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(treeChecksum(join(lab.L, 'hosts')), before, 'the dry-run changed files under the lab roots');
    real = await amqRunJson(args(), ENV);
    assert.equal(real.code, 0, `${real.stderr}\n${real.results.filter((r) => r.status === 'failed').map((r) => JSON.stringify(r)).join('\n')}`);
    const predicted = resultKeys(dry, 'would_change');
    const changed = resultKeys(real, 'changed');
    assert.ok(changed.length >= 12, `${changed.length} changes`);
    assert.deepEqual(changed, predicted);
    assert.deepEqual(resultKeys(real, 'failed', 'unreachable'), []);
    for (const run of [dry, real]) assert.ok(!(run.stdout + run.stderr).includes(SECRET), 'the secret never shows');
    const users = readFileSync(join(root('broker1'), 'etc/activemq/instances-available/main/users.properties'), 'utf8');
    assert.match(users, new RegExp(`^admin=${SECRET}$`, 'm'), 'the real file has the real password');
  });

  it('nfs-ganesha on nfs1 exports the store; broker1 is master and broker2 waits for the lock', async () => {
    const exportDir = join(root('nfs1'), 'data/activemq-data');
    const ls = spawnSync('nfs-ls', [`nfs://127.0.10.1${exportDir}`], { encoding: 'utf8' });
    assert.equal(ls.status, 0, ls.stderr);
    assert.match(ls.stdout, /kahadb/, 'the brokers store KahaDB on the export');
    const rpc = spawnSync('rpcinfo', ['-p', '127.0.10.1'], { encoding: 'utf8' });
    assert.match(rpc.stdout, /\bnfs\b/);
    assert.match(rpc.stdout, /\bmountd\b/);
    const log1 = join(root('broker1'), 'var/log/activemq/activemq.out');
    const log2 = join(root('broker2'), 'var/log/activemq/activemq.out');
    await brokerId(log1, 'broker1');
    await waitForLog(log2, /This broker is now in slave mode waiting a lock to be acquired/, 30_000);
    const startup = readFileSync(log1, 'utf8').split(/Apache ActiveMQ [\d.]+ \(broker1, ID:[^)]+\) started/)[0];
    assert.match(startup, /broker1 adding destination: queue:\/\/orders\b/, "the master creates the runbook's queue as it starts, before any client asks for it");
    for (const port of [61616, 61613, 1883]) assert.equal(await portAnswers('127.0.10.3', port), false, `the slave serves nothing on ${port}`);
    for (const port of [61616, 61613]) assert.equal(await portAnswers('127.0.10.2', port), true, `the master serves ${port}`);
  });

  it('HAProxy on lb1 forwards 61616 and 61613 to the master', async () => {
    const id1 = await brokerId(join(root('broker1'), 'var/log/activemq/activemq.out'), 'broker1');
    const { client, connected } = await openWhenReady(LB, 61613, 30_000);
    client.close();
    assert.equal(sessionPrefix(connected.headers.session), id1, 'the STOMP session through HAProxy is broker1');
    assert.match(await openwireGreeting(LB, 61616), /ActiveMQ/);
  });

  it('a second run reports 0 changed and restarts nothing', async () => {
    const pidFiles = [join(root('broker1'), 'run/activemq.pid'), join(root('broker2'), 'run/activemq.pid'), join(root('lb1'), 'run/haproxy.pid')];
    const before = pidFiles.map(pidOf);
    const again = await amqRunJson(args(), ENV);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(resultKeys(again, 'changed', 'failed', 'unreachable'), []);
    const end = again.events.at(-1)!;
    assert.equal(end.type, 'run_end');
    if (end.type === 'run_end') for (const counts of Object.values(end.recap)) assert.equal(counts.changed, 0);
    assert.deepEqual(pidFiles.map(pidOf), before, 'same processes: nothing restarted');
    assert.ok(before.every(isAlive));
  });

  it('failover: 1,000 persistent messages through HAProxy, the master killed, all consumed from the new master: 0 lost, 0 duplicated', async () => {
    const bodies = Array.from({ length: 1000 }, (_, i) => `message-${i}`);
    const sender = await openWhenReady(LB, 61613, 10_000);
    await sender.client.send('failover.q', bodies);
    sender.client.close();
    const master = pidOf(join(root('broker1'), 'run/activemq.pid'));
    const t0 = Date.now();
    process.kill(master, 'SIGKILL');
    const id2 = await brokerId(join(root('broker2'), 'var/log/activemq/activemq.out'), 'broker2');
    const consumer = await openWhenReady(LB, 61613, 60_000);
    const takeoverMs = Date.now() - t0;
    assert.equal(sessionPrefix(consumer.connected.headers.session), id2, 'through HAProxy to broker2 now');
    const got = await consumer.client.receive('failover.q', 2000);
    consumer.client.close();
    const unique = new Set(got);
    const missing = bodies.filter((b) => !unique.has(b));
    console.log(`      takeover: ${takeoverMs} ms from kill -9 of the master to a STOMP session on the new master through HAProxy; received ${got.length}, duplicates ${got.length - unique.size}, missing ${missing.length}`);
    assert.equal(missing.length, 0, 'lost messages');
    assert.equal(got.length - unique.size, 0, 'duplicated messages');
    assert.equal(got.length, 1000);
  });

  it('the upstream tarball instead of the package: uploaded as bytes, unpacked once', async () => {
    const work = mkdtempSync(join(tmpdir(), 'amq-tarball-'));
    try {
      const top = join(work, 'apache-activemq-5.17.2');
      mkdirSync(join(top, 'bin'), { recursive: true });
      mkdirSync(join(top, 'conf'), { recursive: true });
      writeFileSync(join(top, 'bin/activemq'), '#!/bin/sh\necho upstream activemq\n', { mode: 0o755 });
      copyFileSync('/etc/activemq/instances-available/main/activemq.xml', join(top, 'conf/activemq.xml'));
      const tarball = join(work, 'apache-activemq-5.17.2-bin.tar.gz');
      execFileSync('tar', ['-czf', tarball, '-C', work, 'apache-activemq-5.17.2']);
      const tarArgs = [...args(), '--tags', 'install', '--limit', 'broker1', '-e', 'install_from_package=false', '-e', 'install_from_tarball=true', '-e', `activemq_tarball=${tarball}`];
      const run = await amqRunJson(tarArgs, ENV);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(resultKeys(run, 'changed'), ['Make the ActiveMQ home@broker1', 'Unpack ActiveMQ@broker1', 'Upload the ActiveMQ tarball@broker1']);
      const home = join(root('broker1'), 'opt/activemq');
      assert.ok(readFileSync(`${home}.tar.gz`).equals(readFileSync(tarball)), 'the tarball arrived byte for byte');
      assert.equal(readFileSync(join(home, 'bin/activemq'), 'utf8'), '#!/bin/sh\necho upstream activemq\n');
      assert.ok(statSync(join(home, 'conf/activemq.xml')).isFile());
      const again = await amqRunJson(tarArgs, ENV);
      assert.deepEqual(resultKeys(again, 'changed'), []);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

