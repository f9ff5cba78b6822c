import assert from 'node:assert/strict';
import { Unknowable } from '../../runner/src/modules/lib/context.js';
import { DEFAULT_NFS_OPTIONS, nfsExport, type NfsExportParams } from '../../runner/src/modules/nfs_export.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { FakeHost } from '../helpers/fake-host.js';

const DONE = { code: 0, stdout: '', stderr: '' };
const DATA = '/data/activemq-data';
const LINE = '/data/activemq-data *(rw,sync,no_root_squash)';
const HEADER = '# /etc/exports: the access control list for filesystems which may be exported\n#\n';

const params = (p: Partial<NfsExportParams> = {}): NfsExportParams => ({
  path: DATA,
  clients: [{ host: '*', options: DEFAULT_NFS_OPTIONS }],
  format: 'exports',
  export_id: 1,
  state: 'present',
  ...p,
});

const check = (host: FakeHost, p: NfsExportParams, dryRun = false) => nfsExport.check!(host.ctx({ dryRun }), p);

const GANESHA_HEAD = `NFS_CORE_PARAM {
    Bind_addr = 127.0.10.1;
    Protocols = 3, 4;
}
NFSV4 { Graceless = true; RecoveryBackend = fs; }
`;
const GANESHA_LOG = `LOG { Default_Log_Level = EVENT; }  # keep
`;
const BLOCK = `EXPORT {
    Export_Id = 1;
    Path = /data/activemq-data;
    Pseudo = /amq;
    Access_Type = RW;
    Squash = No_Root_Squash;
    SecType = sys;
    Protocols = 3, 4;
    Transports = TCP;
    FSAL { Name = VFS; }
}`;

describe('nfs_export module', () => {
  describe('format exports', () => {
    it('plans the line and exportfs -ra when the path is not exported', async () => {
      const host = new FakeHost().file('/etc/exports', HEADER);
      assert.deepEqual(
        await check(host, params()),
        change(`export ${DATA}`, { kind: 'file', path: '/etc/exports', before: HEADER, after: `${HEADER}${LINE}\n` }, { kind: 'command', cmd: 'exportfs -ra', why: 'reload the exports of /etc/exports', declared: true }),
      );
    });

    it('creates a missing exports file', async () => {
      const plan = await check(new FakeHost().dir('/etc').dir('/etc/ganesha'), params());
      assert.equal(plan.status, 'change');
      assert.deepEqual(plan.status === 'change' && plan.changes[0], { kind: 'file', path: '/etc/exports', before: null, after: `${LINE}\n` });
    });

    it('is ok when the line is there', async () => {
      const host = new FakeHost().file('/etc/exports', `${HEADER}${LINE}\n`);
      assert.deepEqual(await check(host, params()), ok(`${DATA} exported in /etc/exports`));
    });

    it('is ok on the next check once the plan is applied', async () => {
      const host = new FakeHost().file('/etc/exports', HEADER).on('exportfs -ra', DONE);
      host.apply(await check(host, params()));
      assert.deepEqual(host.writes, ['file: /etc/exports', 'command: exportfs -ra']);
      assert.equal((await check(host, params())).status, 'ok');
    });

    it('replaces the line for the path in place, keeping comments and other exports', async () => {
      const before = `${HEADER}/srv/a 10.0.0.1(ro)\n/data/activemq-data host1(rw)\n/srv/b *(ro)\n`;
      const host = new FakeHost().file('/etc/exports', before).on('exportfs -ra', DONE);
      const clients = [
        { host: '192.168.10.192', options: ['rw', 'sync', 'no_root_squash'] },
        { host: '192.168.10.193', options: ['rw', 'sync', 'no_root_squash'] },
      ];
      const plan = await check(host, params({ clients }));
      const after = `${HEADER}/srv/a 10.0.0.1(ro)\n/data/activemq-data 192.168.10.192(rw,sync,no_root_squash) 192.168.10.193(rw,sync,no_root_squash)\n/srv/b *(ro)\n`;
      assert.deepEqual(plan.status === 'change' && plan.changes[0], { kind: 'file', path: '/etc/exports', before, after });
      host.apply(plan);
      assert.equal(host.content('/etc/exports'), after);
      assert.equal((await check(host, params({ clients }))).status, 'ok');
    });

    it('uses the given file and reload command', async () => {
      const host = new FakeHost().file('/srv/lab/exports', '');
      const plan = await check(host, params({ file: '/srv/lab/exports', reload: 'exportfs -r' }));
      assert.deepEqual(plan.status === 'change' && plan.changes.map((c) => (c.kind === 'command' ? c.cmd : c.path)), ['/srv/lab/exports', 'exportfs -r']);
    });

    it('state absent removes the line and reloads; ok when it is gone', async () => {
      const host = new FakeHost().file('/etc/exports', `${HEADER}${LINE}\n`).on('exportfs -ra', DONE);
      const plan = await check(host, params({ state: 'absent' }));
      assert.deepEqual(
        plan,
        change(`unexport ${DATA}`, { kind: 'file', path: '/etc/exports', before: `${HEADER}${LINE}\n`, after: HEADER }, { kind: 'command', cmd: 'exportfs -ra', why: 'reload the exports of /etc/exports', declared: true }),
      );
      host.apply(plan);
      assert.deepEqual(await check(host, params({ state: 'absent' })), ok(`${DATA} not exported in /etc/exports`));
      assert.deepEqual(await check(new FakeHost().dir('/etc').dir('/etc/ganesha'), params({ state: 'absent' })), ok(`${DATA} not exported in /etc/exports`));
    });
  });

  describe('format ganesha', () => {
    const g = (p: Partial<NfsExportParams> = {}) => params({ format: 'ganesha', pseudo: '/amq', ...p });

    it('plans the EXPORT block in ganesha.conf and no reload by default', async () => {
      const host = new FakeHost().file('/etc/ganesha/ganesha.conf', GANESHA_HEAD);
      assert.deepEqual(
        await check(host, g()),
        change(`export EXPORT block 1 (${DATA})`, { kind: 'file', path: '/etc/ganesha/ganesha.conf', before: GANESHA_HEAD, after: `${GANESHA_HEAD}${BLOCK}\n` }),
      );
    });

    it('is ok when the block is there, and after applying the plan', async () => {
      const host = new FakeHost().file('/etc/ganesha/ganesha.conf', GANESHA_HEAD);
      host.apply(await check(host, g()));
      assert.deepEqual(await check(host, g()), ok(`EXPORT block 1 (${DATA}) exported in /etc/ganesha/ganesha.conf`));
    });

    it('replaces the block with its Export_Id, keeping every other block and comment byte for byte', async () => {
      const other = 'EXPORT {\n\tExport_Id = 2;  # another export\n\tPath = /srv/other;\n\tFSAL { Name = VFS; }\n}\n';
      const before = `${GANESHA_HEAD}EXPORT { Export_Id = 1; Path = /old; Pseudo = /old; FSAL { Name = VFS; } }\n${other}${GANESHA_LOG}`;
      const host = new FakeHost().file('/lab/nfs/ganesha.conf', before).on('kill -HUP 4242', DONE);
      const plan = await check(host, g({ file: '/lab/nfs/ganesha.conf', reload: 'kill -HUP 4242' }));
      assert.deepEqual(
        plan,
        change(`export EXPORT block 1 (${DATA})`, { kind: 'file', path: '/lab/nfs/ganesha.conf', before, after: `${GANESHA_HEAD}${BLOCK}\n${other}${GANESHA_LOG}` }, { kind: 'command', cmd: 'kill -HUP 4242', why: 'reload the exports of /lab/nfs/ganesha.conf', declared: true }),
      );
    });

    it('the pseudo path defaults to the exported path', async () => {
      const plan = await check(new FakeHost().dir('/etc').dir('/etc/ganesha'), params({ format: 'ganesha' }));
      assert.match(plan.status === 'change' && plan.changes[0].kind === 'file' ? plan.changes[0].after : '', /\n {4}Pseudo = \/data\/activemq-data;\n/);
    });

    it('state absent removes only that block', async () => {
      const before = `${GANESHA_HEAD}${BLOCK}\n${GANESHA_LOG}`;
      const host = new FakeHost().file('/etc/ganesha/ganesha.conf', before);
      const plan = await check(host, g({ state: 'absent' }));
      assert.deepEqual(plan, change(`unexport EXPORT block 1 (${DATA})`, { kind: 'file', path: '/etc/ganesha/ganesha.conf', before, after: `${GANESHA_HEAD}${GANESHA_LOG}` }));
      host.apply(plan);
      assert.equal((await check(host, g({ state: 'absent' }))).status, 'ok');
    });
  });

  it('check() never writes, in any state', async () => {
    const host = new FakeHost().file('/etc/exports', `${HEADER}/data/activemq-data host1(rw)\n`).file('/etc/ganesha/ganesha.conf', GANESHA_HEAD);
    for (const state of ['present', 'absent'] as const) {
      await check(host, params({ state }));
      await check(host, params({ state, format: 'ganesha' }));
    }
    assert.deepEqual(host.writes, []);
    assert.deepEqual(host.reads, ['command -v exportfs', 'command -v exportfs'], 'only whether the reload can run');
  });

  it('exportfs not installed: a failure that says so, before anything is written', async () => {
    const host = new FakeHost().file('/etc/exports', HEADER);
    host.programs.delete('exportfs');
    await assert.rejects(check(host, params()), (e: Error) => e.message === "the exports of /etc/exports cannot be reloaded: exportfs is not installed on h1, so 'exportfs -ra' cannot run");
  });

  it('lets Unknowable from a dry-run read through', async () => {
    const host = new FakeHost().dir('/etc');
    const ctx = host.ctx({ dryRun: true });
    ctx.stat = async () => {
      throw new Unknowable('/etc/exports depends on an earlier command');
    };
    await assert.rejects(nfsExport.check!(ctx, params()), Unknowable);
  });
});
