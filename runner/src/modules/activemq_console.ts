import { backup } from './lib/common.js';
import { planXmlEdit } from './lib/conf-file.js';
import type { CheckContext } from './lib/context.js';
import { defineModule } from './lib/define.js';
import type { Plan } from './lib/plan.js';
import { editJettyXml } from './text/jetty-xml.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  conf: { type: 'path', required: true, description: 'the jetty.xml to edit' },
  host: { type: 'string', description: 'address the console listens on (0.0.0.0 for all)' },
  port: { type: 'port', default: 8161, description: 'port of the web console' },
  backup,
} as const satisfies ParamSpecs;

export type ActivemqConsoleParams = ParamsOf<typeof params>;

function check(ctx: CheckContext, p: ActivemqConsoleParams): Promise<Plan> {
  const where = `${p.host ?? '(host as is)'}:${p.port}`;
  return planXmlEdit(ctx, {
    path: p.conf,
    missing: "the web console's jetty.xml sits beside activemq.xml in an upstream install (Debian's package ships it only as an example)",
    backup: p.backup,
    edit: (text) => editJettyXml(text, { host: p.host, port: p.port }),
    summary: () => `web console on ${where}`,
    note: `the web console already listens on ${where}`,
  });
}

export const activemqConsole = defineModule({
  name: 'activemq_console',
  summary: 'The web console (jetty.xml): listen address and port',
  docs: `Sets the address and port the ActiveMQ web console (Jetty) listens on, in \`jetty.xml\`'s
\`jettyPort\` bean (\`host\` and \`port\` properties). The rest of the file stays byte for byte.

The console is HTTP on 8161; put HAProxy's console backend on this port, never on a broker
transport port such as 61616.`,
  params,
  listens: (p) => [{ port: p.port, ...(p.host !== undefined ? { address: p.host } : {}), protocol: 'http', name: 'web console', path: ['port'], file: p.conf }],
  examples: `- name: Console on all addresses
  activemq_console: { conf: /etc/activemq/jetty.xml, host: 0.0.0.0, port: 8161 }
`,
  check,
});
