import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { editPolicies, type PolicySettings } from '../../../runner/src/modules/text/broker-policies.js';
import { fixture } from '../../helpers/paths.js';

const DEBIAN = readFileSync(fixture('activemq', 'debian-main-activemq.xml'), 'utf8');
const DEMO = readFileSync(fixture('activemq', 'upstream-demo-activemq.xml'), 'utf8');

const WANT: PolicySettings = {
  memoryPercentOfHeap: 70,
  storeLimitGb: 50,
  tempLimitGb: 10,
  destinations: [
    { type: 'queue', match: '>', producerFlowControl: true, memoryLimitMb: 64, deadLetterPrefix: 'DLQ.' },
    { type: 'topic', match: '>', producerFlowControl: true, memoryLimitMb: 64 },
  ],
  redelivery: { maxRedeliveries: 6, delayMs: 1000 },
  schedulerDirectory: '/shared/activemq-data/scheduler',
};

/** What WANT adds to Debian's file, at the end of <broker>, in its indentation. */
const ADDED = `        <plugins>
            <redeliveryPlugin fallbackToDeadLetter="true" sendToDlqIfMaxRetriesExceeded="true">
                <redeliveryPolicyMap>
                    <redeliveryPolicyMap>
                        <defaultEntry>
                            <redeliveryPolicy maximumRedeliveries="6" initialRedeliveryDelay="1000" redeliveryDelay="1000"/>
                        </defaultEntry>
                    </redeliveryPolicyMap>
                </redeliveryPolicyMap>
            </redeliveryPlugin>
        </plugins>
        <systemUsage>
            <systemUsage>
                <memoryUsage>
                    <memoryUsage percentOfJvmHeap="70"/>
                </memoryUsage>
                <storeUsage>
                    <storeUsage limit="50 gb"/>
                </storeUsage>
                <tempUsage>
                    <tempUsage limit="10 gb"/>
                </tempUsage>
            </systemUsage>
        </systemUsage>
        <destinationPolicy>
            <policyMap>
                <policyEntries>
                    <policyEntry queue=">" producerFlowControl="true" memoryLimit="64 mb">
                        <deadLetterStrategy>
                            <individualDeadLetterStrategy queuePrefix="DLQ." useQueueForQueueMessages="true"/>
                        </deadLetterStrategy>
                    </policyEntry>
                    <policyEntry topic=">" producerFlowControl="true" memoryLimit="64 mb"/>
                </policyEntries>
            </policyMap>
        </destinationPolicy>
`;

describe('broker policies in activemq.xml', () => {
  it("adds what Debian's file lacks, every other byte as it was", () => {
    const e = editPolicies(DEBIAN, WANT);
    const expected = DEBIAN.replace('dataDirectory="${activemq.base}/data">', 'dataDirectory="${activemq.base}/data"\n            schedulerSupport="true"\n            schedulerDirectory="/shared/activemq-data/scheduler">').replace(
      '        </transportConnectors>\n',
      `        </transportConnectors>\n${ADDED}`,
    );
    assert.equal(e.text, expected);
    assert.deepEqual(e.details, [
      'schedulerSupport: (unset) -> true',
      'plugins: added (redeliveryPlugin: maximumRedeliveries=6, delay 1000 ms)',
      'schedulerDirectory: (unset) -> /shared/activemq-data/scheduler',
      'systemUsage: added (memoryUsage 70, storeUsage 50 gb, tempUsage 10 gb)',
      'destinationPolicy: added (queue:>, topic:>)',
    ]);
    assert.equal(editPolicies(e.text, WANT).text, e.text, 'a second edit changes nothing');
  });

  it("edits the upstream demo's limits and entries in place, keeping what else an entry sets", () => {
    const e = editPolicies(DEMO, WANT);
    assert.deepEqual(e.details, [
      'schedulerSupport: (unset) -> true',
      'plugins: added (redeliveryPlugin: maximumRedeliveries=6, delay 1000 ms)',
      'schedulerDirectory: (unset) -> /shared/activemq-data/scheduler',
      'memoryUsage percentOfJvmHeap: (unset) -> 70',
      'memoryUsage limit: removed',
      'storeUsage limit: 1 gb -> 50 gb',
      'tempUsage limit: 100 mb -> 10 gb',
      'policyEntry queue:>: memoryLimit: 5mb -> 64 mb, deadLetterStrategy: added (individual, prefix DLQ.)',
      'policyEntry topic:>: memoryLimit: 5mb -> 64 mb',
    ]);
    assert.ok(e.text.includes('<memoryUsage percentOfJvmHeap="70" />'), 'the attribute swapped inside the same tag');
    assert.ok(e.text.includes('<policyEntry topic=">" producerFlowControl="true" memoryLimit="64 mb">\n                        <dispatchPolicy>'), "the topic entry's own children stay");
    const outside = (t: string) => t.slice(t.indexOf('</destinationPolicy>'), t.indexOf('<systemUsage>'));
    assert.equal(outside(e.text), outside(DEMO), 'what lies between the edits is untouched');
    assert.equal(editPolicies(e.text, WANT).text, e.text);
  });

  it('the list is exact: a new entry is added, an unlisted one removed, a changed dead-letter strategy replaced', () => {
    const first = editPolicies(DEBIAN, WANT).text;
    const e = editPolicies(first, {
      destinations: [
        { type: 'queue', match: 'orders.>', deadLetterPrefix: 'ORDERS.DLQ.' },
        { type: 'queue', match: '>', deadLetterPrefix: 'DEAD.' },
      ],
    });
    assert.deepEqual(e.details, ['policyEntry queue:orders.>: added', 'policyEntry queue:>: deadLetterStrategy: individual, prefix DEAD.', 'policyEntry topic:>: removed']);
    assert.match(e.text, /<policyEntry queue="orders\.>">\n\s+<deadLetterStrategy>\n\s+<individualDeadLetterStrategy queuePrefix="ORDERS\.DLQ\."/);
    assert.match(e.text, /queuePrefix="DEAD\."/);
    assert.doesNotMatch(e.text, /policyEntry topic/);
  });

  it('leaves the file alone when nothing is asked, and refuses a file without one broker', () => {
    assert.equal(editPolicies(DEBIAN, {}).text, DEBIAN);
    assert.throws(() => editPolicies('<beans/>', WANT), /there is no <broker> element/);
  });
});
