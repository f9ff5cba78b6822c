import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CheckFailed } from '../../runner/src/modules/lib/context.js';
import { HAPROXY_DEFAULTS, HAPROXY_GLOBAL, haproxy, type HaproxyParams } from '../../runner/src/modules/haproxy.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { FakeHost } from '../helpers/fake-host.js';
import { BROKERS, FORMAT_EXAMPLE, HA_SETUP, requireHaproxy } from '../helpers/haproxy.js';
import { fixture } from '../helpers/paths.js';
import { withRealShell } from '../helpers/real-shell.js';

const CFG = '/etc/haproxy/haproxy.cfg';
const PRECHECK = 'cat | haproxy -c -f /dev/stdin';
const params = (p: Partial<HaproxyParams> = {}): HaproxyParams => ({
  config: CFG,
  global: HAPROXY_GLOBAL,
  defaults: HAPROXY_DEFAULTS,
  frontends: FORMAT_EXAMPLE.frontends as HaproxyParams['frontends'],
  backends: FORMAT_EXAMPLE.backends as HaproxyParams['backends'],
  validate: 'haproxy -c -f %s',
  backup: false,
  ...p,
});
const EXAMPLE = readFileSync(fixture('haproxy', 'format-example.cfg'), 'utf8');
const HA = readFileSync(fixture('haproxy', 'ha-setup.cfg'), 'utf8');
const valid = { code: 0, stdout: 'Configuration file is valid\n', stderr: '' };
const fakeHost = () => new FakeHost().dir('/etc/haproxy').on(PRECHECK, valid);
const check = (host: FakeHost, p: HaproxyParams, dryRun = false) => haproxy.check!(host.ctx({ dryRun }), p);

describe('haproxy module', () => {
  it('plans the whole file, checked by haproxy before it is installed, and the reload', async () => {
    const plan = await check(fakeHost(), params({ reload: 'service haproxy reload' }));
    assert.deepEqual(plan, {
      ...change(
        `write ${CFG}`,
        { kind: 'file', path: CFG, before: null, after: EXAMPLE, validate: 'haproxy -c -f %s', details: ['4 sections written (new file)'] },
        { kind: 'command', cmd: 'service haproxy reload', why: `${CFG} changed`, declared: true },
      ),
    });
  });

  it('is ok when the file is already the rendered one, and then reloads nothing', async () => {
    const host = fakeHost().file(CFG, EXAMPLE);
    assert.deepEqual(await check(host, params({ reload: 'service haproxy reload' })), ok(`${CFG} is up to date`));
    assert.deepEqual(host.reads, [], 'no check of an unchanged file');
  });

  it('is ok on the second run once applied', async () => {
    const host = fakeHost().on('service haproxy reload', valid);
    host.apply(await check(host, params({ reload: 'service haproxy reload' })));
    assert.deepEqual(host.writes, [`file: ${CFG}`, 'command: service haproxy reload']);
    assert.equal(host.content(CFG), EXAMPLE);
    assert.equal((await check(host, params({ reload: 'service haproxy reload' }))).status, 'ok');
  });

  it('only reads the host while checking: the candidate is checked on stdin', async () => {
    const host = fakeHost().file(CFG, '# hand-written\n');
    await check(host, params());
    await check(host, params(), true);
    assert.deepEqual(host.writes, []);
    assert.deepEqual(host.reads, ['command -v haproxy', PRECHECK, 'command -v haproxy', PRECHECK]);
  });

  it('names the changed sections', async () => {
    const plan = await check(fakeHost().file(CFG, EXAMPLE), params({ frontends: HA_SETUP.frontends as HaproxyParams['frontends'], backends: HA_SETUP.backends as HaproxyParams['backends'] }));
    assert.equal(plan.status, 'change');
    if (plan.status !== 'change') return;
    assert.deepEqual(plan.changes, [{ kind: 'file', path: CFG, before: EXAMPLE, after: HA, validate: 'haproxy -c -f %s', details: ['frontend console_front: added', 'backend console_back: added'] }]);
  });

  it('checks with a custom validate command, the candidate on stdin', async () => {
    const host = new FakeHost().dir('/etc/haproxy').file('/opt/haproxy/sbin/haproxy', '', { mode: '0755' }).on('cat | /opt/haproxy/sbin/haproxy -c -q -f /dev/stdin', valid);
    const plan = await check(host, params({ validate: '/opt/haproxy/sbin/haproxy -c -q -f %s' }));
    assert.equal(plan.status, 'change');
  });

  it('haproxy not installed: a failure that says so (a dry-run after an earlier package install reports it unknown)', async () => {
    const host = new FakeHost().dir('/etc/haproxy');
    host.programs.delete('haproxy');
    for (const dryRun of [true, false]) {
      await assert.rejects(check(host, params(), dryRun), (e: Error) => e instanceof CheckFailed && e.message === `the new ${CFG} cannot be checked: haproxy is not installed on h1, so 'haproxy -c -f %s' cannot run`);
    }
  });

  it('refuses a value with a line break', async () => {
    await assert.rejects(check(fakeHost(), params({ defaults: ['mode tcp\nbackend x'] })), (e: Error) => e instanceof CheckFailed && /defaults holds a line break/.test(e.message));
  });

  describe('with the real haproxy', () => {
    before(requireHaproxy);

    const real = (host: FakeHost, p: HaproxyParams, dryRun = false) => {
      const ctx = withRealShell(host.ctx({ dryRun }));
      return { ctx, plan: haproxy.check!(ctx, p) };
    };

    it('accepts the HA setup, giving haproxy the candidate on stdin', async () => {
      const { ctx, plan } = real(new FakeHost().dir('/etc/haproxy'), params({ frontends: HA_SETUP.frontends as HaproxyParams['frontends'], backends: HA_SETUP.backends as HaproxyParams['backends'] }));
      assert.equal((await plan).status, 'change');
      assert.deepEqual(ctx.ran, [{ cmd: 'command -v haproxy' }, { cmd: PRECHECK, stdin: HA }]);
    });

    it('refuses, even in a dry-run, a server address haproxy rejects, with its message', async () => {
      const bad = params({ backends: [{ ...BROKERS, servers: [{ ...BROKERS.servers[0], address: '192.168.10.192:openwire' }] }] as HaproxyParams['backends'] });
      for (const dryRun of [false, true]) {
        await assert.rejects(real(new FakeHost().dir('/etc/haproxy'), bad, dryRun).plan, (e: Error) => {
          assert.ok(e instanceof CheckFailed);
          assert.match(e.message, /^haproxy refuses the new \/etc\/haproxy\/haproxy.cfg: line 28: 'server activemq_back\/broker1' : invalid character 'o' in port number 'openwire' in '192.168.10.192:openwire'$/);
          assert.equal(e.command?.code, 1);
          assert.equal(e.command?.cmd, PRECHECK);
          return true;
        });
      }
    });

    it('refuses an http frontend sending to a tcp backend', async () => {
      const bad = params({ frontends: HA_SETUP.frontends as HaproxyParams['frontends'], backends: [BROKERS, { ...HA_SETUP.backends[1], mode: 'tcp' }] as HaproxyParams['backends'] });
      await assert.rejects(real(new FakeHost().dir('/etc/haproxy'), bad).plan, (e: Error) => e instanceof CheckFailed && /http frontend 'console_front' \(line 24\) tries to use incompatible tcp backend 'console_back' \(line 36\)/.test(e.message));
    });
  });
});
