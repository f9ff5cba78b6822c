import assert from 'node:assert/strict';
import { CheckFailed, Unknowable } from '../../runner/src/modules/lib/context.js';
import { directory, type DirectoryParams } from '../../runner/src/modules/directory.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { FakeHost } from '../helpers/fake-host.js';

const DATA = '/data/activemq-data';
const params = (p: Partial<DirectoryParams> = {}): DirectoryParams => ({ path: DATA, recurse: false, state: 'present', ...p });
const check = (host: FakeHost, p: DirectoryParams, dryRun = false) => directory.check!(host.ctx({ dryRun }), p);
const WANT = params({ owner: 'activemq', group: 'activemq', mode: '0775' });
const FIND = `find ${DATA} '(' '!' -user activemq -o '!' -group activemq ')' -printf '%u\\t%g\\t%p\\n' -quit`;

/** Answers `find` from the fake host's entries. */
function withOwnership(host: FakeHost): FakeHost {
  const below = (h: FakeHost) => [...h.entries.entries()].filter(([k]) => k === DATA || k.startsWith(`${DATA}/`));
  host.on(FIND, (_, h) => {
    const odd = below(h).find(([, e]) => e.owner !== 'activemq' || e.group !== 'activemq');
    return { code: 0, stdout: odd ? `${odd[1].owner}\t${odd[1].group}\t${odd[0]}\n` : '', stderr: '' };
  });
  return host;
}

describe('directory module', () => {
  it('plans a dir change with its attributes when the directory is missing', async () => {
    const plan = await check(new FakeHost().dir('/data'), WANT);
    assert.deepEqual(plan, change(`create ${DATA}`, { kind: 'dir', path: DATA, mode: '0775', owner: 'activemq', group: 'activemq' }));
  });

  it('is ok when the directory has its attributes', async () => {
    const host = new FakeHost().dir(DATA, { mode: '0775', owner: 'activemq', group: 'activemq' });
    assert.deepEqual(await check(host, WANT), ok(`${DATA} already set up`));
  });

  it('is ok on the second run once created', async () => {
    const host = new FakeHost();
    host.apply(await check(host, WANT));
    assert.deepEqual(host.writes, [`dir: ${DATA}`]);
    assert.equal((await check(host, WANT)).status, 'ok');
  });

  it('only reads the host while checking', async () => {
    const host = withOwnership(new FakeHost().dir(DATA).file(`${DATA}/x`, ''));
    await check(host, WANT);
    await check(host, { ...WANT, recurse: true });
    await check(host, params({ state: 'absent' }));
    await check(new FakeHost(), WANT);
    assert.deepEqual(host.writes, []);
  });

  it('plans an attrs change with only what differs', async () => {
    const host = new FakeHost().dir(DATA, { mode: '0755', owner: 'activemq', group: 'root' });
    const plan = await check(host, WANT);
    assert.deepEqual(plan, change(`set mode 0775, group activemq on ${DATA}`, { kind: 'attrs', path: DATA, mode: ['0755', '0775'], group: ['root', 'activemq'] }));
    host.apply(plan);
    assert.equal((await check(host, WANT)).status, 'ok');
  });

  it('leaves the set-group-ID bit of a directory alone unless the mode names it', async () => {
    const host = new FakeHost().dir(DATA, { mode: '2775', owner: 'activemq', group: 'activemq' });
    assert.equal((await check(host, WANT)).status, 'ok');
    assert.deepEqual(await check(host, { ...WANT, mode: '0770' }), change(`set mode 0770 on ${DATA}`, { kind: 'attrs', path: DATA, mode: ['2775', '0770'] }));
    assert.equal((await check(host, { ...WANT, mode: '2775' })).status, 'ok');
  });

  it('refuses when a file is in the way', async () => {
    const host = new FakeHost().file(DATA, 'not a dir');
    await assert.rejects(check(host, WANT), (e: Error) => e instanceof CheckFailed && e.message === `${DATA} exists and is a file, not a directory`);
  });

  it('recurse: chowns everything below when something has another owner, then is ok', async () => {
    const host = withOwnership(
      new FakeHost()
        .dir(DATA, { mode: '0775', owner: 'activemq', group: 'activemq' })
        .dir(`${DATA}/kahadb`, { owner: 'activemq', group: 'activemq' })
        .file(`${DATA}/kahadb/db.data`, '', { owner: 'root', group: 'activemq' }),
    );
    const p = { ...WANT, recurse: true };
    const plan = await check(host, p);
    assert.deepEqual(
      plan,
      change(`set owner activemq:activemq recursively on ${DATA}`, { kind: 'attrs', path: DATA, recurse: true, owner: ['root', 'activemq'], group: ['activemq', 'activemq'] }),
    );
    assert.ok(host.reads.includes(FIND));
    host.apply(plan);
    assert.deepEqual(await check(host, p), ok(`${DATA} already set up, with everything below it`));
  });

  it('recurse with a wrong mode on top: attrs for the mode, chown -R for the owners', async () => {
    const host = withOwnership(new FakeHost().dir(DATA, { mode: '0700' }));
    const plan = await check(host, { ...WANT, recurse: true });
    assert.deepEqual(
      plan,
      change(
        `set mode 0775, owner activemq:activemq recursively on ${DATA}`,
        { kind: 'attrs', path: DATA, mode: ['0700', '0775'] },
        { kind: 'attrs', path: DATA, recurse: true, owner: ['root', 'activemq'], group: ['root', 'activemq'] },
      ),
    );
    host.apply(plan);
    assert.equal((await check(host, { ...WANT, recurse: true })).status, 'ok');
  });

  it('recurse with only a group: the group of everything below', async () => {
    const find = `find ${DATA} '(' '!' -group activemq ')' -printf '%u\\t%g\\t%p\\n' -quit`;
    const host = new FakeHost().dir(DATA).on(find, { code: 0, stdout: `root\troot\t${DATA}\n`, stderr: '' });
    const plan = await check(host, params({ group: 'activemq', recurse: true }));
    assert.deepEqual(plan, change(`set group activemq recursively on ${DATA}`, { kind: 'attrs', path: DATA, recurse: true, group: ['root', 'activemq'] }));
  });

  it('recurse: an unknown user is a failure with find’s message, in a dry-run too', async () => {
    const host = new FakeHost().dir(DATA).on(FIND, { code: 1, stdout: '', stderr: "find: 'activemq' is not the name of a known user\n" });
    await assert.rejects(check(host, { ...WANT, recurse: true }), (e: Error) => e instanceof CheckFailed && /is not the name of a known user/.test(e.message));
    await assert.rejects(check(host, { ...WANT, recurse: true }, true), (e: Error) => e instanceof CheckFailed && /is not the name of a known user/.test(e.message));
  });

  it('recurse in a dry-run on a directory only planned so far: what is planned for it decides', async () => {
    const host = new FakeHost().dir(DATA).on(FIND, { code: 1, stdout: '', stderr: `find: '${DATA}': No such file or directory\n` });
    const plan = await check(host, { ...WANT, recurse: true }, true);
    assert.deepEqual(plan, change(`set mode 0775, owner activemq:activemq recursively on ${DATA}`, { kind: 'attrs', path: DATA, mode: ['0755', '0775'] }, { kind: 'attrs', path: DATA, recurse: true, owner: ['root', 'activemq'], group: ['root', 'activemq'] }));
    host.dir(DATA, { owner: 'activemq', group: 'activemq', mode: '0775' });
    assert.equal((await check(host, { ...WANT, recurse: true }, true)).status, 'ok');
  });

  it('recurse in a dry-run: a file an earlier task would write below it, with another group, counts (find cannot see it)', async () => {
    const find = `find ${DATA} '(' '!' -group activemq ')' -printf '%u\\t%g\\t%p\\n' -quit`;
    const host = new FakeHost().dir(DATA, { group: 'activemq' }).on(find, { code: 0, stdout: '', stderr: '' });
    const ctx = host.ctx({ dryRun: true, changedEarlier: true });
    ctx.plannedBelow = () => [{ path: `${DATA}/new.conf`, stat: { type: 'file', mode: '0600', owner: 'nobody', group: 'nogroup', size: 1 } }];
    const plan = await directory.check!(ctx, params({ group: 'activemq', recurse: true }));
    assert.deepEqual(plan, change(`set group activemq recursively on ${DATA}`, { kind: 'attrs', path: DATA, recurse: true, group: ['nogroup', 'activemq'] }));
  });

  it('a numeric owner is compared by name', async () => {
    const host = new FakeHost().dir(DATA, { owner: 'activemq' }).on('getent passwd 998', { code: 0, stdout: 'activemq:x:998:998::/opt/activemq:/bin/false\n', stderr: '' });
    assert.equal((await check(host, params({ owner: '998' }))).status, 'ok');
  });

  it('absent: removes the directory when it exists, then is ok', async () => {
    const host = new FakeHost().dir(DATA).file(`${DATA}/x`, '1');
    const plan = await check(host, params({ state: 'absent' }));
    assert.deepEqual(plan, change(`remove ${DATA}`, { kind: 'remove', path: DATA, before: null }));
    host.apply(plan);
    assert.deepEqual(await check(host, params({ state: 'absent' })), ok(`${DATA} already absent`));
    assert.equal(host.content(`${DATA}/x`), null);
  });
});
