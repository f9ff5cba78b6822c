import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labUp, type Lab } from '../../lab/lab.js';
import type { DrillResult } from '../../runner/src/cluster/drill-events.js';
import type { ClusterStatus } from '../../runner/src/cluster/status.js';
import type { PlanFile } from '../../runner/src/plan/plan-file.js';
import { AMQ_RUN, ROOT } from '../helpers/paths.js';
import { treeChecksum } from '../helpers/tree.js';

const SECRET = 'Adm1n-s3cret-for-the-lab';
const CONF = 'etc/activemq/instances-available/main/activemq.xml';

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

function amqRun(args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AMQ_RUN, ...args], { cwd: ROOT, env: { ...process.env, AMQ_ADMIN_PASSWORD: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const lines = <T>(text: string): T[] => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);

describe('lab: amq-run plan and apply, status and drill on playbooks/ha.yaml', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  const args = () => ['playbooks/ha.yaml', '-i', lab.inventoryPath];
  const status = async (): Promise<{ code: number | null; s: ClusterStatus; err: string }> => {
    const r = await amqRun(['status', ...args(), '--json']);
    try {
      return { code: r.code, s: JSON.parse(r.out) as ClusterStatus, err: r.err };
    } catch {
      return assert.fail(`status --json printed no JSON (exit ${r.code}): ${r.err}${r.out}`);
    }
  };
  /** Reads the status until `ok` holds for it (HAProxy checks every second; a slave polls the lock every second). */
  const statusUntil = async (ok: (s: ClusterStatus) => boolean, what: string, limitMs = 90_000) => {
    const t0 = Date.now();
    for (;;) {
      const r = await status();
      if (ok(r.s)) return r;
      if (Date.now() - t0 > limitMs) assert.fail(`${what}: not within ${limitMs} ms; last status ${JSON.stringify(r.s)}`);
      await new Promise((res) => setTimeout(res, 500));
    }
  };
  const jvm = (h: string) => lab.processes(h).find((p) => p.cmdline.includes('activemq.jar'));
  const role = (s: ClusterStatus, h: string) => s.brokers.find((b) => b.host === h)?.role;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'amq-operate-'));
    lab = await labUp();
  });
  after(async () => {
    await lab?.down();
    rmSync(work, { recursive: true, force: true });
  });

  it('plan on the fresh lab (exit 10, no secret in it), show, then apply makes exactly the planned changes; a second plan has none (exit 0)', async () => {
    const plan = join(work, 'fresh.json');
    const p = await amqRun(['plan', ...args(), '-o', plan, '--json']);
    assert.equal(p.code, 10, `${p.err}\n${p.out.split('\n').filter((l) => /"(would_fail|failed|unreachable)"/.test(l)).join('\n')}`);
    const text = readFileSync(plan, 'utf8');
    assert.ok(!text.includes(SECRET), 'no secret value in the plan');
    const saved = JSON.parse(text) as PlanFile;
    assert.deepEqual(saved.secrets, ['admin_password']);
    assert.ok(saved.changes.length >= 20, `${saved.changes.length} planned changes`);
    if (process.env.AMQ_CAPTURE) console.log(`CAPTURE plan\n${p.err}`);
    const shown = await amqRun(['show', plan, '--plain']);
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /would change broker1 +write \/etc\/activemq\/instances-available\/main\/activemq\.xml|would change broker1 .*activemq\.xml/);

    const t0 = Date.now();
    const a = await amqRun(['apply', plan, '--yes', '--json']);
    console.log(`      (apply of ${saved.changes.length} planned changes: ${Date.now() - t0} ms)`);
    assert.equal(a.code, 0, `${a.err}\n${a.out.split('\n').filter((l) => l.includes('"failed"')).join('\n')}`);
    const changed = lines<{ type: string; status?: string; task?: string; handler?: string; host?: string }>(a.out)
      .filter((e) => e.status === 'changed')
      .map((e) => (e.type === 'handler_result' ? `handler:${e.handler}@${e.host}` : `${e.task}@${e.host}`))
      .sort();
    assert.deepEqual(changed, saved.changes.map((c) => c.key).sort(), 'exactly the changes the plan lists');

    const again = await amqRun(['plan', ...args(), '-o', join(work, 'converged.json'), '--json']);
    assert.equal(again.code, 0, again.err);
    assert.deepEqual((JSON.parse(readFileSync(join(work, 'converged.json'), 'utf8')) as PlanFile).changes, []);
  });

  it('status after ha.yaml: broker1 master, broker2 slave, both with their pid and the store mounted; HAProxy sends to broker1, broker2 marked backup; ok, exit 0', async () => {
    // Converged by the apply above; run again so that the tests below stand on their own.
    const run = await amqRun([...args(), '--json']);
    assert.equal(run.code, 0, run.err);
    const { code, s, err } = await statusUntil((x) => x.ok, 'a healthy cluster');
    assert.equal(code, 0, err);
    assert.equal(s.ok, true);
    const [b1, b2] = ['broker1', 'broker2'].map((h) => s.brokers.find((b) => b.host === h)!);
    assert.deepEqual([b1.role, b2.role], ['master', 'slave']);
    for (const b of [b1, b2]) {
      assert.equal(b.pid, jvm(b.host)!.pid, `${b.host}: the JVM's pid inside its host`);
      assert.equal(b.store_mounted, true);
    }
    for (const be of ['openwire_back', 'stomp_back']) {
      const rows = s.haproxy.filter((h) => h.backend === be);
      assert.deepEqual(rows.map((r) => [r.host, r.server, r.state.split(' ')[0], r.backup]), [['lb1', 'broker1', 'UP', false], ['lb1', 'broker2', 'DOWN', true]]);
    }
    assert.equal(s.client_reaches_master, true);
    const text = await amqRun(['status', ...args()]);
    if (process.env.AMQ_CAPTURE) console.log(`CAPTURE status\n${text.out}`);
    assert.equal(text.code, 0);
    assert.match(text.out, /broker1 +master +pid \d+ +store mounted/);
    assert.match(text.out, /healthy: broker1 is master/);
  });

  it('apply of a plan after a file it read was edited by hand on broker1: exit 5 naming the file and both sha256 prefixes; nothing changed on broker1', async () => {
    const plan = join(work, 'drift.json');
    assert.equal((await amqRun(['plan', ...args(), '-o', plan, '--json'])).code, 0);
    const conf = join(lab.host('broker1').root, CONF);
    const original = readFileSync(conf, 'utf8');
    const read = (JSON.parse(readFileSync(plan, 'utf8')) as PlanFile).readings.broker1.find((r) => r.what === `file /${CONF}`);
    assert.ok(read, 'the plan read activemq.xml on broker1');
    try {
      writeFileSync(conf, `${original}<!-- edited by hand -->\n`);
      const before = treeChecksum(join(lab.host('broker1').root, 'etc'));
      const a = await amqRun(['apply', plan, '--yes', '--json']);
      if (process.env.AMQ_CAPTURE) console.log(`CAPTURE apply drift\n${a.err}`);
      assert.equal(a.code, 5, a.err);
      assert.match(a.err, new RegExp(`broker1: file /${CONF.replace(/\./g, '\\.')} changed: sha256 ${read.sha256.slice(0, 12)} -> sha256 [0-9a-f]{12}`));
      assert.match(a.err, /broker1 is left as it is: nothing is changed there/);
      assert.equal(treeChecksum(join(lab.host('broker1').root, 'etc')), before, 'nothing changed on broker1');
      assert.ok(!lines<{ host?: string }>(a.out).some((e) => e.host === 'broker1'), 'no task ran on broker1');
    } finally {
      writeFileSync(conf, original);
    }
  });

  it('drill --yes --json, twice in a row: takeover under 5 s, 0 of 1,000 lost or duplicated, the old master back as slave, healthy after, exit 0', async () => {
    const dry = await amqRun(['drill', ...args(), '--dry-run', '--plain']);
    if (process.env.AMQ_CAPTURE) console.log(`CAPTURE drill dry-run\n${dry.out}`);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /the drill would:\n {2}1\. send 1000 persistent messages/);
    assert.match(dry.out, /stop the master broker1: stop activemq/);
    assert.deepEqual([role((await status()).s, 'broker1'), jvm('broker1') !== undefined], ['master', true], 'the dry-run stopped nothing');
    for (const round of [1, 2]) {
      const t0 = Date.now();
      const r = await amqRun(['drill', ...args(), '--yes', '--json']);
      const events = lines<{ type: string }>(r.out);
      if (process.env.AMQ_CAPTURE) console.log(`CAPTURE drill ${round}\n${r.out}`);
      const result = events.at(-1) as DrillResult;
      console.log(`      (drill ${round}: ${Date.now() - t0} ms; ${JSON.stringify(result)})`);
      assert.equal(r.code, 0, `${r.err}\n${r.out}`);
      assert.equal(result.type, 'drill_result');
      assert.ok(result.takeover_ms !== null && result.takeover_ms < 5000, `takeover ${result.takeover_ms} ms`);
      assert.deepEqual([result.sent, result.received, result.lost, result.duplicated], [1000, 1000, 0, 0]);
      assert.notEqual(result.new_master, result.old_master);
      assert.equal(result.old_master_role_after, 'slave');
      assert.equal(result.healthy_after, true);
      assert.ok(!r.out.includes(SECRET) && !r.err.includes(SECRET), 'the secret never shows');
    }
  });

  it("the master's JVM killed: status names the other broker master; both killed: every broker down with its reason, exit 2", async () => {
    const { s } = await statusUntil((x) => x.ok, 'healthy before the kill');
    const master = s.master!;
    const other = master === 'broker1' ? 'broker2' : 'broker1';
    process.kill(jvm(master)!.hostPid, 'SIGKILL');
    const after = await statusUntil((x) => x.ok && x.master === other, `${other} master`);
    assert.equal(after.code, 0);
    assert.equal(role(after.s, master), 'down');
    assert.match(after.s.brokers.find((b) => b.host === master)!.reason!, /not running: pid \d+ from \/var\/run\/activemq\/main\.pid is not running/);
    assert.ok(after.s.haproxy.filter((h) => h.serving).every((h) => h.server === other), 'HAProxy sends clients to the new master');

    process.kill(jvm(other)!.hostPid, 'SIGKILL');
    const down = await statusUntil((x) => x.brokers.every((b) => b.role === 'down'), 'both down');
    assert.equal(down.code, 2);
    assert.equal(down.s.ok, false);
    assert.ok(down.s.problems.includes('no broker is master'));
    const text = await amqRun(['status', ...args()]);
    assert.equal(text.code, 2);
    assert.match(text.out, /NOT healthy:\n {2}- no broker is master/);
  });

  it('a broker whose store is not mounted: its store guard refuses the start, and status says so', async () => {
    assert.equal((await lab.exec('broker1', 'umount /shared/activemq-data')).code, 0);
    await lab.exec('broker1', 'service activemq start');
    const { s } = await status();
    const b1 = s.brokers.find((b) => b.host === 'broker1')!;
    assert.equal(b1.role, 'down');
    assert.equal(b1.store_mounted, false);
    assert.match(b1.reason!, /^refused by its store guard: activemq: refusing to start: \/shared\/activemq-data is not mounted/);
  });
});
