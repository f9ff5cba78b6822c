import { fileStat } from '../../runner/src/modules/facts/files.js';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CheckFailed, Unknowable } from '../../runner/src/modules/lib/context.js';
import { file, type FileParams } from '../../runner/src/modules/file.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { FakeHost } from '../helpers/fake-host.js';

const OPTS = '/etc/activemq/instances-available/main/options';
const DIR = '/etc/activemq/instances-available/main';
const TEXT = 'ACTIVEMQ_OPTS_MEMORY="-Xms512M -Xmx512M"\n';
const params = (p: Partial<FileParams> = {}): FileParams => ({ path: OPTS, content: TEXT, backup: false, state: 'present', ...p });
const check = (host: FakeHost, p: FileParams) => file.check!(host.ctx(), p);
const WANT = params({ mode: '0640', owner: 'root', group: 'activemq' });

describe('file module', () => {
  it('plans a new file with its content and attributes', async () => {
    const plan = await check(new FakeHost().dir(DIR), WANT);
    assert.deepEqual(plan, change(`create ${OPTS}`, { kind: 'file', path: OPTS, before: null, after: TEXT, mode: '0640', owner: 'root', group: 'activemq' }));
  });

  it('is ok when content and attributes match', async () => {
    const host = new FakeHost().dir(DIR).file(OPTS, TEXT, { mode: '0640', group: 'activemq' });
    assert.deepEqual(await check(host, WANT), ok(`${OPTS} already up to date`));
  });

  it('is ok on the second run once written', async () => {
    const host = new FakeHost().dir(DIR);
    host.apply(await check(host, WANT));
    assert.deepEqual(host.writes, [`file: ${OPTS}`]);
    assert.equal(host.content(OPTS), TEXT);
    assert.equal((await check(host, WANT)).status, 'ok');
  });

  it('only reads the host while checking', async () => {
    const host = new FakeHost().dir(DIR).file(OPTS, 'old\n', { mode: '0600' });
    host.localFiles['files/options'] = TEXT;
    await check(host, WANT);
    await check(host, params({ content: undefined, src: 'files/options' }));
    await check(host, params({ state: 'absent' }));
    await check(host, params({ path: '/nowhere/x' })).catch(() => undefined);
    assert.deepEqual(host.writes, []);
  });

  it('only the attributes differ: an attrs change, no rewrite', async () => {
    const host = new FakeHost().dir(DIR).file(OPTS, TEXT, { mode: '0644', owner: 'root', group: 'root' });
    const plan = await check(host, WANT);
    assert.deepEqual(plan, change(`set mode 0640, group activemq on ${OPTS}`, { kind: 'attrs', path: OPTS, mode: ['0644', '0640'], group: ['root', 'activemq'] }));
    host.apply(plan);
    assert.equal((await check(host, WANT)).status, 'ok');
  });

  it('content and attributes differ: one file change naming the attributes, with backup', async () => {
    const host = new FakeHost().dir(DIR).file(OPTS, 'old\n', { mode: '0644' });
    const plan = await check(host, { ...WANT, backup: true });
    assert.deepEqual(
      plan,
      change(`update ${OPTS}`, {
        kind: 'file',
        path: OPTS,
        before: 'old\n',
        after: TEXT,
        mode: '0640',
        owner: 'root',
        group: 'activemq',
        backup: true,
        details: ['mode 0644 → 0640', 'group root → activemq'],
      }),
    );
  });

  it('without attributes, only the content counts', async () => {
    const host = new FakeHost().dir(DIR).file(OPTS, TEXT, { mode: '0600', owner: 'nobody' });
    assert.equal((await check(host, params())).status, 'ok');
  });

  it('src: uploads the local file as it is, with no rendering', async () => {
    const host = new FakeHost().dir(DIR);
    host.vars = { x: 'rendered' };
    host.localFiles['files/options'] = 'raw {{ x }}\n';
    const p = params({ content: undefined, src: 'files/options' });
    const plan = await check(host, p);
    assert.deepEqual(plan, change(`create ${OPTS}`, { kind: 'file', path: OPTS, before: null, after: 'raw {{ x }}\n' }));
    host.apply(plan);
    assert.equal((await check(host, p)).status, 'ok');
  });

  it('src missing on the controller: a clear failure', async () => {
    await assert.rejects(
      check(new FakeHost().dir(DIR), params({ content: undefined, src: 'files/nope' })),
      (e: Error) => e instanceof CheckFailed && e.message === 'cannot read files/nope (/playbooks/files/nope): no local file files/nope',
    );
  });

  it('a missing parent directory fails with a hint', async () => {
    await assert.rejects(
      check(new FakeHost(), WANT),
      (e: Error) => e instanceof CheckFailed && e.message === `cannot create ${OPTS}: the directory ${DIR} does not exist (create it first with a directory task)`,
    );
  });

  it('a directory at the path fails', async () => {
    await assert.rejects(check(new FakeHost().dir(OPTS), WANT), (e: Error) => e instanceof CheckFailed && e.message === `${OPTS} is a directory, not a file`);
  });

  it('a symbolic link: content read through it, attributes of its target', async () => {
    const host = new FakeHost().dir(DIR).file(OPTS, TEXT);
    host.on(fileStat(OPTS, { follow: true }).command, { code: 0, stdout: 'regular file|640|root|activemq|42\n', stderr: '' });
    const ctx = host.ctx();
    const stat = ctx.stat;
    ctx.stat = async (p) => (p === OPTS ? { type: 'link', mode: '0777', owner: 'root', group: 'root', size: 20 } : stat(p));
    assert.deepEqual(await file.check!(ctx, WANT), ok(`${OPTS} already up to date`));
  });

  it('absent: removes the file, then is ok', async () => {
    const host = new FakeHost().dir(DIR).file(OPTS, TEXT);
    const plan = await check(host, params({ state: 'absent' }));
    assert.deepEqual(plan, change(`remove ${OPTS}`, { kind: 'remove', path: OPTS, before: TEXT }));
    host.apply(plan);
    assert.deepEqual(await check(host, params({ state: 'absent' })), ok(`${OPTS} already absent`));
  });

  it('absent on a directory refuses', async () => {
    await assert.rejects(check(new FakeHost().dir(OPTS), params({ state: 'absent' })), (e: Error) => e instanceof CheckFailed && /is a directory; remove it with a directory task/.test(e.message));
  });

  it('dry-run: a file an earlier command would write is unknown, not guessed', async () => {
    const host = new FakeHost().dir(DIR).file(OPTS, 'old\n');
    const ctx = host.ctx({ dryRun: true });
    ctx.read = async () => {
      throw new Unknowable(`${OPTS} depends on an earlier command`);
    };
    await assert.rejects(file.check!(ctx, WANT), Unknowable);
  });

  describe('a binary src (a tarball) is uploaded as bytes and compared by sha256', () => {
    const TAR = '/opt/apache-activemq.tar.gz';
    const bytes = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, 0x80, 0x7f, 0x0a]);
    const sum = createHash('sha256').update(bytes).digest('hex');
    const host = () => {
      const h = new FakeHost().dir('/opt');
      h.localFiles['files/amq.tar.gz'] = bytes;
      // sha256sum of whatever the fake host holds at the path
      h.on(/^sha256sum -- /, (cmd, fh) => {
        const c = fh.content(TAR);
        return c === null ? { code: 1, stdout: '', stderr: 'No such file' } : { code: 0, stdout: `${createHash('sha256').update(Buffer.from(c, 'latin1')).digest('hex')}  ${TAR}\n`, stderr: '' };
      });
      return h;
    };
    const up = (p: Partial<FileParams> = {}) => params({ path: TAR, content: undefined, src: 'files/amq.tar.gz', ...p });

    it('absent: an upload change with its checksum; applied, the next check is ok; check never writes', async () => {
      const h = host();
      const plan = await check(h, up({ mode: '0644' }));
      assert.deepEqual(plan, change(`upload ${TAR}`, { kind: 'upload', path: TAR, data: bytes, sha256: sum, before: null, mode: '0644' }));
      assert.deepEqual(h.writes, []);
      h.apply(plan);
      assert.deepEqual(await check(h, up({ mode: '0644' })), ok(`${TAR} already up to date (sha256 ${sum.slice(0, 16)}…)`));
    });

    it('other bytes on the host: replaced, naming both checksums', async () => {
      const h = host().file(TAR, 'old bytes');
      const plan = await check(h, up());
      assert.equal(plan.status, 'change');
      const c = (plan as { changes: { kind: string; before: string | null }[] }).changes[0];
      assert.equal(c.kind, 'upload');
      assert.equal(c.before, createHash('sha256').update('old bytes').digest('hex'));
    });
  });
});

