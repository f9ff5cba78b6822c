import { defineModule } from './define.js';

export interface WaitForParams {
  host?: string;
  port: number;
  state: 'open' | 'closed';
  timeout: number;
}

export const waitFor = defineModule<WaitForParams>({
  name: 'wait_for',
  summary: 'Wait until a TCP port is open (or closed)',
  docs: `Polls a TCP port from the host the task runs on until it accepts connections (\`open\`) or
refuses them (\`closed\`), for at most \`timeout\` seconds. It changes nothing.

In a dry-run it probes once and reports what it found without waiting, since the changes it
would wait for were not made.`,
  probe: true,
  params: {
    host: { type: 'string', description: 'the address to probe (default: the host itself)' },
    port: { type: 'port', required: true, description: 'the TCP port' },
    state: { type: 'string', choices: ['open', 'closed'], default: 'open', description: 'wait for the port to accept or to refuse connections' },
    timeout: { type: 'int', default: 60, description: 'seconds to wait at most' },
  },
  examples: `- name: Wait for OpenWire
  wait_for: { port: 61616, timeout: 60 }
`,
});
