import { backup } from './lib/common.js';
import { editSummary, INSTALL_FIRST, planXmlEdit } from './lib/conf-file.js';
import { hostPath, mustAgree } from './lib/cluster.js';
import { defineModule, type ClusterProblem, type HostTask } from './lib/define.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';
import { editPolicies, type PolicySettings } from './text/broker-policies.js';

const params = {
  conf: { type: 'path', required: true, description: 'the activemq.xml to edit' },
  memory_limit_mb: { type: 'int', min: 1, description: 'systemUsage memoryUsage limit (MiB): memory for messages in flight, below the heap' },
  memory_percent_of_heap: { type: 'int', min: 1, description: 'systemUsage memoryUsage as a percentage of the JVM heap (instead of memory_limit_mb)' },
  store_limit_gb: { type: 'int', min: 1, description: 'systemUsage storeUsage limit (GiB): the persistent store; producers block when it is full' },
  temp_limit_gb: { type: 'int', min: 1, description: 'systemUsage tempUsage limit (GiB): non-persistent messages spooled to disk' },
  destinations: {
    type: 'list',
    description: 'the destination policies (policyEntry), exactly: entries are matched by type and match and edited in place',
    items: {
      type: 'map',
      description: 'one policy entry',
      fields: {
        match: { type: 'string', required: true, singleLine: true, description: 'the destinations: a name or wildcard (> for all, orders.> for a tree)' },
        type: { type: 'string', choices: ['queue', 'topic'], default: 'queue', description: 'queues or topics' },
        producer_flow_control: { type: 'bool', description: 'slow producers down instead of running out of memory' },
        memory_limit_mb: { type: 'int', min: 1, description: 'memory limit of each matching destination (MiB)' },
        dead_letter_prefix: { type: 'string', singleLine: true, description: "an individual dead-letter queue per destination, named prefix + name (DLQ.)" },
      },
    },
  },
  redelivery: {
    type: 'map',
    description: 'the broker redelivery policy: a rejected message is redelivered this often, then goes to its dead-letter queue',
    fields: {
      max_redeliveries: { type: 'int', min: 0, required: true, description: 'redeliveries after the first delivery' },
      delay_ms: { type: 'int', min: 0, default: 1000, description: 'ms before each redelivery' },
    },
  },
  scheduler_directory: { type: 'path', description: "where the scheduler keeps delayed redeliveries (on the shared store, they survive a failover)" },
  backup,
} as const satisfies ParamSpecs;

export type ActivemqPoliciesParams = ParamsOf<typeof params>;

function settings(p: ActivemqPoliciesParams): PolicySettings {
  return {
    memoryLimitMb: p.memory_limit_mb,
    memoryPercentOfHeap: p.memory_percent_of_heap,
    storeLimitGb: p.store_limit_gb,
    tempLimitGb: p.temp_limit_gb,
    destinations: p.destinations?.map((d) => ({ type: d.type, match: d.match, producerFlowControl: d.producer_flow_control, memoryLimitMb: d.memory_limit_mb, deadLetterPrefix: d.dead_letter_prefix })),
    redelivery: p.redelivery && { maxRedeliveries: p.redelivery.max_redeliveries, delayMs: p.redelivery.delay_ms },
    schedulerDirectory: p.scheduler_directory,
  };
}

/**
 * Brokers of one task share a store or serve the same clients: after a failover the other broker
 * must keep the same limits, dead-letter queues and redeliveries, and find the same scheduled ones.
 */
function cluster(group: readonly HostTask<ActivemqPoliciesParams>[], report: (p: ClusterProblem) => void): void {
  if (group.length < 2) return;
  const hint = 'a failover must not change how messages are limited, redelivered or dead-lettered: give every broker the same policies';
  const same = (param: keyof ActivemqPoliciesParams & string, what: string, warn = false) =>
    mustAgree(group, param, (t) => (t.params[param] === undefined ? undefined : JSON.stringify(t.params[param])), warn ? (p) => report({ ...p, severity: 'warning' }) : report, {
      code: 'amq-policy-mismatch',
      what,
      hint,
    });
  same('store_limit_gb', 'store_limit_gb');
  same('temp_limit_gb', 'temp_limit_gb');
  same('destinations', 'the destination policies');
  same('redelivery', 'redelivery');
  same('memory_limit_mb', 'memory_limit_mb', true);
  same('memory_percent_of_heap', 'memory_percent_of_heap', true);
  mustAgree(group, 'scheduler_directory', (t) => hostPath(t.params.scheduler_directory, t), report, {
    code: 'amq-policy-mismatch',
    what: 'scheduler_directory',
    hint: 'brokers sharing a store keep scheduled redeliveries in one directory on it, so the next master finds them',
  });
}

export const activemqPolicies = defineModule({
  name: 'activemq_policies',
  summary: 'activemq.xml limits and policies: memory, store and temp usage, destination policies, redelivery',
  docs: `Edits an existing \`activemq.xml\` in place, XML-aware, like \`activemq_broker\`: only what the
parameters name changes; comments, other elements and indentation stay byte for byte.

- \`memory_limit_mb\` (or \`memory_percent_of_heap\`), \`store_limit_gb\`, \`temp_limit_gb\`: the
  \`<systemUsage>\` limits. Producers are slowed or blocked when one is reached, instead of the
  broker running out of heap or disk.
- \`destinations\`: the whole \`<destinationPolicy>\` list. Each entry matches queues or topics
  (\`match: ">"\` for all) and sets producer flow control, a per-destination memory limit and an
  individual dead-letter queue (\`dead_letter_prefix: DLQ.\`: messages of \`orders\` that cannot be
  delivered go to \`DLQ.orders\`, not to the shared \`ActiveMQ.DLQ\`). An existing entry with the
  same type and match is edited in place, keeping what else it sets.
- \`redelivery\`: the broker's \`redeliveryPlugin\`: a message its consumer rejects (a JMS rollback,
  a STOMP NACK) is redelivered \`max_redeliveries\` times, \`delay_ms\` apart, then sent to its
  dead-letter queue. It needs the broker's scheduler: \`schedulerSupport\` is turned on.
  \`scheduler_directory\` on the shared store lets the next master find pending redeliveries.

Brokers of one task must agree on all of it (memory limits only get a warning).`,
  params,
  exclusive: [['memory_limit_mb', 'memory_percent_of_heap']],
  cluster,
  examples: `- name: Broker limits and policies
  activemq_policies:
    conf: /etc/activemq/instances-available/main/activemq.xml
    memory_percent_of_heap: 70
    store_limit_gb: 50
    temp_limit_gb: 10
    destinations:
      - { match: ">", type: queue, producer_flow_control: true, memory_limit_mb: 64, dead_letter_prefix: DLQ. }
      - { match: ">", type: topic, producer_flow_control: true, memory_limit_mb: 64 }
    redelivery: { max_redeliveries: 6, delay_ms: 1000 }
    scheduler_directory: /shared/activemq-data/scheduler
`,
  check: (ctx, p) =>
    planXmlEdit(ctx, {
      path: p.conf,
      missing: INSTALL_FIRST,
      backup: p.backup,
      edit: (text) => editPolicies(text, settings(p)),
      summary: (e) => editSummary(p.conf, e),
      note: `${p.conf} already has these limits and policies`,
    }),
});
