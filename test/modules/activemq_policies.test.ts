import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { activemqPolicies, type ActivemqPoliciesParams } from '../../runner/src/modules/activemq_policies.js';
import { ok } from '../../runner/src/modules/lib/plan.js';
import { FakeHost } from '../helpers/fake-host.js';
import { fixture } from '../helpers/paths.js';

const CONF = '/etc/activemq/instances-available/main/activemq.xml';
const DEBIAN = readFileSync(fixture('activemq', 'debian-main-activemq.xml'), 'utf8');
const P: ActivemqPoliciesParams = {
  conf: CONF,
  store_limit_gb: 50,
  destinations: [{ match: '>', type: 'queue', dead_letter_prefix: 'DLQ.' }],
  redelivery: { max_redeliveries: 2, delay_ms: 500 },
  backup: false,
};
const check = (host: FakeHost, p: ActivemqPoliciesParams = P) => activemqPolicies.check!(host.ctx(), p);

describe('activemq_policies module', () => {
  it('plans one file change with the details, then is ok once applied', async () => {
    const host = new FakeHost().file(CONF, DEBIAN);
    const plan = await check(host);
    assert.equal(plan.status === 'change' && plan.summary, `edit ${CONF}: 4 settings`);
    assert.deepEqual(plan.status === 'change' && plan.changes[0].kind === 'file' && plan.changes[0].details, [
      'schedulerSupport: (unset) -> true',
      'plugins: added (redeliveryPlugin: maximumRedeliveries=2, delay 500 ms)',
      'systemUsage: added (storeUsage 50 gb)',
      'destinationPolicy: added (queue:>)',
    ]);
    host.apply(plan);
    assert.deepEqual(await check(host), ok(`${CONF} already has these limits and policies`));
  });

  it('a malformed or missing file fails clearly, unchanged', async () => {
    await assert.rejects(check(new FakeHost()), /does not exist: install ActiveMQ first/);
    const bad = readFileSync(fixture('activemq', 'malformed-activemq.xml'), 'utf8');
    await assert.rejects(check(new FakeHost().file(CONF, bad)), /is not well-formed XML at line 41/);
  });

  it('check() never writes', async () => {
    const host = new FakeHost().file(CONF, DEBIAN);
    await check(host);
    assert.deepEqual(host.writes, []);
  });
});
