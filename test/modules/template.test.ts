import assert from 'node:assert/strict';
import { CheckFailed } from '../../runner/src/modules/lib/context.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { template, type TemplateParams } from '../../runner/src/modules/template.js';
import { FakeHost } from '../helpers/fake-host.js';

const SRC = 'templates/activemq.default.tpl';
const DEST = '/etc/default/activemq';
const TPL = 'ACTIVEMQ_USER={{ user }}\nJAVA_HOME={{ java_home }}\n';
const RENDERED = 'ACTIVEMQ_USER=activemq\nJAVA_HOME=/usr/lib/jvm/java-17\n';
const params = (p: Partial<TemplateParams> = {}): TemplateParams => ({ src: SRC, dest: DEST, backup: false, ...p });
const check = (host: FakeHost, p: TemplateParams) => template.check!(host.ctx(), p);

function host(): FakeHost {
  const h = new FakeHost().dir('/etc/default');
  h.localFiles[SRC] = TPL;
  h.vars = { user: 'activemq', java_home: '/usr/lib/jvm/java-17' };
  return h;
}

describe('template module', () => {
  it('plans the rendered file, with validate passed through, having run it on the candidate', async () => {
    const h = host().on('cat | sh -n /dev/stdin', { code: 0, stdout: '', stderr: '' });
    const plan = await check(h, params({ mode: '0644', validate: 'sh -n %s' }));
    assert.deepEqual(plan, change(`create ${DEST}`, { kind: 'file', path: DEST, before: null, after: RENDERED, mode: '0644', validate: 'sh -n %s' }));
    assert.ok(h.reads.includes('cat | sh -n /dev/stdin'));
  });

  it('a candidate its validate refuses: a failure with the checker\'s words, before anything is written', async () => {
    const h = host().on('cat | sh -n /dev/stdin', { code: 2, stdout: '', stderr: '/dev/stdin: 3: Syntax error: end of file unexpected\n' });
    await assert.rejects(check(h, params({ validate: 'sh -n %s' })), (e: Error) => e instanceof CheckFailed && e.message === `the new ${DEST} fails its check (sh -n %s): /dev/stdin: 3: Syntax error: end of file unexpected`);
    assert.deepEqual(h.writes, []);
  });

  it('is ok when the file holds the rendered text', async () => {
    assert.deepEqual(await check(host().file(DEST, RENDERED), params()), ok(`${DEST} already up to date`));
  });

  it('is ok on the second run once written', async () => {
    const h = host().file(DEST, 'ACTIVEMQ_USER=root\n');
    const plan = await check(h, params({ backup: true }));
    assert.deepEqual(plan, change(`update ${DEST}`, { kind: 'file', path: DEST, before: 'ACTIVEMQ_USER=root\n', after: RENDERED, backup: true }));
    h.apply(plan);
    assert.deepEqual(h.writes, [`file: ${DEST}`]);
    assert.equal((await check(h, params({ backup: true }))).status, 'ok');
  });

  it('only reads the host while checking', async () => {
    const h = host().file(DEST, 'old\n');
    await check(h, params());
    await check(h, params({ dest: '/etc/default/other' }));
    assert.deepEqual(h.writes, []);
  });

  it('a change of a variable is a change of the file', async () => {
    const h = host().file(DEST, RENDERED);
    h.vars.java_home = '/usr/lib/jvm/java-21';
    const plan = await check(h, params());
    assert.equal(plan.status === 'change' && plan.changes[0].kind === 'file' && plan.changes[0].after, 'ACTIVEMQ_USER=activemq\nJAVA_HOME=/usr/lib/jvm/java-21\n');
  });

  it('a rendering error is a check failure naming the template', async () => {
    const h = host();
    const ctx = h.ctx();
    ctx.render = () => {
      throw new Error("line 2: 'java_home' is undefined");
    };
    await assert.rejects(template.check!(ctx, params()), (e: Error) => e instanceof CheckFailed && e.message === `cannot render ${SRC}: line 2: 'java_home' is undefined`);
  });

  it('a check failure from the renderer is passed on as it is', async () => {
    const ctx = host().ctx();
    const failure = new CheckFailed(`${SRC}:2:12: 'java_home' is undefined`);
    ctx.render = () => {
      throw failure;
    };
    await assert.rejects(template.check!(ctx, params()), (e: Error) => e === failure);
  });

  it('a missing template fails clearly', async () => {
    await assert.rejects(check(host(), params({ src: 'templates/nope.tpl' })), (e: Error) => e instanceof CheckFailed && /^cannot read templates\/nope\.tpl/.test(e.message));
  });
});
