import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awaitProcess } from '../../runner/src/modules/lib/process-check.js';
import { killCommand, startCommand } from '../../runner/src/modules/lib/daemon.js';
import { change, ok, type Change, type ChangePlan } from '../../runner/src/modules/lib/plan.js';
import { service, type ServiceParams } from '../../runner/src/modules/service.js';
import type { ExecResult } from '../../runner/src/transport/transport.js';
import { FakeHost } from '../helpers/fake-host.js';

const res = (code: number, stdout = ''): ExecResult => ({ code, stdout, stderr: '' });
const DONE = res(0);
const run = (cmd: string, why: string): Change => ({ kind: 'command', cmd, why, declared: true });
const params = (p: Partial<ServiceParams>): ServiceParams => ({ name: 'activemq', manager: 'auto', ...p });
const check = (host: FakeHost, p: ServiceParams) => service.check!(host.ctx(), p);
/** A plan that (re)starts the service: the engine knows it then runs every earlier change. */
const starting = (name: string, plan: ChangePlan): ChangePlan => ({ ...plan, starts: name });
const commands = (h: FakeHost) => h.writes.map((w) => w.replace(/^command: /, ''));

/** A systemd host whose unit state follows the systemctl commands run on it. */
function systemdHost(state: { active: boolean; enabled: string }): FakeHost {
  return new FakeHost()
    .on('cat /proc/1/comm', res(0, 'systemd\n'))
    .on('systemctl is-active activemq', () => res(state.active ? 0 : 3, state.active ? 'active\n' : 'inactive\n'))
    .on('systemctl is-enabled activemq', () => res(state.enabled === 'disabled' ? 1 : 0, `${state.enabled}\n`))
    .on(/^systemctl (start|restart|reload) activemq$/, DONE, () => (state.active = true))
    .on('systemctl stop activemq', DONE, () => (state.active = false))
    .on('systemctl enable activemq', DONE, () => (state.enabled = 'enabled'))
    .on('systemctl disable activemq', DONE, () => (state.enabled = 'disabled'));
}

/** A SysV host (PID 1 is not systemd): `service` and update-rc.d links. */
function sysvHost(state: { running: boolean; links: 'S' | 'K' | 'none' }, enabler = '/usr/sbin/update-rc.d\n'): FakeHost {
  return new FakeHost()
    .on('cat /proc/1/comm', res(0, 'process_api\n'))
    .on('service activemq status', () => res(state.running ? 0 : 3))
    .on(/^for f in \/etc\/rc\?\.d\/S\?\?activemq; /, () => res(state.links === 'S' ? 0 : 1))
    .on('command -v update-rc.d || command -v chkconfig', res(enabler ? 0 : 127, enabler))
    .on(/^service activemq (start|restart|reload)$/, DONE, () => (state.running = true))
    .on('service activemq stop', DONE, () => (state.running = false))
    .on('update-rc.d activemq defaults', DONE, () => (state.links = state.links === 'none' ? 'S' : state.links))
    .on('update-rc.d activemq enable', DONE, () => (state.links = 'S'))
    .on('update-rc.d activemq disable', DONE, () => (state.links = 'K'))
    .on(/^chkconfig activemq (on|off)$/, DONE, (h, c) => (state.links = c.endsWith('on') ? 'S' : 'K'));
}

describe('service module', () => {
  describe('systemd (detected from PID 1)', () => {
    it('plans enable and start when the unit is disabled and stopped', async () => {
      const host = systemdHost({ active: false, enabled: 'disabled' });
      assert.deepEqual(
        await check(host, params({ state: 'started', enabled: true })),
        starting('activemq', change('enable and start activemq', run('systemctl enable activemq', 'enable activemq'), run('systemctl start activemq', 'start activemq'))),
      );
    });

    it('is ok when running and enabled', async () => {
      const host = systemdHost({ active: true, enabled: 'enabled' });
      assert.deepEqual(await check(host, params({ state: 'started', enabled: true })), ok('activemq enabled, running'));
    });

    it('is ok on the next check once the plan is applied', async () => {
      const host = systemdHost({ active: false, enabled: 'disabled' });
      host.apply(await check(host, params({ state: 'started', enabled: true })));
      assert.deepEqual(commands(host), ['systemctl enable activemq', 'systemctl start activemq']);
      assert.equal((await check(host, params({ state: 'started', enabled: true }))).status, 'ok');
      host.apply(await check(host, params({ state: 'stopped', enabled: false })));
      assert.deepEqual(await check(host, params({ state: 'stopped', enabled: false })), ok('activemq disabled, stopped'));
    });

    it('restarted always restarts; reloaded reloads a running unit and starts a stopped one', async () => {
      const running = systemdHost({ active: true, enabled: 'enabled' });
      assert.deepEqual(await check(running, params({ state: 'restarted' })), starting('activemq', change('restart activemq', run('systemctl restart activemq', 'restart activemq'))));
      assert.deepEqual(await check(running, params({ state: 'reloaded' })), starting('activemq', change('reload activemq', run('systemctl reload activemq', 'reload activemq'))));
      const stopped = systemdHost({ active: false, enabled: 'enabled' });
      assert.deepEqual(await check(stopped, params({ state: 'reloaded' })), starting('activemq', change('start activemq', run('systemctl start activemq', 'start activemq'))));
    });

    it('a handler whose service an earlier task started after the changes that notified it: nothing to restart, enabling still checked', async () => {
      const host = systemdHost({ active: false, enabled: 'disabled' });
      const ctx = host.ctx({ startedAfterNotice: { activemq: 'ActiveMQ is running' } });
      assert.deepEqual(await service.check!(ctx, params({ state: 'restarted' })), ok("activemq not restarted: 'ActiveMQ is running' started it after the changes that asked for this, so it runs them already"));
      assert.deepEqual(await service.check!(ctx, params({ state: 'restarted', enabled: true })), change('enable activemq', run('systemctl enable activemq', 'enable activemq')));
      assert.equal((await service.check!(host.ctx({ startedAfterNotice: { other: 'x' } }), params({ state: 'restarted' }))).status, 'change', 'another service started: this one restarts');
    });

    it('a static unit is neither enabled nor disabled', async () => {
      const host = systemdHost({ active: true, enabled: 'static' });
      assert.deepEqual(await check(host, params({ enabled: false })), ok('activemq static unit, enabled as it is'));
    });

    it('an unknown unit is a clear failure when enabled is asked', async () => {
      const host = new FakeHost().on('systemctl is-enabled nope', { code: 1, stdout: '', stderr: 'Failed to get unit file state for nope.service: No such file or directory\n' });
      await assert.rejects(check(host, { name: 'nope', manager: 'systemd', enabled: true }), /cannot tell whether nope is enabled: Failed to get unit file state/);
    });
  });

  describe('sysv (PID 1 is not systemd)', () => {
    it('plans update-rc.d defaults + enable and service start', async () => {
      const host = sysvHost({ running: false, links: 'K' });
      assert.deepEqual(
        await check(host, params({ state: 'started', enabled: true })),
        starting(
          'activemq',
          change(
            'enable and start activemq',
            run('update-rc.d activemq defaults', 'links for activemq'),
            run('update-rc.d activemq enable', 'enable activemq'),
            run('service activemq start', 'start activemq'),
          ),
        ),
      );
    });

    it('is ok when running with start links, and after applying the plan', async () => {
      assert.deepEqual(await check(sysvHost({ running: true, links: 'S' }), params({ state: 'started', enabled: true })), ok('activemq enabled, running'));
      const host = sysvHost({ running: false, links: 'none' });
      host.apply(await check(host, params({ state: 'started', enabled: true })));
      assert.equal((await check(host, params({ state: 'started', enabled: true }))).status, 'ok');
      host.apply(await check(host, params({ state: 'stopped', enabled: false })));
      assert.ok(commands(host).includes('update-rc.d activemq disable'));
      assert.deepEqual(await check(host, params({ state: 'stopped', enabled: false })), ok('activemq disabled, stopped'));
    });

    it('uses chkconfig where there is no update-rc.d, and fails clearly with neither', async () => {
      const rh = sysvHost({ running: true, links: 'K' }, '/sbin/chkconfig\n');
      assert.deepEqual(await check(rh, params({ enabled: true })), change('enable activemq', run('chkconfig activemq on', 'enable activemq')));
      await assert.rejects(check(sysvHost({ running: true, links: 'K' }, ''), params({ enabled: true })), /neither update-rc.d nor chkconfig is installed/);
    });

    it('restarted runs service restart', async () => {
      assert.deepEqual(await check(sysvHost({ running: true, links: 'S' }), params({ state: 'restarted' })), starting('activemq', change('restart activemq', run('service activemq restart', 'restart activemq'))));
    });
  });

  describe('command (a plain process with a pidfile)', () => {
    it("a start whose pidfile's directory does not exist fails saying so, before anything starts", async () => {
      const BAD = { name: 'x', manager: 'command' as const, start: 'sleep 9', pidfile: '/nowhere/x.pid', state: 'started' as const };
      await assert.rejects(check(new FakeHost(), BAD), (e: Error) => e.message === 'cannot create /nowhere/x.pid: the directory /nowhere does not exist (create it first with a directory task)');
    });

    const BROKER = {
      name: 'broker1',
      manager: 'command' as const,
      start: '/lab/run-broker.sh /lab/broker1',
      pidfile: '/lab/broker1/pid',
      log: '/lab/broker1/stdout.log',
      chdir: '/lab/broker1',
    };
    const START = "cd /lab/broker1 || exit 1; nohup setsid /lab/run-broker.sh /lab/broker1 > /lab/broker1/stdout.log 2>&1 < /dev/null & echo $! > /lab/broker1/pid";

    /** The pid a started process gets; its /proc status and the pidfile follow the commands. */
    function processHost(): FakeHost {
      return new FakeHost()
        .dir('/lab/broker1')
        .on(START, DONE, (h) => h.file('/lab/broker1/pid', '4242\n').file('/proc/4242/status', 'Name:\tjava\nState:\tS (sleeping)\n'))
        .on(killCommand('/lab/broker1/pid'), DONE, (h) => {
          h.entries.delete('/proc/4242/status');
          h.entries.delete('/lab/broker1/pid');
        });
    }

    it('starts detached in the form that returns at once over SSH', async () => {
      assert.deepEqual(await check(processHost(), { ...BROKER, state: 'started' }), starting('broker1', change('start broker1', { kind: 'command', cmd: START, why: 'start broker1', creates: ['/lab/broker1/pid'], declared: true })));
    });

    it('is ok when the pid in the pidfile is alive, and after applying the plan', async () => {
      const host = processHost();
      host.apply(await check(host, { ...BROKER, state: 'started' }));
      assert.deepEqual(await check(host, { ...BROKER, state: 'started' }), ok('broker1 running'));
      const plan = await check(host, { ...BROKER, state: 'stopped' });
      assert.deepEqual(plan, change('stop broker1', { kind: 'command', cmd: killCommand('/lab/broker1/pid'), why: 'stop broker1', removes: ['/lab/broker1/pid'], declared: true }));
      host.apply(plan);
      assert.deepEqual(await check(host, { ...BROKER, state: 'stopped' }), ok('broker1 stopped'));
    });

    it('a zombie pid counts as stopped', async () => {
      const host = processHost().file('/lab/broker1/pid', '4242\n').file('/proc/4242/status', 'Name:\tjava\nState:\tZ (zombie)\n');
      assert.deepEqual(await check(host, { ...BROKER, state: 'stopped' }), ok('broker1 stopped'));
      assert.equal((await check(host, { ...BROKER, state: 'started' })).status, 'change');
    });

    it('a pidfile naming a gone process, or holding no pid, counts as stopped', async () => {
      assert.deepEqual(await check(processHost().file('/lab/broker1/pid', '4242\n'), { ...BROKER, state: 'stopped' }), ok('broker1 stopped'));
      assert.deepEqual(await check(processHost().file('/lab/broker1/pid', 'garbage'), { ...BROKER, state: 'stopped' }), ok('broker1 stopped'));
    });

    it('restarted = stop then start when running, just start when not', async () => {
      const host = processHost();
      assert.deepEqual(await check(host, { ...BROKER, state: 'restarted' }), starting('broker1', change('start broker1', { kind: 'command', cmd: START, why: 'start broker1', creates: ['/lab/broker1/pid'], declared: true })));
      host.apply(await check(host, { ...BROKER, state: 'started' }));
      const plan = await check(host, { ...BROKER, state: 'restarted' });
      assert.deepEqual(plan.status === 'change' && plan.changes.map((c) => c.kind === 'command' && c.why), ['stop broker1', 'start broker1']);
      const reload = await check(host, { ...BROKER, state: 'reloaded' });
      assert.deepEqual(reload.status === 'change' && reload.changes, plan.status === 'change' && plan.changes);
    });

    it('status and stop commands, when given, replace the pidfile logic', async () => {
      const p = { name: 'hub', manager: 'command' as const, start: 'hubd --foreground', status: 'hubctl ping', stop: 'hubctl shutdown' };
      const host = new FakeHost().on('hubctl ping', res(0));
      assert.deepEqual(await check(host, { ...p, state: 'stopped' }), change('stop hub', run('hubctl shutdown', 'stop hub')));
      host.on('hubctl ping', res(1));
      assert.deepEqual(await check(host, { ...p, state: 'started' }), starting('hub', change('start hub', run('nohup setsid hubd --foreground > /dev/null 2>&1 < /dev/null &', 'start hub'))));
    });

    it('quotes chdir, log and pidfile', () => {
      assert.equal(
        startCommand({ name: 'x', start: 'run.sh', chdir: "/srv/it's here", log: '/var/log/a b.log', pidfile: '/run/a b.pid' }),
        `cd '/srv/it'\\''s here' || exit 1; nohup setsid run.sh > '/var/log/a b.log' 2>&1 < /dev/null & echo $! > '/run/a b.pid'`,
      );
    });
  });

  describe('process: the JVM decides, not the init script', () => {
    const PROCESS = { pidfile: '/var/run/activemq/main.pid', cmdline: 'java .*-Dactivemq\\.base=/var/lib/activemq/main( |$)', wait: 60 };
    const JVM = '/bin/java -Xms1024M -Xmx1024M -Dactivemq.base=/var/lib/activemq/main -Dactivemq.conf=/etc/activemq/instances-enabled/main -jar activemq.jar start';
    const CMDLINE = "tr '\\0' ' ' < /proc/438/cmdline";

    /** Debian's init script: `status` and `start` exit 0 whatever happens; `enabled` says whether an instance is linked. */
    function debianHost(o: { jvm: boolean; enabled: boolean }): FakeHost {
      const host = new FakeHost()
        .on('cat /proc/1/comm', res(0, 'tini\n'))
        .on('service activemq status', DONE)
        .on(CMDLINE, () => (o.jvm ? res(0, `${JVM} `) : res(1)))
        .on('service activemq start', DONE, (h) => {
          if (o.enabled) {
            o.jvm = true;
            h.file('/var/run/activemq/main.pid', '438\n');
          }
        })
        .on(/^i=0; until pid=/, () => (o.jvm ? res(0, 'activemq runs: pid 438\n') : res(1)));
      if (o.jvm) host.file('/var/run/activemq/main.pid', '438\n');
      return host;
    }

    it('an init script that says "running" is not believed: no pid file, so it starts, then waits for the JVM', async () => {
      const host = debianHost({ jvm: false, enabled: true });
      const plan = await check(host, params({ state: 'started', process: PROCESS }));
      assert.equal(plan.status === 'change' && plan.summary, 'start activemq (not running: no /var/run/activemq/main.pid)');
      assert.deepEqual(plan.status === 'change' && plan.changes.map((c) => c.kind === 'command' && c.why), ['start activemq', "activemq runs: its process, not the exit code of 'service activemq start'"]);
      host.apply(plan);
      assert.deepEqual(
        await check(host, params({ state: 'started', process: PROCESS })),
        ok('activemq running (its process: pid 438 from /var/run/activemq/main.pid, /bin/java, command line matching /java .*-Dactivemq\\.base=/var/lib/activemq/main( |$)/)'),
      );
    });

    it('a pid that runs something else is not the service', async () => {
      const host = debianHost({ jvm: false, enabled: true }).file('/var/run/activemq/main.pid', '438\n').on(CMDLINE, res(0, 'sleep 100 '));
      const plan = await check(host, params({ state: 'started', process: PROCESS }));
      assert.match(plan.status === 'change' ? plan.summary : '', /not running: pid 438 from \/var\/run\/activemq\/main\.pid runs 'sleep 100', which does not match/);
    });

    it("the wait after the start fails, saying so, when the script's exit 0 started nothing", () => {
      const wait = awaitProcess('activemq', { ...PROCESS, pidfile: '/nonexistent/main.pid', wait: 1 }, 'service activemq start');
      const r = spawnSync('sh', ['-c', wait.kind === 'command' ? wait.cmd : 'false'], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.equal(r.stderr, "activemq did not start: no process in /nonexistent/main.pid matches /java .*-Dactivemq\\.base=/var/lib/activemq/main( |$)/ 1 s after 'service activemq start' (its exit code said it did)\n");
    });

    it('the wait succeeds for a process that runs', () => {
      const dir = mkdtempSync(join(tmpdir(), 'amq-proc-'));
      try {
        writeFileSync(join(dir, 'pid'), `${process.pid}\n`);
        const wait = awaitProcess('node', { pidfile: join(dir, 'pid'), cmdline: 'node', wait: 2 }, 'start');
        const r = spawnSync('sh', ['-c', wait.kind === 'command' ? wait.cmd : 'false'], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout, `node runs: pid ${process.pid}\n`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('daemon_reload: systemctl daemon-reload first on systemd, nothing to do on SysV', async () => {
      const sd = systemdHost({ active: true, enabled: 'enabled' }).on('systemctl daemon-reload', DONE);
      assert.deepEqual(
        await check(sd, params({ daemon_reload: true, state: 'restarted' })),
        starting('activemq', change('reload units for and restart activemq', run('systemctl daemon-reload', 'reload unit files'), run('systemctl restart activemq', 'restart activemq'))),
      );
      assert.deepEqual(await check(sysvHost({ running: true, links: 'S' }), params({ daemon_reload: true })), ok('activemq no systemd: no unit files to reload'));
    });
  });

  it('check() never writes, in any state', async () => {
    const hosts = [systemdHost({ active: true, enabled: 'disabled' }), sysvHost({ running: false, links: 'S' })];
    for (const host of hosts) {
      for (const state of ['started', 'stopped', 'restarted', 'reloaded'] as const) {
        for (const enabled of [true, false]) await check(host, params({ state, enabled }));
      }
      assert.deepEqual(host.writes, []);
    }
    const proc = new FakeHost().file('/run/x.pid', '77\n').file('/proc/77/status', 'State:\tR (running)\n');
    for (const state of ['started', 'stopped', 'restarted', 'reloaded'] as const) await check(proc, { name: 'x', manager: 'command', start: 'x', pidfile: '/run/x.pid', state });
    assert.deepEqual(proc.writes, []);
    assert.deepEqual(proc.reads, []);
  });
});
