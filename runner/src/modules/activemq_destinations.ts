import { backup } from './lib/common.js';
import { INSTALL_FIRST, planXmlEdit } from './lib/conf-file.js';
import type { CheckContext } from './lib/context.js';
import { defineModule, type ClusterProblem, type HostTask } from './lib/define.js';
import { mustAgree } from './lib/cluster.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';
import { change, ok, type Plan } from './lib/plan.js';
import { editDestinations, type Destination } from './text/destinations-xml.js';

/** One destination name. */
const NAME = { type: 'string', singleLine: true, description: 'a physical destination name, e.g. orders.incoming' } as const;

const params = {
  conf: { type: 'path', required: true, description: 'the activemq.xml to edit' },
  queues: { type: 'list', default: [], uniqueBy: '.', items: NAME, description: 'queues the broker creates at start' },
  topics: { type: 'list', default: [], uniqueBy: '.', items: NAME, description: 'topics the broker creates at start' },
  backup,
} as const satisfies ParamSpecs;

export type ActivemqDestinationsParams = ParamsOf<typeof params>;

function wanted(p: ActivemqDestinationsParams): Destination[] {
  return [...p.queues.map((name) => ({ kind: 'queue' as const, name })), ...p.topics.map((name) => ({ kind: 'topic' as const, name }))];
}

async function check(ctx: CheckContext, p: ActivemqDestinationsParams): Promise<Plan> {
  const names = wanted(p).map((d) => `${d.kind} ${d.name}`).join(', ') || 'none';
  return planXmlEdit(ctx, {
    path: p.conf,
    missing: INSTALL_FIRST,
    backup: p.backup,
    edit: (text) => editDestinations(text, wanted(p)),
    summary: (e) => `destinations in ${p.conf}: ${e.details.length === 1 ? e.details[0] : `${e.details.length} changes`}`,
    note: `destinations as wanted: ${names}`,
  });
}

/** Brokers of one task (a shared store, or a network) offer the same destinations. */
function cluster(group: readonly HostTask<ActivemqDestinationsParams>[], report: (p: ClusterProblem) => void): void {
  const hint = 'every broker of a cluster creates the same destinations, so clients find them after a failover';
  mustAgree(group, 'queues', (t) => [...t.params.queues].sort().join(', ') || 'none', report, { code: 'amq-destinations-mismatch', what: 'the queues', hint });
  mustAgree(group, 'topics', (t) => [...t.params.topics].sort().join(', ') || 'none', report, { code: 'amq-destinations-mismatch', what: 'the topics', hint });
}

export const activemqDestinations = defineModule({
  name: 'activemq_destinations',
  summary: 'Queues and topics a broker creates at start (<destinations> in activemq.xml)',
  docs: `Keeps the \`<destinations>\` list of \`<broker>\` in \`activemq.xml\`: the queues and topics the broker
creates when it starts, so they exist before any client uses them (and show in the console with no
client connected). The whole list is what the task names, in order; everything else in the file
stays byte for byte, and kept entries keep their text.

Brokers sharing one store must declare the same destinations: validation checks this across the
hosts of a play. A change takes effect when the broker restarts: notify its restart handler.`,
  params,
  cluster,
  examples: `- name: Queues the applications use
  activemq_destinations:
    conf: /etc/activemq/instances-available/main/activemq.xml
    queues: [orders.incoming, orders.dead]
    topics: [prices]
`,
  check,
});
