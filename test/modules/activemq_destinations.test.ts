import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { activemqDestinations, type ActivemqDestinationsParams } from '../../runner/src/modules/activemq_destinations.js';
import { CheckFailed } from '../../runner/src/modules/lib/context.js';
import { FakeHost } from '../helpers/fake-host.js';
import { fixture } from '../helpers/paths.js';

const CONF = '/etc/activemq/instances-available/main/activemq.xml';
const DEBIAN = readFileSync(fixture('activemq', 'debian-main-activemq.xml'), 'utf8');
const params = (p: Partial<ActivemqDestinationsParams> = {}): ActivemqDestinationsParams => ({ conf: CONF, queues: ['orders'], topics: [], backup: false, ...p });
const check = (host: FakeHost, p: ActivemqDestinationsParams, dryRun = false) => activemqDestinations.check!(host.ctx({ dryRun }), p);

describe('activemq_destinations module', () => {
  it("plans the list on Debian's activemq.xml", async () => {
    const plan = await check(new FakeHost().file(CONF, DEBIAN), params());
    assert.equal(plan.status, 'change');
    if (plan.status !== 'change') return;
    assert.equal(plan.summary, `destinations in ${CONF}: queue orders: added`);
    assert.equal(plan.changes.length, 1);
    const c = plan.changes[0];
    assert.ok(c.kind === 'file' && c.before === DEBIAN && c.after.includes('<queue physicalName="orders"/>'));
  });

  it('is ok on the second run once applied, and when already as wanted', async () => {
    const host = new FakeHost().file(CONF, DEBIAN);
    host.apply(await check(host, params({ topics: ['prices'] })));
    assert.deepEqual(host.writes, [`file: ${CONF}`]);
    assert.deepEqual(await check(host, params({ topics: ['prices'] })), { status: 'ok', note: 'destinations as wanted: queue orders, topic prices' });
  });

  it('only reads the host while checking', async () => {
    const host = new FakeHost().file(CONF, DEBIAN);
    await check(host, params());
    await check(host, params(), true);
    assert.deepEqual(host.writes, []);
  });

  it('fails in words when activemq.xml is missing', async () => {
    await assert.rejects(check(new FakeHost(), params()), (e: Error) => e instanceof CheckFailed && e.message.startsWith(`${CONF} does not exist: install ActiveMQ first`));
  });
});
