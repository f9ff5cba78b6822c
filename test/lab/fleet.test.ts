import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labUp, type Lab } from '../../lab/lab.js';
import { JOB_DIR, JOB_TASKS, writeAmqJob } from '../../bench/fleet-job.js';
import type { RunEvent } from '../../runner/src/engine/events.js';
import { amqRunJson, resultKeys } from '../helpers/amq-run.js';

const FLEET = 20;
const LOST = ['fleet03', 'fleet07', 'fleet11', 'fleet15', 'fleet19'];

/** Every file below the job's folder on a host: its path, mode, mtime and content. */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      out.push(`${p.slice(root.length)} ${st.mode.toString(8)} ${st.mtimeMs}${st.isFile() ? ` ${readFileSync(p, 'utf8')}` : ''}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(join(root, JOB_DIR));
  return out;
}

describe(`lab: a fleet of ${FLEET} hosts`, function () {
  this.timeout(240_000);
  let lab: Lab;
  let job: string;
  let dir: string;
  const fleet = () => lab.hosts.filter((h) => h.group === 'fleet');
  before(async () => {
    lab = await labUp({ fleet: FLEET });
    dir = mkdtempSync(join(tmpdir(), 'amq-fleet-job-'));
    job = writeAmqJob(dir, 'fleet', lab.inventoryPath);
  });
  after(async () => {
    await lab?.down();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('every fleet host is its own sshd, answering on its own address with its pinned key', () => {
    assert.equal(fleet().length, FLEET);
    assert.deepEqual(fleet().slice(0, 2).map((h) => [h.name, h.address]), [['fleet01', '127.0.11.1'], ['fleet02', '127.0.11.2']]);
    const keys = readFileSync(lab.knownHosts, 'utf8').trim().split('\n');
    for (const h of fleet()) assert.ok(keys.some((k) => k.startsWith(`[${h.address}]:${h.port} `) || k.startsWith(`${h.address} `)), `${h.name} is pinned`);
    const sshds = new Set(fleet().map((h) => lab.processes(h.name).find((p) => p.cmdline.startsWith('sshd') || p.cmdline.includes('/sshd'))?.hostPid));
    assert.equal(sshds.size, FLEET, 'one sshd process per host');
  });

  it('the file job converges on every host, and a second run changes nothing on any of them', async () => {
    const first = await amqRunJson([job]);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(resultKeys(first, 'failed', 'unreachable'), []);
    for (const h of fleet()) assert.equal(readFileSync(join(h.root, JOB_DIR, 'conf/app.env'), 'utf8').split('\n')[0], `APP_HOST=${h.name}`);
    const before = fleet().map((h) => snapshot(h.root));
    const again = await amqRunJson([job]);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(resultKeys(again, 'changed', 'failed', 'unreachable'), [], 'a no-op run');
    const recap = (again.events.at(-1) as Extract<RunEvent, { type: 'run_end' }>).recap;
    for (const h of fleet()) assert.equal(recap[h.name]!.ok, JOB_TASKS, `${h.name}: every task ok`);
    assert.deepEqual(fleet().map((h) => snapshot(h.root)), before, 'no file touched on any host');
  });

  it('five hosts whose sshd stops mid-run are unreachable; the fifteen others converge; exit 3', async () => {
    for (const h of fleet()) rmSync(join(h.root, JOB_DIR), { recursive: true, force: true });
    let killing: Promise<unknown> | undefined;
    let tasks = 0;
    const run = await amqRunJson([job], {}, (e) => {
      // After three tasks: every connection is open, and the hosts are half done.
      if (e.type === 'task_start' && ++tasks === 4) killing = Promise.all(LOST.map((h) => lab.killSshd(h)));
    });
    await killing;
    assert.equal(run.code, 3, `exit 3 (a host was unreachable): ${run.stderr}`);
    const end = run.events.at(-1) as Extract<RunEvent, { type: 'run_end' }>;
    const unreachable = Object.entries(end.recap).filter(([, c]) => c.unreachable > 0).map(([h]) => h).sort();
    assert.deepEqual(unreachable, LOST);
    assert.deepEqual(resultKeys(run, 'failed'), []);
    for (const h of fleet().filter((x) => !LOST.includes(x.name))) {
      // Every task, and the handler the changes notified.
      assert.equal(end.recap[h.name]!.changed + end.recap[h.name]!.ok, JOB_TASKS + 1, `${h.name} ran every task and the handler`);
      assert.ok(statSync(join(h.root, JOB_DIR, 'data/index')).isFile(), `${h.name} got to the last task`);
    }
    const lost = run.events.filter((e) => e.type === 'host_unreachable').map((e) => (e as { host: string }).host).sort();
    assert.deepEqual(lost, LOST, 'each lost host is told once');
  });
});
