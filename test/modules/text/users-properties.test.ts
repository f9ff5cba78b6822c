import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeUserChanges,
  MANAGED_HEADER,
  parseProperties,
  renderGroups,
  renderUsers,
} from '../../../runner/src/modules/text/users-properties.js';
import { fixture } from '../../helpers/paths.js';

/** What java.util.Properties.load (as ActiveMQ's PropertiesLoginModule calls it) reads from `text`. */
function javaReads(text: string): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'props-'));
  try {
    const file = join(dir, 'users.properties');
    writeFileSync(file, text, 'latin1');
    const r = spawnSync('java', [fixture('activemq', 'ReadProps.java'), file], { encoding: 'utf8', timeout: 60_000 });
    if (r.error) throw new Error(`java is needed to read the properties back: ${r.error.message}`);
    assert.equal(r.status, 0, r.stderr);
    const unhex = (h: string) => String.fromCharCode(...(h.match(/.{4}/g) ?? []).map((x) => parseInt(x, 16)));
    return new Map(r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split(' ').map(unhex) as [string, string]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const USERS = [
  { name: 'system', password: 'manager', groups: ['admins', 'users'] },
  { name: 'admin', password: 's3cret', groups: ['admins'] },
  { name: 'guest', password: 'guest', groups: [] },
];

describe('users.properties and groups.properties (users-properties)', () => {
  it('renders users sorted by name under the managed header', () => {
    assert.equal(renderUsers(USERS), `${MANAGED_HEADER}\nadmin=s3cret\nguest=guest\nsystem=manager\n`);
  });

  it('renders groups sorted, members sorted, users without groups left out', () => {
    assert.equal(renderGroups(USERS), `${MANAGED_HEADER}\nadmins=admin,system\nusers=system\n`);
    assert.equal(renderGroups([]), `${MANAGED_HEADER}\n`);
  });

  it('gives the same files whatever order the users come in', () => {
    const shuffled = [USERS[2], USERS[0], USERS[1]].map((u) => ({ ...u, groups: [...u.groups].reverse() }));
    assert.equal(renderUsers(shuffled), renderUsers(USERS));
    assert.equal(renderGroups(shuffled), renderGroups(USERS));
  });

  it('escapes passwords so java.util.Properties reads them back as given', () => {
    const text = renderUsers([{ name: 'u', password: ' lead\\back=eq:colon#ü', groups: [] }]);
    assert.equal(text.split('\n')[1], 'u=\\ lead\\\\back=eq:colon#\\u00fc');
  });

  it('a real java.util.Properties reads every user and password back exactly', function () {
    this.timeout(60_000);
    const tricky = [
      { name: 'admin', password: ' lead and trail ', groups: ['admins'] },
      { name: 'b.user@x', password: 'a\\b=c:d#e!f\tg', groups: ['ops team', 'a=b'] },
      { name: 'c', password: 'Grüße €', groups: [] },
      { name: 'd', password: '', groups: ['admins'] },
    ];
    assert.deepEqual(
      javaReads(renderUsers(tricky)),
      new Map([['admin', ' lead and trail '], ['b.user@x', 'a\\b=c:d#e!f\tg'], ['c', 'Grüße €'], ['d', '']]),
    );
    assert.deepEqual(javaReads(renderGroups(tricky)), new Map([['a=b', 'b.user@x'], ['admins', 'admin,d'], ['ops team', 'b.user@x']]));
  });

  it('says what changed without naming a password', () => {
    const oldUsers = '# old\nadmin=old\nbob=pw\n';
    const oldGroups = 'admins=admin,bob\n';
    const said = describeUserChanges(oldUsers, oldGroups, USERS);
    assert.deepEqual(said.users, ['user admin: password changed', 'user guest: added', 'user system: added', 'user bob: removed']);
    assert.deepEqual(said.groups, ['group admins: admin,bob -> admin,system', 'group users: added (system)']);
    assert.ok(!JSON.stringify(said).includes('s3cret') && !JSON.stringify(said).includes('old'));
  });

  it('reads key=value, key: value and comments', () => {
    assert.deepEqual([...parseProperties('# c\n! c\n a = 1\nb:2\nc 3\n\nd\n')], [['a', '1'], ['b', '2'], ['c', '3'], ['d', '']]);
  });
});
