import assert from 'node:assert/strict';
import { removeGaneshaExport, renderGaneshaExport, upsertGaneshaExport, type GaneshaExport } from '../../../runner/src/modules/text/ganesha.js';

const HEAD = `# nfs-ganesha for the shared ActiveMQ store
NFS_CORE_PARAM {
    Bind_addr = 127.0.10.1;   # lab address
    Protocols = 3, 4;
    NFS_Port = 2049;
    MNT_Port = 20048;
}
NFSV4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = "/tmp/lab x/recov"; }
`;
const TAIL = `LOG { Default_Log_Level = EVENT; }
`;

const STORE: GaneshaExport = {
  exportId: 1,
  path: '/srv/nfs/export',
  pseudo: '/amq',
  clients: [{ host: '*', options: ['rw', 'sync', 'no_root_squash'] }],
};

const BLOCK = `EXPORT {
    Export_Id = 1;
    Path = /srv/nfs/export;
    Pseudo = /amq;
    Access_Type = RW;
    Squash = No_Root_Squash;
    SecType = sys;
    Protocols = 3, 4;
    Transports = TCP;
    FSAL { Name = VFS; }
}`;

describe('ganesha EXPORT block', () => {
  it('renders the block the lab runs ganesha with', () => {
    assert.equal(renderGaneshaExport(STORE), BLOCK);
  });

  it('appends the block to a config without it, keeping the rest byte for byte', () => {
    assert.equal(upsertGaneshaExport(HEAD, STORE), `${HEAD}${BLOCK}\n`);
    assert.equal(upsertGaneshaExport('', STORE), `${BLOCK}\n`);
  });

  it('replaces the block with the same Export_Id in place; other blocks and comments stay byte for byte', () => {
    const old = `EXPORT\n{\n  export_id = 1 ;  # the store\n  Path = "/old/place";\n  FSAL {\n    Name = VFS;\n  }\n}`;
    const other = `EXPORT { Export_Id = 2; Path = /srv/other; Pseudo = /other; FSAL { Name = VFS; } }\n`;
    const before = `${HEAD}${old}\n${other}${TAIL}`;
    assert.equal(upsertGaneshaExport(before, STORE), `${HEAD}${BLOCK}\n${other}${TAIL}`);
  });

  it('keeps a config that already holds the block unchanged', () => {
    const text = `${HEAD}${BLOCK}\n${TAIL}`;
    assert.equal(upsertGaneshaExport(text, STORE), text);
  });

  it('is not fooled by braces and ids inside comments and quoted strings', () => {
    const tricky = `# EXPORT { Export_Id = 1; }\nLOG { Format { Date = "{ user } ;"; } }\n`;
    assert.equal(upsertGaneshaExport(tricky, STORE), `${tricky}${BLOCK}\n`);
  });

  it('gives clients other than * their own CLIENT blocks, and no access to anyone else', () => {
    const block = renderGaneshaExport({
      ...STORE,
      clients: [
        { host: '127.0.10.2', options: ['rw', 'no_root_squash'] },
        { host: '10.0.0.0/24', options: ['ro', 'all_squash'] },
      ],
    });
    assert.match(block, /\n {4}Access_Type = None;\n {4}Squash = Root_Squash;\n/);
    assert.match(block, /\n {4}CLIENT \{ Clients = 127\.0\.10\.2; Access_Type = RW; Squash = No_Root_Squash; \}\n/);
    assert.match(block, /\n {4}CLIENT \{ Clients = 10\.0\.0\.0\/24; Access_Type = RO; Squash = All_Squash; \}\n\}$/);
  });

  it('a * client beside others sets the export defaults; root_squash is the default squash', () => {
    const block = renderGaneshaExport({ ...STORE, clients: [{ host: '*', options: ['ro'] }, { host: 'broker1', options: ['rw', 'no_root_squash'] }] });
    assert.match(block, /Access_Type = RO;\n {4}Squash = Root_Squash;/);
    assert.match(block, /CLIENT \{ Clients = broker1; Access_Type = RW; Squash = No_Root_Squash; \}/);
  });

  it('quotes a path ganesha would not read bare', () => {
    const block = renderGaneshaExport({ ...STORE, path: '/srv/my data', pseudo: '/a"b' });
    assert.match(block, /Path = "\/srv\/my data";/);
    assert.match(block, /Pseudo = "\/a\\"b";/);
  });

  it('removes only the block with that Export_Id, with its line', () => {
    const other = `EXPORT { Export_Id = 2; Path = /srv/other; FSAL { Name = VFS; } }\n`;
    const before = `${HEAD}${BLOCK}\n${other}${TAIL}`;
    assert.equal(removeGaneshaExport(before, 1), `${HEAD}${other}${TAIL}`);
    assert.equal(removeGaneshaExport(`${HEAD}${TAIL}`, 1), `${HEAD}${TAIL}`);
  });

  it('drops a second block with the same Export_Id (ganesha refuses duplicates)', () => {
    const before = `${BLOCK}\n${TAIL}EXPORT { Export_Id = 1; Path = /dup; }\n`;
    assert.equal(upsertGaneshaExport(before, STORE), `${BLOCK}\n${TAIL}`);
  });
});
