import assert from 'node:assert/strict';
import { activemqUsers, type ActivemqUsersParams } from '../../runner/src/modules/activemq_users.js';
import { CheckFailed } from '../../runner/src/modules/lib/context.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { MANAGED_HEADER } from '../../runner/src/modules/text/users-properties.js';
import { FakeHost } from '../helpers/fake-host.js';

const DIR = '/etc/activemq/instances-available/main';
const USERS_FILE = `${DIR}/users.properties`;
const GROUPS_FILE = `${DIR}/groups.properties`;
const params = (p: Partial<ActivemqUsersParams> = {}): ActivemqUsersParams => ({
  conf_dir: DIR,
  users: [],
  owner: 'activemq',
  group: 'activemq',
  mode: '0640',
  login_config: false,
  console_admin_group: 'admins',
  backup: false,
  ...p,
});
/** What the files get: the broker's user reads them, nobody else. */
const OWN = { mode: '0640', owner: 'activemq', group: 'activemq' } as const;
const LOGIN = `${DIR}/login.config`;
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
        { kind: 'file', path: USERS_FILE, before: null, after: USERS, ...OWN, details: ['user admin: added', 'user user: added'] },
        { kind: 'file', path: GROUPS_FILE, before: null, after: GROUPS, ...OWN, details: ['group admins: added (admin)', 'group users: added (admin,user)'] },
      ),
    );
  });

  it('is ok when both files hold exactly these users', async () => {
    const host = new FakeHost().dir(DIR).file(USERS_FILE, USERS, OWN).file(GROUPS_FILE, GROUPS, OWN);
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
    const host = new FakeHost().dir(DIR).file(USERS_FILE, `${MANAGED_HEADER}\nadmin=old\nuser=pw2\n`, OWN).file(GROUPS_FILE, GROUPS, OWN);
    const plan = await check(host, WANT);
    assert.deepEqual(plan, change('broker users: admin, user', { kind: 'file', path: USERS_FILE, before: `${MANAGED_HEADER}\nadmin=old\nuser=pw2\n`, after: USERS, ...OWN, details: ['user admin: password changed'] }));
  });

  it("removes users that are not listed (Debian's example admin)", async () => {
    const host = new FakeHost().dir(DIR).file(USERS_FILE, '## comment\nadmin=admin\n', OWN).file(GROUPS_FILE, 'admins=admin\n', OWN);
    const plan = await check(host, params({ users: [{ name: 'ops', password: 'x', groups: [] }] }));
    assert.equal(plan.status, 'change');
    if (plan.status !== 'change') return;
    assert.deepEqual(plan.changes.map((c) => (c.kind === 'file' ? c.details : [])), [['user ops: added', 'user admin: removed'], ['group admins: removed']]);
  });

  it('fails when conf_dir is missing or not a directory', async () => {
    await assert.rejects(check(new FakeHost(), WANT), (e: Error) => e instanceof CheckFailed && e.message.startsWith(`${DIR} does not exist: conf_dir must be`));
    await assert.rejects(check(new FakeHost().file(DIR, ''), WANT), (e: Error) => e instanceof CheckFailed && e.message.startsWith(`${DIR} is not a directory`));
  });

  it("gives files of root, readable by all (Debian's package) to the broker's user, mode 0640, without rewriting them", async () => {
    const host = new FakeHost().dir(DIR).file(USERS_FILE, USERS).file(GROUPS_FILE, GROUPS, OWN);
    const plan = await check(host, WANT);
    assert.deepEqual(plan, change('broker users: admin, user', { kind: 'attrs', path: USERS_FILE, mode: ['0644', '0640'], owner: ['root', 'activemq'], group: ['root', 'activemq'] }));
  });

  it('writes login.config: the JAAS entry activemq on the two files, which the broker reads from its conf directory', async () => {
    const host = new FakeHost().dir(DIR).file(USERS_FILE, USERS, OWN).file(GROUPS_FILE, GROUPS, OWN);
    const plan = await check(host, { ...WANT, login_config: true });
    assert.equal(plan.status, 'change');
    if (plan.status !== 'change') return;
    assert.equal(plan.changes.length, 1);
    const c = plan.changes[0];
    assert.ok(c.kind === 'file' && c.path === LOGIN && c.mode === '0640' && c.owner === 'activemq');
    if (c.kind !== 'file') return;
    assert.match(c.after, /^activemq \{\n    org\.apache\.activemq\.jaas\.PropertiesLoginModule required\n/m);
    assert.match(c.after, /org\.apache\.activemq\.jaas\.properties\.user="users\.properties"\n {8}org\.apache\.activemq\.jaas\.properties\.group="groups\.properties"\n {8}reload=true;\n\};\n$/);
    host.apply(plan);
    assert.equal((await check(host, { ...WANT, login_config: true })).status, 'ok');
  });

  it("writes the web console's realm from the same users, the admin group's users as admins, and names changes without passwords", async () => {
    const REALM = '/etc/activemq/jetty-realm.properties';
    const host = new FakeHost().dir(DIR).dir('/etc/activemq').file(USERS_FILE, USERS, OWN).file(GROUPS_FILE, GROUPS, OWN).file(REALM, 'admin: admin, admin\nuser: user, user\n');
    const plan = await check(host, { ...WANT, console_realm: REALM });
    assert.equal(plan.status, 'change');
    if (plan.status !== 'change') return;
    const c = plan.changes[0];
    assert.ok(c.kind === 'file');
    if (c.kind !== 'file') return;
    assert.equal(c.after, `${MANAGED_HEADER}\nadmin: pw1, admin\nuser: pw2, user\n`);
    assert.deepEqual(c.details, ['console user admin: password changed', 'console user user: password changed', 'mode 0644 → 0640', 'owner root → activemq', 'group root → activemq']);
    assert.ok(!JSON.stringify(c.details).includes('pw1'));
  });
});
