import { backup } from './lib/common.js';
import { readExisting, xmlFailure } from './lib/conf-file.js';
import { writeChange } from './lib/file-target.js';
import type { CheckContext } from './lib/context.js';
import { defineModule } from './lib/define.js';
import { change, ok, type Plan } from './lib/plan.js';
import { editJettyXml } from './text/jetty-xml.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  conf: { type: 'path', required: true, description: 'the jetty.xml to edit' },
  host: { type: 'string', description: 'address the console listens on (0.0.0.0 for all)' },
  port: { type: 'port', default: 8161, description: 'port of the web console' },
  backup,
} as const satisfies ParamSpecs;

export type ActivemqConsoleParams = ParamsOf<typeof params>;

async function check(ctx: CheckContext, p: ActivemqConsoleParams): Promise<Plan> {
  const cur = await readExisting(ctx, p.conf, "the web console's jetty.xml sits beside activemq.xml in an upstream install (Debian's package ships it only as an example)");
  const before = cur.text;
  let edit;
  try {
    edit = editJettyXml(before, { host: p.host, port: p.port });
  } catch (e) {
    throw xmlFailure(p.conf, e);
  }
  const where = `${p.host ?? '(host as is)'}:${p.port}`;
  const write = edit.text === before ? null : await writeChange(ctx, p.conf, cur, edit.text, {}, { backup: p.backup, details: edit.details });
  if (!write) return ok(`the web console already listens on ${where}`);
  return change(`web console on ${where}`, write);
}

export const activemqConsole = defineModule({
  name: 'activemq_console',
  summary: 'The web console (jetty.xml): listen address and port',
  docs: `Sets the address and port the ActiveMQ web console (Jetty) listens on, in \`jetty.xml\`'s
\`jettyPort\` bean (\`host\` and \`port\` properties). The rest of the file stays byte for byte.

The console is HTTP on 8161; put HAProxy's console backend on this port, never on a broker
transport port such as 61616.`,
  params,
  listens: (p) => [{ port: p.port, protocol: 'http', name: 'web console' }],
  examples: `- name: Console on all addresses
  activemq_console: { conf: /etc/activemq/jetty.xml, host: 0.0.0.0, port: 8161 }
`,
  check,
});
