import assert from 'node:assert/strict';
import { group, type GroupParams } from '../../runner/src/modules/group.js';
import { parseGroup, parsePasswd } from '../../runner/src/modules/facts/accounts.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { user, type UserParams } from '../../runner/src/modules/user.js';
import type { ExecResult } from '../../runner/src/transport/transport.js';
import { FakeHost } from '../helpers/fake-host.js';

const res = (code: number, stdout = ''): ExecResult => ({ code, stdout, stderr: '' });
const run = (cmd: string, why: string) => ({ kind: 'command' as const, cmd, why });

/** A host with a passwd and a group database that follow useradd, usermod, groupadd and friends. */
function accountsHost(passwd: Record<string, string>, groups: Record<string, string>): FakeHost {
  const lookup = (db: Record<string, string>, key: string) => Object.values(db).find((l) => l.split(':')[0] === key || l.split(':')[2] === key);
  const flag = (c: string, f: string) => new RegExp(`${f} (\\S+)`).exec(c)?.[1];
  const name = (c: string) => c.split(' ').at(-1)!;
  return new FakeHost()
    .on(/^getent passwd /, (c) => {
      const l = lookup(passwd, name(c));
      return l ? res(0, `${l}\n`) : res(2);
    })
    .on(/^getent group /, (c) => {
      const l = lookup(groups, name(c));
      return l ? res(0, `${l}\n`) : res(2);
    })
    .on(/^groupadd /, res(0), (_, c) => (groups[name(c)] = `${name(c)}:x:${flag(c, '--gid') ?? '999'}:`))
    .on(/^groupmod /, res(0), (_, c) => (groups[name(c)] = groups[name(c)].replace(/^([^:]*:[^:]*:)\d+/, `$1${flag(c, '--gid')}`)))
    .on(/^useradd /, res(0), (_, c) => {
      const gid = lookup(groups, flag(c, '--gid') ?? '')?.split(':')[2] ?? '100';
      passwd[name(c)] = `${name(c)}:x:${flag(c, '--uid') ?? '998'}:${gid}::${flag(c, '--home-dir') ?? `/home/${name(c)}`}:${flag(c, '--shell') ?? '/bin/sh'}`;
    })
    .on(/^usermod /, res(0), (_, c) => {
      const f = passwd[name(c)].split(':');
      if (flag(c, '--uid')) f[2] = flag(c, '--uid')!;
      if (flag(c, '--gid')) f[3] = lookup(groups, flag(c, '--gid')!)!.split(':')[2];
      if (flag(c, '--home')) f[5] = flag(c, '--home')!;
      if (flag(c, '--shell')) f[6] = flag(c, '--shell')!;
      passwd[name(c)] = f.join(':');
    })
    .on(/^userdel /, res(0), (_, c) => delete passwd[name(c)])
    .on(/^groupdel /, res(0), (_, c) => delete groups[name(c)]);
}

const SERVICE: UserParams = { name: 'activemq', uid: 990, group: 'activemq', home: '/var/lib/activemq', shell: '/usr/sbin/nologin', system: true, create_home: false, state: 'present' };
const GROUP: GroupParams = { name: 'activemq', gid: 990, system: true, state: 'present' };

describe('user and group modules', () => {
  it('parse getent lines', () => {
    assert.deepEqual(parsePasswd('activemq:x:106:106::/var/lib/activemq:/bin/bash\n'), { name: 'activemq', uid: 106, gid: 106, comment: '', home: '/var/lib/activemq', shell: '/bin/bash' });
    assert.deepEqual(parseGroup('adm:x:4:syslog,me\n'), { name: 'adm', gid: 4, members: ['syslog', 'me'] });
    assert.equal(parsePasswd('garbage'), undefined);
  });

  it('a tarball host: the group and the service user are created with fixed ids, then are ok', async () => {
    const host = accountsHost({}, {});
    const g = await group.check!(host.ctx(), GROUP);
    assert.deepEqual(g, change('create group activemq (gid 990)', { ...run('groupadd --system --gid 990 activemq', 'create group activemq'), accounts: [{ kind: 'group', name: 'activemq', exists: true }], declared: true }));
    host.apply(g);
    const u = await user.check!(host.ctx(), SERVICE);
    assert.deepEqual(
      u,
      change('create user activemq', { ...run('useradd --system --no-create-home --uid 990 --gid activemq --home-dir /var/lib/activemq --shell /usr/sbin/nologin activemq', 'create user activemq'), accounts: [{ kind: 'user', name: 'activemq', exists: true }], declared: true }),
    );
    host.apply(u);
    assert.deepEqual(await group.check!(host.ctx(), GROUP), ok('group activemq (gid 990)'));
    assert.deepEqual(await user.check!(host.ctx(), SERVICE), ok('user activemq (uid 990, gid 990, home /var/lib/activemq, shell /usr/sbin/nologin)'));
  });

  it("Debian's package user: only what differs changes (uid, shell)", async () => {
    const host = accountsHost({ activemq: 'activemq:x:106:990::/var/lib/activemq:/bin/bash' }, { activemq: 'activemq:x:990:' });
    const plan = await user.check!(host.ctx(), SERVICE);
    assert.deepEqual(plan, change('user activemq: uid 106 -> 990, shell /bin/bash -> /usr/sbin/nologin', { ...run('usermod --uid 990 --shell /usr/sbin/nologin activemq', 'update user activemq'), declared: true }));
    host.apply(plan);
    assert.equal((await user.check!(host.ctx(), SERVICE)).status, 'ok');
    const regid = await group.check!(host.ctx(), { ...GROUP, gid: 991 });
    assert.deepEqual(regid, change('group activemq: gid 990 -> 991', { ...run('groupmod --gid 991 activemq', 'gid of activemq'), declared: true }));
  });

  it('without uid or gid, the ids the system has are kept', async () => {
    const host = accountsHost({ activemq: 'activemq:x:106:106::/var/lib/activemq:/usr/sbin/nologin' }, { activemq: 'activemq:x:106:' });
    assert.equal((await user.check!(host.ctx(), { ...SERVICE, uid: undefined })).status, 'ok');
    assert.equal((await group.check!(host.ctx(), { ...GROUP, gid: undefined })).status, 'ok');
  });

  it('a primary group that does not exist: a failure in words, in a dry-run too; unknown when an earlier task creates it', async () => {
    const host = accountsHost({ activemq: 'activemq:x:106:106::/var/lib/activemq:/bin/bash' }, {});
    await assert.rejects(user.check!(host.ctx(), SERVICE), /the group activemq does not exist on h1: there is no group of that name/);
    await assert.rejects(user.check!(host.ctx({ dryRun: true }), SERVICE), /the group activemq does not exist on h1/);
    const planned = { ...host.ctx({ dryRun: true }), plannedAccount: (kind: string, name: string) => (kind === 'group' && name === 'activemq' ? true : undefined) };
    await assert.rejects(user.check!(planned, SERVICE), /group activemq does not exist yet \(an earlier task may create it\)/);
    const fresh = accountsHost({}, {});
    const create = await user.check!({ ...fresh.ctx({ dryRun: true }), plannedAccount: () => true }, SERVICE);
    assert.equal(create.status === 'change' && create.changes[0].kind === 'command' && create.changes[0].cmd.startsWith('useradd '), true);
  });

  it('state absent removes them; hostile names are quoted', async () => {
    const host = accountsHost({ activemq: 'activemq:x:106:106::/var/lib/activemq:/bin/bash' }, { activemq: 'activemq:x:106:' });
    const plan = await user.check!(host.ctx(), { name: 'activemq', state: 'absent', system: false, create_home: false });
    assert.deepEqual(plan, change('remove user activemq', { ...run('userdel activemq', 'remove user activemq'), accounts: [{ kind: 'user', name: 'activemq', exists: false }], declared: true }));
    host.apply(plan);
    assert.deepEqual(await user.check!(host.ctx(), { name: 'activemq', state: 'absent', system: false, create_home: false }), ok('user activemq already absent'));
    const evil = await user.check!(accountsHost({}, {}).ctx(), { name: "x'; rm -rf /", state: 'present', system: false, create_home: false, comment: 'a $(b)' });
    assert.equal(evil.status === 'change' && evil.changes[0].kind === 'command' && evil.changes[0].cmd, "useradd --no-create-home --comment 'a $(b)' 'x'\\''; rm -rf /'");
  });

  it('check() never writes', async () => {
    const host = accountsHost({ activemq: 'activemq:x:106:106::/var/lib/activemq:/bin/bash' }, { activemq: 'activemq:x:106:' });
    await user.check!(host.ctx(), SERVICE);
    await group.check!(host.ctx(), GROUP);
    await user.check!(host.ctx(), { name: 'activemq', state: 'absent', system: false, create_home: false });
    assert.deepEqual(host.writes, []);
  });
});
