import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckContext } from '../../runner/src/modules/lib/context.js';
import { daemonRunning, killCommand, parsePid, startCommand, type Daemon } from '../../runner/src/modules/lib/daemon.js';
import { fileText } from '../../runner/src/modules/facts/files.js';
import { LocalTransport } from '../../runner/src/transport/local.js';
import { cmd, q } from '../../runner/src/transport/quote.js';

/** Only what daemonRunning uses, over this machine's shell. */
function localCtx(t: LocalTransport): CheckContext {
  return { run: (c: string) => t.exec(c, { readOnly: true }), read: async (p: string) => fileText(p).parse(await t.exec(fileText(p).command, { readOnly: true })) } as CheckContext;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('service manager command: the generated shell on real processes (/bin/sh, sleep)', function () {
  this.timeout(20_000);
  const local = new LocalTransport('local');
  const started: number[] = [];
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'amq-daemon-'));
  });

  after(async () => {
    for (const pid of started) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('start returns at once with its pipes closed, the pidfile names the detached process, stop kills it and removes the pidfile', async () => {
    const d: Daemon = { name: 'sleeper', start: 'sleep 300', pidfile: join(dir, 'run dir', 'sleeper.pid'), log: join(dir, 'sleeper.log'), chdir: dir };
    await local.exec(cmd('mkdir', '-p', join(dir, 'run dir')));
    const ctx = localCtx(local);
    assert.equal(await daemonRunning(ctx, d), false);

    const t0 = Date.now();
    const r = await local.exec(startCommand(d));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Date.now() - t0 < 3000, 'start returned without waiting for the process');
    const pid = parsePid(readFileSync(d.pidfile!, 'utf8'));
    assert.ok(pid, 'pidfile holds a pid');
    started.push(pid);
    // nohup and setsid exec into the service, so the pid becomes `sleep 300` itself.
    await until('the pid to run sleep', () => readFileSync(`/proc/${pid}/cmdline`, 'utf8') === 'sleep\x00300\x00');
    assert.equal(readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[5], String(pid), 'it leads its own session');
    assert.equal(await daemonRunning(ctx, d), true);

    const stop = await local.exec(killCommand(d.pidfile!));
    assert.equal(stop.code, 0, stop.stderr);
    await until('the sleeper to be gone', () => !alive(pid) || /State:\s*Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8')));
    assert.equal(existsSync(d.pidfile!), false);
    assert.equal(await daemonRunning(ctx, d), false);
    assert.equal((await local.exec(killCommand(d.pidfile!))).code, 0, 'stopping a stopped service succeeds');
  });

  it('stop sends SIGKILL to a process that ignores SIGTERM once the wait is over', async () => {
    const d: Daemon = { name: 'stubborn', start: `sh -c ${q("trap '' TERM; exec sleep 300")}`, pidfile: join(dir, 'stubborn.pid') };
    assert.equal((await local.exec(startCommand(d))).code, 0);
    const pid = parsePid(readFileSync(d.pidfile!, 'utf8'))!;
    started.push(pid);
    await until('the pid to run sleep', () => readFileSync(`/proc/${pid}/cmdline`, 'utf8') === 'sleep\x00300\x00');
    const t0 = Date.now();
    assert.equal((await local.exec(killCommand(d.pidfile!, 1))).code, 0);
    assert.ok(Date.now() - t0 >= 900, 'it waited for SIGTERM first');
    await until('the stubborn sleeper to be gone', () => !alive(pid) || /State:\s*Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8')));
    assert.equal(existsSync(d.pidfile!), false);
  });

  it('a missing chdir fails the start instead of starting elsewhere', async () => {
    const d: Daemon = { name: 'nowhere', start: 'sleep 300', pidfile: join(dir, 'nowhere.pid'), chdir: join(dir, 'missing') };
    const r = await local.exec(startCommand(d));
    assert.notEqual(r.code, 0);
    assert.equal(existsSync(d.pidfile!), false);
  });

  it('a zombie answers kill -0 but counts as stopped', async () => {
    const pidfile = join(dir, 'zombie.pid');
    // The child exits after its parent has exec'd into sleep, which never reaps it. (A child that
    // exits at once may be reaped by the shell before the exec, on a loaded machine.)
    const parent = spawn('sh', ['-c', `sleep 0.5 & echo $! > ${q(pidfile)}; exec sleep 30`], { stdio: 'ignore' });
    started.push(parent.pid!);
    await until('the zombie', () => {
      const pid = existsSync(pidfile) ? parsePid(readFileSync(pidfile, 'utf8')) : undefined;
      return pid !== undefined && existsSync(`/proc/${pid}/status`) && /State:\s*Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
    });
    const zombie = parsePid(readFileSync(pidfile, 'utf8'))!;
    assert.equal(alive(zombie), true, 'kill -0 still succeeds on a zombie');
    assert.equal(await daemonRunning(localCtx(local), { name: 'z', pidfile }), false);
  });
});
