import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { activemqConsole, type ActivemqConsoleParams } from '../../runner/src/modules/activemq_console.js';
import { CheckFailed } from '../../runner/src/modules/lib/context.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { FakeHost } from '../helpers/fake-host.js';
import { fixture } from '../helpers/paths.js';

const CONF = '/etc/activemq/jetty.xml';
const JETTY = readFileSync(fixture('activemq', 'jetty.xml'), 'utf8');
const params = (p: Partial<ActivemqConsoleParams> = {}): ActivemqConsoleParams => ({ conf: CONF, port: 8161, backup: false, ...p });
const check = (host: FakeHost, p: ActivemqConsoleParams, dryRun = false) => activemqConsole.check!(host.ctx({ dryRun }), p);
const WANT = params({ host: '0.0.0.0' });
const EDITED = JETTY.replace('<property name="host" value="127.0.0.1"/>', '<property name="host" value="0.0.0.0"/>');

describe('activemq_console module', () => {
  it('plans the host change on the shipped jetty.xml', async () => {
    const plan = await check(new FakeHost().file(CONF, JETTY), WANT);
    assert.deepEqual(plan, change('web console on 0.0.0.0:8161', { kind: 'file', path: CONF, before: JETTY, after: EDITED, details: ['jettyPort host: 127.0.0.1 -> 0.0.0.0'] }));
  });

  it('is ok when the console already listens there', async () => {
    assert.deepEqual(await check(new FakeHost().file(CONF, EDITED), WANT), ok('the web console already listens on 0.0.0.0:8161'));
    assert.deepEqual(await check(new FakeHost().file(CONF, JETTY), params()), ok('the web console already listens on (host as is):8161'));
  });

  it('is ok on the second run once applied', async () => {
    const host = new FakeHost().file(CONF, JETTY);
    host.apply(await check(host, params({ host: '0.0.0.0', port: 8162 })));
    assert.deepEqual(host.writes, [`file: ${CONF}`]);
    assert.equal((await check(host, params({ host: '0.0.0.0', port: 8162 }))).status, 'ok');
    assert.ok(host.content(CONF)!.includes('<property name="port" value="8162"/>'));
  });

  it('only reads the host while checking', async () => {
    const host = new FakeHost().file(CONF, JETTY);
    await check(host, WANT);
    await check(host, WANT, true);
    await assert.rejects(check(host, params({ conf: '/missing.xml' })));
    assert.deepEqual(host.writes, []);
  });

  it("fails with a hint when jetty.xml is missing (Debian's package has none)", async () => {
    await assert.rejects(check(new FakeHost(), WANT), (e: Error) => e instanceof CheckFailed && /^\/etc\/activemq\/jetty.xml does not exist: .*Debian/.test(e.message));
  });

  it('refuses a file without the jettyPort bean', async () => {
    await assert.rejects(
      check(new FakeHost().file(CONF, '<beans/>\n'), WANT),
      (e: Error) => e instanceof CheckFailed && e.message.startsWith(`${CONF}: there is no jettyPort bean (class org.apache.activemq.web.WebConsolePort)`),
    );
  });
});
