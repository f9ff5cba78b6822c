import assert from 'node:assert/strict';
import { command } from '../../runner/src/modules/command.js';
import type { CommandParams } from '../../runner/src/modules/command.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { FakeHost } from '../helpers/fake-host.js';

const UNPACK = 'tar -xzf /tmp/apache-activemq-5.17.2-bin.tar.gz -C /opt';
const HOME = '/opt/apache-activemq-5.17.2';
const DONE = { code: 0, stdout: '', stderr: '' };

const check = (host: FakeHost, p: CommandParams) => command.check!(host.ctx(), p);

function unpackHost(): FakeHost {
  return new FakeHost().dir('/opt').on(UNPACK, DONE, (h) => h.dir(HOME));
}

describe('command module', () => {
  it('plans the command when the path it creates is missing', async () => {
    const plan = await check(unpackHost(), { cmd: UNPACK, creates: HOME });
    assert.deepEqual(plan, change(`run ${UNPACK}`, { kind: 'command', cmd: UNPACK, why: `${HOME} does not exist`, creates: [HOME], declared: true }));
  });

  it('is ok when the path it creates exists', async () => {
    const host = unpackHost().dir(HOME);
    assert.deepEqual(await check(host, { cmd: UNPACK, creates: HOME }), ok(`${HOME} already exists`));
  });

  it('is ok on the second run once the command ran', async () => {
    const host = unpackHost();
    host.apply(await check(host, { cmd: UNPACK, creates: HOME }));
    assert.deepEqual(host.writes, [`command: ${UNPACK}`]);
    assert.equal((await check(host, { cmd: UNPACK, creates: HOME })).status, 'ok');
  });

  it('only reads the host while checking', async () => {
    const host = unpackHost().on('test -f /etc/exports', { code: 1, stdout: '', stderr: '' });
    await check(host, { cmd: UNPACK, creates: HOME });
    await check(host, { cmd: 'rm -rf /tmp/x', removes: '/tmp/x' });
    await check(host, { cmd: 'touch /etc/exports', unless: 'test -f /etc/exports' });
    await check(host, { cmd: 'exportfs -ra' });
    assert.deepEqual(host.writes, []);
  });

  it('removes: plans while the path exists, ok once it is gone', async () => {
    const host = new FakeHost().file('/tmp/activemq.pid', '42\n').on('rm -f /tmp/activemq.pid', DONE, (h) => h.entries.delete('/tmp/activemq.pid'));
    const p = { cmd: 'rm -f /tmp/activemq.pid', removes: '/tmp/activemq.pid' };
    const plan = await check(host, p);
    assert.deepEqual(plan, change('run rm -f /tmp/activemq.pid', { kind: 'command', cmd: p.cmd, why: '/tmp/activemq.pid exists', removes: ['/tmp/activemq.pid'], declared: true }));
    host.apply(plan);
    assert.deepEqual(await check(host, p), ok('/tmp/activemq.pid already absent'));
  });

  it('unless: runs the read-only command and skips when it exits 0', async () => {
    const host = new FakeHost().on('grep -q activemq /etc/passwd', { code: 1, stdout: '', stderr: '' });
    const p = { cmd: 'useradd -r activemq', unless: 'grep -q activemq /etc/passwd' };
    assert.deepEqual(await check(host, p), change('run useradd -r activemq', { kind: 'command', cmd: p.cmd, why: 'grep -q activemq /etc/passwd exited 1' }));
    assert.deepEqual(host.reads, ['grep -q activemq /etc/passwd']);
    host.on('grep -q activemq /etc/passwd', DONE);
    assert.deepEqual(await check(host, p), ok('skipped: grep -q activemq /etc/passwd succeeded'));
  });

  it('a bare command plans a change on every run', async () => {
    const host = new FakeHost().on('exportfs -ra', DONE);
    const first = await check(host, { cmd: 'exportfs -ra' });
    assert.deepEqual(first, change('run exportfs -ra', { kind: 'command', cmd: 'exportfs -ra' }));
    host.apply(first);
    assert.deepEqual(await check(host, { cmd: 'exportfs -ra' }), first);
  });

  it('chdir: the command runs in the quoted directory and relative guards are relative to it', async () => {
    const host = new FakeHost().dir('/srv/my app');
    const plan = await check(host, { cmd: 'make', chdir: '/srv/my app', creates: 'build/out' });
    assert.deepEqual(plan, change('run make', { kind: 'command', cmd: "cd -- '/srv/my app' || exit 1; make", why: '/srv/my app/build/out does not exist', creates: ['/srv/my app/build/out'], declared: true }));
    host.file('/srv/my app/build/out', '');
    assert.deepEqual(await check(host, { cmd: 'make', chdir: '/srv/my app', creates: 'build/out' }), ok('/srv/my app/build/out already exists'));
  });

  it('a long multi-line command is shortened in the summary but run whole', async () => {
    const script = `set -e\n${'x'.repeat(100)}`;
    const plan = await check(new FakeHost(), { cmd: script });
    assert.deepEqual(plan, change('run set -e …', { kind: 'command', cmd: script }));
  });
});
