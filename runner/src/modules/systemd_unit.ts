import { posix } from 'node:path';
import { cmd, q } from '../transport/quote.js';
import { defineModule } from './lib/define.js';
import { planFile } from './lib/file-target.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';
import { renderServiceUnit } from './text/systemd-unit.js';

const line = (description: string) => ({ type: 'string', singleLine: true, description }) as const;
const units = (description: string) => ({ type: 'list', description, items: line('a unit name') }) as const;

const params = {
  name: { type: 'string', required: true, singleLine: true, description: 'the unit name without .service (activemq: activemq.service)' },
  dir: { type: 'path', default: '/etc/systemd/system', description: 'where the unit file goes' },
  description: { ...line('Description= of the unit'), required: true },
  after: units('After=: units started before this one'),
  wants: units('Wants=: units this one pulls in'),
  requires_mounts_for: { type: 'list', description: 'RequiresMountsFor=: paths whose mounts the service needs (the shared store)', items: { type: 'path', description: 'a path' } },
  mount_guard: { type: 'bool', default: true, description: 'with requires_mounts_for: ExecStartPre= refuses the start, saying why, while a path is not a mount point' },
  type: { type: 'string', choices: ['simple', 'exec', 'forking', 'oneshot', 'notify'], default: 'simple', description: 'Type= of the service' },
  user: line('User= the service runs as'),
  group: line('Group= the service runs as'),
  environment: {
    type: 'list',
    uniqueBy: 'name',
    description: 'Environment= variables (the JVM options: ACTIVEMQ_OPTS)',
    items: { type: 'map', description: 'one variable', fields: { name: { ...line('the variable name'), required: true }, value: { ...line('its value'), required: true } } },
  },
  exec_start: { ...line('ExecStart=: the command line, in systemd syntax'), required: true },
  exec_stop: line('ExecStop=: the command line, in systemd syntax'),
  pidfile: { type: 'path', description: 'PIDFile= (with type forking)' },
  working_directory: { type: 'path', description: 'WorkingDirectory=' },
  restart: { type: 'string', choices: ['no', 'on-failure', 'on-abnormal', 'always'], description: 'Restart=' },
  limit_nofile: { type: 'int', min: 1, description: 'LimitNOFILE=: open files (connections) the service may hold' },
  wanted_by: { ...line('WantedBy= of [Install]'), default: 'multi-user.target' },
  verify: { type: 'bool', default: true, description: 'check the new file with systemd-analyze verify before it replaces the old one' },
} as const satisfies ParamSpecs;

export type SystemdUnitParams = ParamsOf<typeof params>;

/** systemd-analyze wants the unit's own name: a copy in a temporary folder is checked. */
export function verifyCommand(unitName: string): string {
  const script = 'd=$(mktemp -d) && cp -- "$1" "$d/$2" && systemd-analyze verify "$d/$2"; r=$?; rm -rf -- "$d"; exit $r';
  return `${cmd('sh', '-c', script, 'verify-unit')} %s ${q(unitName)}`;
}

export const systemdUnit = defineModule({
  name: 'systemd_unit',
  summary: 'A systemd service unit file, checked by systemd-analyze verify',
  docs: `Writes \`DIR/NAME.service\` from its settings (the whole file: it is owned by the runbook) and
replaces it atomically, after \`systemd-analyze verify\` accepts the new text (\`verify: false\` where
that tool is missing).

systemd reads a changed unit only after \`systemctl daemon-reload\`: notify a handler such as
\`service: { name: activemq, daemon_reload: true, state: restarted }\`.

For a broker on a shared store, \`requires_mounts_for\` orders the service after the store's mount
and, with \`mount_guard\` (the default), adds an \`ExecStartPre=\` that refuses the start, with the
reason in the journal, while the path is not a mount point: RequiresMountsFor= alone does nothing
when no mount unit covers the path (a missing fstab line).`,
  params,
  examples: `- name: ActiveMQ's unit (tarball install)
  systemd_unit:
    name: activemq
    description: Apache ActiveMQ
    after: [network-online.target, remote-fs.target]
    requires_mounts_for: [/shared/activemq-data]
    type: forking
    user: activemq
    group: activemq
    environment: [{ name: ACTIVEMQ_OPTS, value: -Xms1024M -Xmx1024M }]
    exec_start: /opt/activemq/bin/activemq start
    exec_stop: /opt/activemq/bin/activemq stop
    pidfile: /opt/activemq/data/activemq.pid
    limit_nofile: 65536
`,
  async check(ctx, p) {
    const file = posix.join(p.dir, `${p.name}.service`);
    const text = renderServiceUnit({
      name: p.name,
      description: p.description,
      after: p.after,
      wants: p.wants,
      requiresMountsFor: p.requires_mounts_for,
      mountGuard: p.mount_guard,
      type: p.type,
      user: p.user,
      group: p.group,
      environment: p.environment,
      execStart: p.exec_start,
      execStop: p.exec_stop,
      pidFile: p.pidfile,
      workingDirectory: p.working_directory,
      restart: p.restart,
      limitNofile: p.limit_nofile,
      wantedBy: p.wanted_by,
    });
    return planFile(ctx, file, text, { mode: '0644' }, p.verify ? { validate: verifyCommand(`${p.name}.service`) } : {});
  },
});
