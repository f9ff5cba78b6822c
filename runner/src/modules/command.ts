import { defineModule } from './define.js';

export interface CommandParams {
  cmd: string;
  creates?: string;
  removes?: string;
  unless?: string;
  chdir?: string;
}

export const command = defineModule<CommandParams>({
  name: 'command',
  summary: 'Run a shell command, guarded so that a second run does nothing',
  docs: `Runs \`cmd\` through \`sh -c\` on the host.

A bare command runs on every run and always reports **changed**. Guard it so the runbook converges:
- \`creates\`: skip when this path exists;
- \`removes\`: skip when this path does not exist;
- \`unless\`: skip when this read-only command exits 0.

In a dry-run the guards are evaluated; the command itself never runs, and is shown as what would run.
Its effect on later tasks cannot be known before it runs, so they may report *unknown*.`,
  freeForm: 'cmd',
  params: {
    cmd: { type: 'string', required: true, description: 'the command line, run by sh -c' },
    creates: { type: 'path', description: 'skip the command when this path exists' },
    removes: { type: 'path', description: 'skip the command when this path does not exist' },
    unless: { type: 'string', description: 'skip the command when this read-only command exits 0' },
    chdir: { type: 'path', description: 'directory to run the command in' },
  },
  examples: `- name: Reload the NFS exports
  command: { cmd: exportfs -ra }
- name: Unpack ActiveMQ once
  command:
    cmd: tar -xzf /tmp/apache-activemq-5.17.2-bin.tar.gz -C /opt
    creates: /opt/apache-activemq-5.17.2
`,
});
