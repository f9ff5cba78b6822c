import assert from 'node:assert/strict';
import { CheckFailed } from '../../runner/src/modules/lib/context.js';
import { packageManager } from '../../runner/src/modules/facts/os.js';
import { pkg, type PackageParams } from '../../runner/src/modules/package.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { FakeHost } from '../helpers/fake-host.js';

const DPKG = /^dpkg-query -W '-f=\$\{Package\}\\t\$\{db:Status-Abbrev\}\\n' /;
const RPM = /^rpm -q --qf '%\{NAME\}\\n' /;
const DONE = { code: 0, stdout: '', stderr: '' };
const APT_INSTALL = /^DEBIAN_FRONTEND=noninteractive apt-get install -y /;

/** Names after a fixed command prefix. */
const namesIn = (cmd: string, prefix: RegExp) => cmd.replace(prefix, '').split(' ');

/** A Debian host whose dpkg database is `installed` (name → status letters). */
function debian(installed: Record<string, string>): FakeHost {
  const host = new FakeHost().on(packageManager.command, { code: 0, stdout: 'apt-get\n', stderr: '' });
  host.on(DPKG, (cmd) => {
    const names = namesIn(cmd, DPKG);
    const known = names.filter((n) => n in installed);
    const unknown = names.filter((n) => !(n in installed));
    return {
      code: unknown.length ? 1 : 0,
      stdout: known.map((n) => `${n}\t${installed[n]}\n`).join(''),
      stderr: unknown.map((n) => `dpkg-query: no packages found matching ${n}\n`).join(''),
    };
  });
  host.on(APT_INSTALL, DONE, (_, cmd) => {
    for (const n of namesIn(cmd, APT_INSTALL)) installed[n] = 'ii ';
  });
  host.on(/^DEBIAN_FRONTEND=noninteractive apt-get remove -y /, DONE, (_, cmd) => {
    for (const n of namesIn(cmd, /^DEBIAN_FRONTEND=noninteractive apt-get remove -y /)) installed[n] = 'rc ';
  });
  host.on('apt-get update', DONE);
  return host;
}

/** A RHEL-like host with dnf (and yum beside it) and these packages installed. */
function rhel(installed: Set<string>): FakeHost {
  const host = new FakeHost().on(packageManager.command, { code: 0, stdout: 'dnf\nyum\n', stderr: '' });
  host.on(RPM, (cmd) => {
    const names = namesIn(cmd, RPM);
    const missing = names.filter((n) => !installed.has(n));
    return { code: missing.length, stdout: names.map((n) => (installed.has(n) ? `${n}\n` : `package ${n} is not installed\n`)).join(''), stderr: '' };
  });
  host.on(/^dnf install -y /, DONE, (_, cmd) => namesIn(cmd, /^dnf install -y /).forEach((n) => installed.add(n)));
  return host;
}

const params = (p: Partial<PackageParams> & Pick<PackageParams, 'name'>): PackageParams => ({ state: 'present', manager: 'auto', update_cache: false, ...p });
const check = (host: FakeHost, p: PackageParams) => pkg.check!(host.ctx(), p);

describe('package module', () => {
  it('apt: installs what is missing', async () => {
    const plan = await check(debian({}), params({ name: 'nfs-kernel-server' }));
    assert.deepEqual(plan, change('install nfs-kernel-server', { kind: 'command', cmd: 'DEBIAN_FRONTEND=noninteractive apt-get install -y nfs-kernel-server' }));
  });

  it('apt: ok when installed', async () => {
    assert.deepEqual(await check(debian({ 'nfs-kernel-server': 'ii ' }), params({ name: 'nfs-kernel-server' })), ok('nfs-kernel-server already installed'));
  });

  it('apt: ok on the second run once installed', async () => {
    const host = debian({});
    const p = params({ name: ['activemq', 'default-jre-headless'], update_cache: true });
    host.apply(await check(host, p));
    assert.deepEqual(host.writes, ['command: apt-get update', 'command: DEBIAN_FRONTEND=noninteractive apt-get install -y activemq default-jre-headless']);
    assert.deepEqual(await check(host, p), ok('activemq, default-jre-headless already installed'));
  });

  it('only reads the host while checking', async () => {
    const host = debian({ bash: 'ii ' });
    await check(host, params({ name: ['bash', 'haproxy'], update_cache: true }));
    await check(host, params({ name: 'bash', state: 'absent' }));
    assert.deepEqual(host.writes, []);
    assert.ok(host.reads.every((c) => c === packageManager.command || DPKG.test(c)), host.reads.join('\n'));
  });

  it('apt: a partly installed list installs only the missing ones, after apt-get update', async () => {
    const plan = await check(debian({ 'default-jre-headless': 'ii ', activemq: 'rc ' }), params({ name: ['activemq', 'default-jre-headless', 'haproxy'], update_cache: true }));
    assert.deepEqual(
      plan,
      change(
        'install activemq, haproxy',
        { kind: 'command', cmd: 'apt-get update', why: 'update_cache' },
        { kind: 'command', cmd: 'DEBIAN_FRONTEND=noninteractive apt-get install -y activemq haproxy' },
      ),
    );
  });

  it('apt: absent removes only the installed ones, and is ok once they are gone', async () => {
    const host = debian({ haproxy: 'ii ', activemq: 'rc ' });
    const p = params({ name: ['haproxy', 'activemq', 'nosuch'], state: 'absent' });
    const plan = await check(host, p);
    assert.deepEqual(plan, change('remove haproxy', { kind: 'command', cmd: 'DEBIAN_FRONTEND=noninteractive apt-get remove -y haproxy' }));
    host.apply(plan);
    assert.deepEqual(await check(host, p), ok('haproxy, activemq, nosuch already absent'));
  });

  it('dnf: queries rpm and installs the missing ones with dnf', async () => {
    const host = rhel(new Set(['bash']));
    const p = params({ name: ['bash', 'nfs-utils'] });
    const plan = await check(host, p);
    assert.deepEqual(plan, change('install nfs-utils', { kind: 'command', cmd: 'dnf install -y nfs-utils' }));
    assert.deepEqual(host.reads, [packageManager.command, "rpm -q --qf '%{NAME}\\n' bash nfs-utils"]);
    host.apply(plan);
    assert.deepEqual(await check(host, p), ok('bash, nfs-utils already installed'));
  });

  it('yum, named by the task: no detection, yum makecache for update_cache', async () => {
    const host = rhel(new Set());
    const plan = await check(host, params({ name: 'haproxy', manager: 'yum', update_cache: true }));
    assert.deepEqual(plan, change('install haproxy', { kind: 'command', cmd: 'yum makecache', why: 'update_cache' }, { kind: 'command', cmd: 'yum install -y haproxy' }));
    assert.ok(!host.reads.includes(packageManager.command));
  });

  it('a package name is passed quoted', async () => {
    const plan = await check(debian({}), params({ name: "x; rm -rf /'" }));
    assert.deepEqual(plan.status === 'change' && plan.changes.map((c) => c.kind === 'command' && c.cmd), [`DEBIAN_FRONTEND=noninteractive apt-get install -y 'x; rm -rf /'\\'''`]);
  });

  it('fails clearly when no package manager is found', async () => {
    const host = new FakeHost().on(packageManager.command, DONE);
    await assert.rejects(check(host, params({ name: 'haproxy' })), (e: Error) => e instanceof CheckFailed && /no supported package manager on h1: none of apt-get, dnf or yum/.test(e.message));
  });

  it('fails with dpkg-query’s message when the database cannot be read', async () => {
    const host = new FakeHost().on(DPKG, { code: 2, stdout: '', stderr: "dpkg-query: error: unable to open/read status database '/var/lib/dpkg/status'\n" });
    await assert.rejects(check(host, params({ name: 'haproxy', manager: 'apt' })), (e: Error) => e instanceof CheckFailed && /cannot tell which packages are installed: dpkg-query: error: unable to open/.test(e.message) && (e as CheckFailed).command?.code === 2);
  });
});
