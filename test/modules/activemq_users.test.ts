import assert from 'node:assert/strict';
import { activemqUsers, type ActivemqUsersParams } from '../../runner/src/modules/activemq_users.js';
import { CheckFailed } from '../../runner/src/modules/lib/context.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { MANAGED_HEADER } from '../../runner/src/modules/text/users-properties.js';
import { FakeHost } from '../helpers/fake-host.js';

const DIR = '/etc/activemq/instances-available/main';
const USERS_FILE = `${DIR}/users.properties`;
const GROUPS_FILE = `${DIR}/groups.properties`;
const params = (p: Partial<ActivemqUsersParams> = {}): ActivemqUsersParams => ({ conf_dir: DIR, users: [], backup: false, ...p });
const check = (host: FakeHost, p: ActivemqUsersParams, dryRun = false) => activemqUsers.check!(host.ctx({ dryRun }), p);

const WANT = params({
  users: [
    { name: 'user', password: 'pw2', groups: ['users'] },
    { name: 'admin', password: 'pw1', groups: ['admins', 'users'] },
  ],
});
const USERS = `${MANAGED_HEADER}\nadmin=pw1\nuser=pw2\n`;
const GROUPS = `${MANAGED_HEADER}\nadmins=admin\nusers=admin,user\n`;

describe('activemq_users module', () => {
  it('plans both files when neither exists', async () => {
    const plan = await check(new FakeHost().dir(DIR), WANT);
    assert.deepEqual(
      plan,
      change(
        'broker users: admin, user',
        { kind: 'file', path: USERS_FILE, before: null, after: USERS, details: ['user admin: added', 'user user: added'] },
        { kind: 'file', path: GROUPS_FILE, before: null, after: GROUPS, details: ['group admins: added (admin)', 'group users: added (admin,user)'] },
      ),
    );
  });

  it('is ok when both files hold exactly these users', async () => {
    const host = new FakeHost().dir(DIR).file(USERS_FILE, USERS).file(GROUPS_FILE, GROUPS);
    assert.deepEqual(await check(host, WANT), ok('users as wanted: admin, user'));
  });

  it('is ok on the second run once applied', async () => {
    const host = new FakeHost().dir(DIR);
    host.apply(await check(host, WANT));
    assert.deepEqual(host.writes, [`file: ${USERS_FILE}`, `file: ${GROUPS_FILE}`]);
    assert.equal((await check(host, WANT)).status, 'ok');
  });

  it('only reads the host while checking', async () => {
    const host = new FakeHost().dir(DIR).file(USERS_FILE, 'admin=admin\n');
    await check(host, WANT);
    await check(host, WANT, true);
    await assert.rejects(check(host, params({ conf_dir: '/nowhere' })));
    assert.deepEqual(host.writes, []);
  });

  it('replaces only the file that differs, naming a changed password without showing it', async () => {
    const host = new FakeHost().dir(DIR).file(USERS_FILE, `${MANAGED_HEADER}\nadmin=old\nuser=pw2\n`).file(GROUPS_FILE, GROUPS);
    const plan = await check(host, WANT);
    assert.deepEqual(plan, change('broker users: admin, user', { kind: 'file', path: USERS_FILE, before: `${MANAGED_HEADER}\nadmin=old\nuser=pw2\n`, after: USERS, details: ['user admin: password changed'] }));
  });

  it("removes users that are not listed (Debian's example admin)", async () => {
    const host = new FakeHost().dir(DIR).file(USERS_FILE, '## comment\nadmin=admin\n').file(GROUPS_FILE, 'admins=admin\n');
    const plan = await check(host, params({ users: [{ name: 'ops', password: 'x', groups: [] }] }));
    assert.equal(plan.status, 'change');
    if (plan.status !== 'change') return;
    assert.deepEqual(plan.changes.map((c) => (c.kind === 'file' ? c.details : [])), [['user ops: added', 'user admin: removed'], ['group admins: removed']]);
  });

  it('fails when conf_dir is missing or not a directory', async () => {
    await assert.rejects(check(new FakeHost(), WANT), (e: Error) => e instanceof CheckFailed && e.message.startsWith(`${DIR} does not exist: conf_dir must be`));
    await assert.rejects(check(new FakeHost().file(DIR, ''), WANT), (e: Error) => e instanceof CheckFailed && e.message.startsWith(`${DIR} is not a directory`));
  });
});
