import { CheckFailed, type CheckContext } from './lib/context.js';
import { requireParent } from './lib/file-target.js';
import { defineModule } from './lib/define.js';
import { initSystem } from './facts/service.js';
import { change, ok, type Change } from './lib/plan.js';
import { awaitProcess, processState } from './lib/process-check.js';
import { commandController, systemdController, sysvController, type Controller } from './lib/service-managers.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  name: { type: 'string', required: true, description: 'the service name (systemd unit, init script, or a label)' },
  state: { type: 'string', choices: ['started', 'stopped', 'restarted', 'reloaded'], description: 'the state to ensure; restarted and reloaded always act' },
  enabled: { type: 'bool', onlyWhen: { manager: ['auto', 'systemd', 'sysv'] }, description: 'start at boot (systemd and sysv only)' },
  manager: { type: 'string', choices: ['auto', 'systemd', 'sysv', 'command'], default: 'auto', description: 'how the service is controlled; auto detects systemd or sysv' },
  start: { type: 'string', onlyWhen: { manager: 'command' }, requiredWhen: { manager: 'command', state: ['started', 'restarted', 'reloaded'] }, description: 'manager command: the command that runs the service in the foreground' },
  stop: { type: 'string', onlyWhen: { manager: 'command' }, description: 'manager command: the command that stops it (default: kill the pid in pidfile)' },
  status: { type: 'string', onlyWhen: { manager: 'command' }, description: 'manager command: a command that exits 0 when it runs (default: the pid in pidfile is alive)' },
  pidfile: { type: 'path', onlyWhen: { manager: 'command' }, description: 'manager command: where the pid of the started process is kept' },
  log: { type: 'path', onlyWhen: { manager: 'command' }, description: 'manager command: file for the output of the process (default /dev/null)' },
  chdir: { type: 'path', onlyWhen: { manager: 'command' }, description: 'manager command: directory to start the process in' },
  process: {
    type: 'map',
    description: "the service's main process: it runs when the pid in pidfile runs a command line matching cmdline, whatever the status command says",
    fields: {
      pidfile: { type: 'path', required: true, description: 'where the service keeps the pid of its main process' },
      cmdline: { type: 'regex', required: true, description: 'a regular expression its command line (arguments joined by spaces) matches' },
      wait: { type: 'int', min: 1, default: 60, description: 'seconds a start may take before the process must run' },
    },
  },
  daemon_reload: { type: 'bool', onlyWhen: { manager: ['auto', 'systemd'] }, description: 'systemd: reload unit files first (systemctl daemon-reload); nothing to do without systemd' },
} as const satisfies ParamSpecs;

export type ServiceParams = ParamsOf<typeof params>;

export const service = defineModule({
  name: 'service',
  summary: "A service's state: started, stopped, restarted or reloaded",
  docs: `Ensures a service runs (or not), and restarts or reloads it.

\`manager: auto\` uses systemd when it is PID 1, else the SysV \`service\` command. \`manager: command\`
runs a plain process: \`start\` is launched detached (\`nohup setsid\`), its pid kept in \`pidfile\`;
\`status\` (default: the pid in \`pidfile\` is alive and not a zombie) tells whether it runs; \`stop\`
(default: SIGTERM to the process group of that pid, up to 30 s for it to exit, then SIGKILL)
stops it. With \`manager: command\`, \`restarted\` and \`reloaded\` both stop and start it.

With \`process\`, whether the service runs is read from its process, not from the status command:
init scripts can be wrong (Debian's activemq reports success when no instance is enabled, and
starts nothing). The note says which pid runs what; after a start or restart the task waits (up to
\`wait\` seconds) for that process and fails when it does not appear.

\`daemon_reload: true\` runs \`systemctl daemon-reload\` before anything else, on systemd hosts: a
handler notified by a unit-file task.

SysV services are enabled with \`update-rc.d NAME defaults\` + \`update-rc.d NAME enable\` (or
\`chkconfig NAME on\`); a start link in \`/etc/rc?.d/\` means enabled.

\`restarted\` and \`reloaded\` always act, so use them in handlers, notified by the tasks whose change
needs them. One exception: when an earlier task of the run started (or restarted) the same service
after every change that notified the handler, the service already runs those changes, and the
handler says so instead of restarting it again (a fresh broker is not started twice).`,
  freeForm: 'name',
  params,
  oneOf: [
    { params: ['state', 'enabled', 'daemon_reload'] },
    { params: ['pidfile', 'status'], when: { manager: 'command' } },
  ],
  examples: `- name: ActiveMQ is running
  service: { name: activemq, state: started, enabled: true }
- name: ActiveMQ's JVM runs (Debian's init script)
  service:
    name: activemq
    state: started
    process: { pidfile: /var/run/activemq/main.pid, cmdline: 'java .*-Dactivemq\\.base=/var/lib/activemq/main( |$)' }
`,
  async check(ctx, p) {
    const manager = p.manager === 'auto' ? await ctx.fact(initSystem) : p.manager;
    const c = controller(ctx, p, manager);
    const changes: Change[] = [];
    const acts: string[] = [];
    const notes: string[] = [];
    let because = '';
    if (p.daemon_reload) {
      if (manager === 'systemd') {
        changes.push({ kind: 'command', cmd: 'systemctl daemon-reload', why: 'reload unit files', declared: true });
        acts.push('reload units for');
      } else notes.push('no systemd: no unit files to reload');
    }
    if (p.enabled !== undefined) {
      const boot = await c.boot();
      if (boot.fixed) notes.push(`${boot.fixed} unit, enabled as it is`);
      else if (boot.on === p.enabled) notes.push(p.enabled ? 'enabled' : 'disabled');
      else {
        changes.push(...(await c.setBoot(p.enabled)));
        acts.push(p.enabled ? 'enable' : 'disable');
      }
    }
    const startedBy = p.state === 'restarted' || p.state === 'reloaded' ? ctx.startedAfterNotice(p.name) : undefined;
    let starts: string | undefined;
    if (startedBy !== undefined) notes.push(`not ${p.state}: '${startedBy}' started it after the changes that asked for this, so it runs them already`);
    else if (p.state) {
      const seen = p.process ? await processState(ctx, p.process) : undefined;
      const running = seen ? seen.running : await c.running();
      const step = stateStep(c, p.state, running);
      if (step) {
        if (p.manager === 'command' && step.act !== 'stop') await requireStartable(ctx, p);
        changes.push(...step.changes);
        if (p.process && step.act !== 'stop') changes.push(awaitProcess(p.name, p.process, commandOf(step.changes)));
        acts.push(step.act);
        if (step.act !== 'stop') starts = p.name;
        if (seen && !seen.running) because = ` (not running: ${seen.how})`;
      } else notes.push(`${running ? 'running' : 'stopped'}${seen ? ` (${seen.how})` : ''}`);
    }
    if (!changes.length) return ok(`${p.name} ${notes.join(', ')}`);
    const plan = change(`${acts.join(' and ')} ${p.name}${because}`, ...changes);
    return starts === undefined ? plan : { ...plan, starts };
  },
});

/** A plain process is started in the background: what would make that fail half-way is said first. */
async function requireStartable(ctx: CheckContext, p: ServiceParams): Promise<void> {
  for (const file of [p.pidfile, p.log]) if (file !== undefined) await requireParent(ctx, file);
  if (p.chdir !== undefined && (await ctx.stat(p.chdir))?.type !== 'dir') throw new CheckFailed(`cannot start ${p.name} in ${p.chdir}: there is no such directory`);
}

function stateStep(c: Controller, state: NonNullable<ServiceParams['state']>, running: boolean): { act: string; changes: Change[] } | undefined {
  switch (state) {
    case 'started':
      return running ? undefined : { act: 'start', changes: c.start() };
    case 'stopped':
      return running ? { act: 'stop', changes: c.stop() } : undefined;
    case 'restarted':
      return { act: running ? 'restart' : 'start', changes: c.restart(running) };
    case 'reloaded':
      return { act: running ? 'reload' : 'start', changes: c.reload(running) };
  }
}

/** The last command of a step, as the process check's failure names it. */
function commandOf(changes: readonly Change[]): string {
  const last = changes.filter((c) => c.kind === 'command').at(-1);
  return last?.kind === 'command' ? last.cmd : 'the start';
}

function controller(ctx: CheckContext, p: ServiceParams, manager: 'systemd' | 'sysv' | 'command'): Controller {
  if (manager === 'systemd') return systemdController(ctx, p.name);
  if (manager === 'sysv') return sysvController(ctx, p.name);
  return commandController(ctx, p);
}
