import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileScript } from '../../runner/src/engine/apply.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { storeGuardExecStartPre, storeGuardMessage } from '../../runner/src/modules/lib/store-guard.js';
import { systemdUnit, verifyCommand, type SystemdUnitParams } from '../../runner/src/modules/systemd_unit.js';
import { FakeHost } from '../helpers/fake-host.js';

const UNIT = '/etc/systemd/system/activemq.service';
const P: SystemdUnitParams = {
  name: 'activemq',
  dir: '/etc/systemd/system',
  description: 'Apache ActiveMQ',
  after: ['network-online.target', 'remote-fs.target'],
  requires_mounts_for: ['/shared/activemq-data'],
  mount_guard: true,
  type: 'forking',
  user: 'activemq',
  group: 'activemq',
  environment: [{ name: 'ACTIVEMQ_OPTS', value: '-Xms1024M -Xmx1024M -Dx="a b" 100%' }],
  exec_start: '/opt/activemq/bin/activemq start',
  exec_stop: '/opt/activemq/bin/activemq stop',
  pidfile: '/opt/activemq/data/activemq.pid',
  limit_nofile: 65536,
  wanted_by: 'multi-user.target',
  verify: true,
};

const GUARD = storeGuardExecStartPre('activemq', '/shared/activemq-data');
const TEXT = `# Managed by amq-runbook: edits made here are replaced on the next run.
[Unit]
Description=Apache ActiveMQ
After=network-online.target remote-fs.target
RequiresMountsFor=/shared/activemq-data

[Service]
Type=forking
User=activemq
Group=activemq
Environment="ACTIVEMQ_OPTS=-Xms1024M -Xmx1024M -Dx=\\"a b\\" 100%%"
ExecStartPre=${GUARD}
ExecStart=/opt/activemq/bin/activemq start
ExecStop=/opt/activemq/bin/activemq stop
PIDFile=/opt/activemq/data/activemq.pid
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
`;

const ANALYZE = '/usr/bin/systemd-analyze';

/** Writes a unit the way the engine does (temp file, validate, rename) on this machine; returns the script's exit code. */
function writeForReal(dir: string, text: string): number | null {
  const script = fileScript({ path: join(dir, 'activemq.service'), mode: '0644', validate: verifyCommand('activemq.service') });
  return spawnSync('sh', ['-c', script], { input: text, encoding: 'utf8' }).status;
}

describe('systemd_unit module', () => {
  it('plans the whole unit file, checked by systemd-analyze verify under its own name', async () => {
    const plan = await systemdUnit.check!(new FakeHost().dir('/etc/systemd/system').ctx(), P);
    assert.deepEqual(plan, change(`create ${UNIT}`, { kind: 'file', path: UNIT, before: null, after: TEXT, mode: '0644', validate: verifyCommand('activemq.service') }));
  });

  it('is ok when the unit is as wanted, and after applying the plan', async () => {
    assert.deepEqual(await systemdUnit.check!(new FakeHost().file(UNIT, TEXT).ctx(), P), ok(`${UNIT} already up to date`));
    const host = new FakeHost().dir('/etc/systemd/system').file(UNIT, TEXT.replace('65536', '1024'));
    host.apply(await systemdUnit.check!(host.ctx(), P));
    assert.equal(host.content(UNIT), TEXT);
    assert.equal((await systemdUnit.check!(host.ctx(), P)).status, 'ok');
  });

  it('without verify, no validate step', async () => {
    const plan = await systemdUnit.check!(new FakeHost().dir('/etc/systemd/system').ctx(), { ...P, verify: false });
    assert.equal(plan.status === 'change' && plan.changes[0].kind === 'file' && plan.changes[0].validate, undefined);
  });

  describe('on this machine (real systemd-analyze)', () => {
    let dir: string;
    before(() => {
      if (!existsSync(ANALYZE)) throw new Error(`${ANALYZE} is missing: install the systemd package (.ci/lab-packages.sh)`);
      dir = mkdtempSync(join(tmpdir(), 'amq-unit-'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('systemd-analyze verify accepts the unit (quoted environment, the guard as ExecStartPre) and the file lands', () => {
      const text = TEXT.replace(/\/opt\/activemq\/bin\/activemq/g, '/bin/true');
      assert.equal(writeForReal(dir, text), 0);
      assert.equal(readFileSync(join(dir, 'activemq.service'), 'utf8'), text);
    });

    it('a unit systemd-analyze rejects is not written (exit 65), and no temporary file is left', () => {
      const target = join(dir, 'rejected');
      mkdirSync(target);
      assert.equal(writeForReal(target, TEXT.replace(/\/opt\/activemq\/bin\/activemq/g, '/no/such/activemq')), 65);
      assert.deepEqual(readdirSync(target), []);
    });

    it("the ExecStartPre guard refuses, saying why, unless the path is a mount point", () => {
      // systemd turns $$ into $; the words are what it passes to /bin/sh.
      const words = ['-c', 'mountpoint -q "$1" || { echo "$2" >&2; exit 1; }', 'store-guard'];
      const refused = spawnSync('/bin/sh', [...words, dir, storeGuardMessage('activemq', dir)], { encoding: 'utf8' });
      assert.equal(refused.status, 1);
      assert.equal(refused.stderr.trim(), `activemq: refusing to start: ${dir} is not mounted (the shared store); a broker on an empty local directory would become a second master`);
      assert.equal(spawnSync('/bin/sh', [...words, '/proc', 'x']).status, 0, '/proc is a mount point');
      assert.ok(GUARD.startsWith('/bin/sh -c "mountpoint -q \\"$$1\\" || { echo \\"$$2\\" >&2; exit 1; }" store-guard /shared/activemq-data "activemq: refusing'));
    });
  });
});
