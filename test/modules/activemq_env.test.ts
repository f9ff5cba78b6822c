import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activemqEnv, editEnv, jvmOptions, type ActivemqEnvParams } from '../../runner/src/modules/activemq_env.js';
import { ok } from '../../runner/src/modules/lib/plan.js';
import { FakeHost } from '../helpers/fake-host.js';
import { fixture } from '../helpers/paths.js';

const OPTIONS = '/etc/activemq/instances-available/main/options';
const SEED = '/usr/share/activemq/activemq-options';
const DEBIAN = readFileSync(fixture('activemq', 'debian-activemq-options'), 'utf8');
const P: ActivemqEnvParams = { file: OPTIONS, seed: SEED, opts_variable: 'ACTIVEMQ_OPTS', heap_mb: 1024, out: '/var/log/activemq/main.out', require_mount: '/shared/activemq-data', service: 'activemq' };
const check = (host: FakeHost, p: ActivemqEnvParams = P) => activemqEnv.check!(host.ctx(), p);
const debianHost = () => new FakeHost().dir('/etc/activemq/instances-available/main').file(SEED, DEBIAN);

describe('activemq_env module', () => {
  it('heap replaces -Xms and -Xmx and keeps the other options; jvm_options replace the others', () => {
    assert.equal(jvmOptions('-Xms512M -Xmx512M -Dorg.apache.activemq.UseDedicatedTaskRunner=true', 1024, undefined), '-Xms1024M -Xmx1024M -Dorg.apache.activemq.UseDedicatedTaskRunner=true');
    assert.equal(jvmOptions('-Xms512M -Xmx512M -Dx', undefined, ['-XX:+UseG1GC', '-Dname="a b"']), '-Xms512M -Xmx512M -XX:+UseG1GC -Dname=\\"a b\\"');
    assert.equal(jvmOptions(undefined, 64, []), '-Xms64M -Xmx64M');
  });

  it("starts from Debian's defaults (Debian reads one file or the other): heap, output and the guard, other lines byte for byte", async () => {
    const plan = await check(debianHost());
    assert.equal(plan.status, 'change');
    if (plan.status !== 'change') return;
    const file = plan.changes[0];
    assert.ok(file.kind === 'file');
    if (file.kind !== 'file') return;
    assert.equal(file.before, null);
    assert.deepEqual(file.details, [
      `a copy of ${SEED}`,
      'ACTIVEMQ_OPTS: -Xms512M -Xmx512M -Dorg.apache.activemq.UseDedicatedTaskRunner=true -> -Xms1024M -Xmx1024M -Dorg.apache.activemq.UseDedicatedTaskRunner=true',
      'ACTIVEMQ_OUT: /dev/null -> /var/log/activemq/main.out',
      'store guard: added (starts refuse while /shared/activemq-data is not mounted)',
    ]);
    const guardAt = file.after.indexOf('# BEGIN amq-runbook store guard');
    assert.equal(file.after.slice(0, guardAt), DEBIAN.replace('-Xms512M -Xmx512M', '-Xms1024M -Xmx1024M').replace('ACTIVEMQ_OUT="/dev/null"', 'ACTIVEMQ_OUT="/var/log/activemq/main.out"'));
    assert.match(file.after, /# END amq-runbook store guard\n$/);
  });

  it('is ok once applied; a change of one setting touches only its line', async () => {
    const host = debianHost();
    host.apply(await check(host));
    assert.deepEqual(await check(host), ok(`${OPTIONS} already has these settings`));
    const before = host.content(OPTIONS)!;
    const plan = await check(host, { ...P, heap_mb: 2048 });
    assert.ok(plan.status === 'change' && plan.changes[0].kind === 'file');
    if (plan.status === 'change' && plan.changes[0].kind === 'file') assert.equal(plan.changes[0].after, before.replace('-Xms1024M -Xmx1024M', '-Xms2048M -Xmx2048M'));
    const noGuard = editEnv(before, { ...P, require_mount: undefined });
    assert.deepEqual(noGuard.details, ['store guard: removed']);
    assert.doesNotMatch(noGuard.text, /store guard/);
  });

  it('without the file and without a seed: a clear failure', async () => {
    await assert.rejects(check(new FakeHost(), { ...P, seed: undefined }), /options does not exist; give seed/);
    await assert.rejects(check(new FakeHost(), P), /neither does its seed \/usr\/share\/activemq\/activemq-options: is ActiveMQ installed\?/);
  });

  it('check() never writes', async () => {
    const host = debianHost();
    await check(host);
    assert.deepEqual(host.writes, []);
  });

  describe('the guard, sourced by a real shell as the start scripts source it', () => {
    let dir: string;
    before(() => (dir = mkdtempSync(join(tmpdir(), 'amq-env-'))));
    after(() => rmSync(dir, { recursive: true, force: true }));

    const sourced = (text: string, arg: string) => {
      const file = join(dir, 'options');
      writeFileSync(file, text);
      return spawnSync('/bin/sh', ['-c', `. ${file}; echo "started with ACTIVEMQ_OPTS=$ACTIVEMQ_OPTS"`, 'start-script', ...(arg ? [arg] : [])], { encoding: 'utf8' });
    };

    it('refuses a start (init script: no argument; /usr/bin/activemq: start) when the store is not mounted, in stderr and the log', () => {
      const log = join(dir, 'main.out');
      writeFileSync(log, '');
      const text = editEnv(DEBIAN, { ...P, out: log, require_mount: dir }).text;
      for (const arg of ['', 'start', 'console']) {
        const r = sourced(text, arg);
        assert.equal(r.status, 1, `refused with '${arg}'`);
        assert.equal(r.stdout, '');
        assert.equal(r.stderr.trim(), `activemq: refusing to start: ${dir} is not mounted (the shared store); a broker on an empty local directory would become a second master`);
      }
      assert.equal(readFileSync(log, 'utf8').trim().split('\n').length, 3);
      assert.match(readFileSync(log, 'utf8'), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,000 \| ERROR \| activemq: refusing to start: /);
      assert.equal(sourced(text, 'stop').status, 0, 'stopping needs no store');
      assert.equal(sourced(text, 'status').status, 0);
    });

    it('lets the start go on when the store is a mount point', () => {
      const r = sourced(editEnv(DEBIAN, { ...P, require_mount: '/proc' }).text, 'start');
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, 'started with ACTIVEMQ_OPTS=-Xms1024M -Xmx1024M -Dorg.apache.activemq.UseDedicatedTaskRunner=true\n');
    });
  });
});
