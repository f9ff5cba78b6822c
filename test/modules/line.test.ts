import assert from 'node:assert/strict';
import { CheckFailed } from '../../runner/src/modules/lib/context.js';
import { line, type LineParams } from '../../runner/src/modules/line.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { FakeHost } from '../helpers/fake-host.js';

const DEFAULTS = '/etc/default/activemq';
const JH = 'JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64';
const params = (p: Partial<LineParams> = {}): LineParams => ({ path: DEFAULTS, line: JH, match: '^JAVA_HOME=', state: 'present', create: false, ...p });
const check = (host: FakeHost, p: LineParams) => line.check!(host.ctx(), p);

describe('line module', () => {
  it('replaces the matching line', async () => {
    const host = new FakeHost().dir('/etc/default').file(DEFAULTS, 'ACTIVEMQ_USER=activemq\nJAVA_HOME=/usr/lib/jvm/java-11\n');
    const plan = await check(host, params());
    assert.deepEqual(
      plan,
      change(`replace line 2 of ${DEFAULTS}`, { kind: 'file', path: DEFAULTS, before: 'ACTIVEMQ_USER=activemq\nJAVA_HOME=/usr/lib/jvm/java-11\n', after: `ACTIVEMQ_USER=activemq\n${JH}\n` }),
    );
  });

  it('is ok when the line is there', async () => {
    const host = new FakeHost().dir('/etc/default').file(DEFAULTS, `ACTIVEMQ_USER=activemq\n${JH}\n`);
    assert.deepEqual(await check(host, params()), ok(`line already in ${DEFAULTS}`));
  });

  it('is ok on the second run once edited', async () => {
    const host = new FakeHost().dir('/etc/default').file(DEFAULTS, 'JAVA_HOME=/old\n');
    host.apply(await check(host, params()));
    assert.deepEqual(host.writes, [`file: ${DEFAULTS}`]);
    assert.equal((await check(host, params())).status, 'ok');
  });

  it('only reads the host while checking', async () => {
    const host = new FakeHost().dir('/etc/default').file(DEFAULTS, 'JAVA_HOME=/old\n#x\n');
    await check(host, params());
    await check(host, params({ state: 'absent', line: undefined, match: '^#' }));
    await check(host, params({ path: '/etc/default/new', create: true, mode: '0644' }));
    assert.deepEqual(host.writes, []);
  });

  it('match replaces the last matching line, leaving earlier ones', async () => {
    const before = 'JAVA_HOME=/a\nX=1\nJAVA_HOME=/b\n';
    const host = new FakeHost().dir('/etc/default').file(DEFAULTS, before);
    const plan = await check(host, params());
    assert.deepEqual(plan, change(`replace line 3 of ${DEFAULTS}`, { kind: 'file', path: DEFAULTS, before, after: `JAVA_HOME=/a\nX=1\n${JH}\n` }));
    host.apply(plan);
    assert.equal((await check(host, params())).status, 'ok');
  });

  it('insert_after: a new line goes after the last line that matches it', async () => {
    const before = '# settings\nACTIVEMQ_USER=activemq\n\n# end\n';
    const host = new FakeHost().dir('/etc/default').file(DEFAULTS, before);
    const p = params({ insert_after: '^ACTIVEMQ_USER=' });
    const plan = await check(host, p);
    assert.deepEqual(plan, change(`insert a line at line 3 of ${DEFAULTS}`, { kind: 'file', path: DEFAULTS, before, after: `# settings\nACTIVEMQ_USER=activemq\n${JH}\n\n# end\n` }));
    host.apply(plan);
    assert.equal((await check(host, p)).status, 'ok');
  });

  it('without match: appends when no identical line exists, after a missing final newline', async () => {
    const host = new FakeHost().dir('/etc/default').file(DEFAULTS, 'A=1');
    const plan = await check(host, params({ match: undefined, line: 'B=2' }));
    assert.deepEqual(plan, change(`add a line to ${DEFAULTS}`, { kind: 'file', path: DEFAULTS, before: 'A=1', after: 'A=1\nB=2\n' }));
  });

  it('absent: removes every matching line, then is ok', async () => {
    const before = '#JAVA_HOME=/x\nA=1\n#B\n';
    const host = new FakeHost().dir('/etc/default').file(DEFAULTS, before);
    const p = params({ state: 'absent', line: undefined, match: '^#' });
    const plan = await check(host, p);
    assert.deepEqual(plan, change(`remove 2 lines from ${DEFAULTS}`, { kind: 'file', path: DEFAULTS, before, after: 'A=1\n' }));
    host.apply(plan);
    assert.deepEqual(await check(host, p), ok(`no such line in ${DEFAULTS}`));
  });

  it('absent on a missing file is ok', async () => {
    assert.deepEqual(await check(new FakeHost(), params({ state: 'absent' })), ok(`${DEFAULTS} does not exist`));
  });

  it('a missing file without create fails and says how to allow it', async () => {
    await assert.rejects(check(new FakeHost().dir('/etc/default'), params()), (e: Error) => e instanceof CheckFailed && e.message === `${DEFAULTS} does not exist (set create: true to create it)`);
  });

  it('create: a missing file is created with the line and the attributes', async () => {
    const host = new FakeHost().dir('/etc/default');
    const p = params({ create: true, mode: '0644', owner: 'root' });
    const plan = await check(host, p);
    assert.deepEqual(plan, change(`create ${DEFAULTS} with the line`, { kind: 'file', path: DEFAULTS, before: null, after: `${JH}\n`, mode: '0644', owner: 'root' }));
    host.apply(plan);
    assert.equal((await check(host, p)).status, 'ok');
  });

  it('create with a missing directory fails', async () => {
    await assert.rejects(check(new FakeHost(), params({ create: true })), (e: Error) => e instanceof CheckFailed && /the directory \/etc\/default does not exist/.test(e.message));
  });

  it('the line is there but the mode differs: an attrs change', async () => {
    const host = new FakeHost().dir('/etc/default').file(DEFAULTS, `${JH}\n`, { mode: '0600' });
    assert.deepEqual(await check(host, params({ mode: '0644' })), change(`set mode 0644 on ${DEFAULTS}`, { kind: 'attrs', path: DEFAULTS, mode: ['0600', '0644'] }));
  });
});
