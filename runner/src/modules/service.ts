import { CheckFailed, type CheckContext } from './lib/context.js';
import { requireParent } from './lib/file-target.js';
import { defineModule } from './lib/define.js';
import { initSystem } from './facts/service.js';
import { change, ok, type Change } from './lib/plan.js';
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

SysV services are enabled with \`update-rc.d NAME defaults\` + \`update-rc.d NAME enable\` (or
\`chkconfig NAME on\`); a start link in \`/etc/rc?.d/\` means enabled.

\`restarted\` and \`reloaded\` always act, so use them in handlers, notified by the tasks whose change
needs them.`,
  freeForm: 'name',
  params,
  oneOf: [
    { params: ['state', 'enabled'] },
    { params: ['pidfile', 'status'], when: { manager: 'command' } },
  ],
  examples: `- name: ActiveMQ is running
  service: { name: activemq, state: started, enabled: true }
`,
  async check(ctx, p) {
    const c = await controller(ctx, p);
    const changes: Change[] = [];
    const acts: string[] = [];
    const notes: string[] = [];
    if (p.enabled !== undefined) {
      const boot = await c.boot();
      if (boot.fixed) notes.push(`${boot.fixed} unit, enabled as it is`);
      else if (boot.on === p.enabled) notes.push(p.enabled ? 'enabled' : 'disabled');
      else {
        changes.push(...(await c.setBoot(p.enabled)));
        acts.push(p.enabled ? 'enable' : 'disable');
      }
    }
    if (p.state) {
      const running = await c.running();
      const step = stateStep(c, p.state, running);
      if (step) {
        if (p.manager === 'command' && step.act !== 'stop') await requireStartable(ctx, p);
        changes.push(...step.changes);
        acts.push(step.act);
      } else notes.push(running ? 'running' : 'stopped');
    }
    return changes.length ? change(`${acts.join(' and ')} ${p.name}`, ...changes) : ok(`${p.name} ${notes.join(', ')}`);
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

async function controller(ctx: CheckContext, p: ServiceParams): Promise<Controller> {
  const manager = p.manager === 'auto' ? await ctx.fact(initSystem) : p.manager;
  if (manager === 'systemd') return systemdController(ctx, p.name);
  if (manager === 'sysv') return sysvController(ctx, p.name);
  return commandController(ctx, p);
}
