import type { CheckContext } from './lib/context.js';
import { defineModule } from './lib/define.js';
import { initSystem } from './facts/service.js';
import { change, ok, type Change } from './lib/plan.js';
import { commandController, systemdController, sysvController, type Controller } from './lib/service-managers.js';

export interface ServiceParams {
  name: string;
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded';
  enabled?: boolean;
  manager: 'auto' | 'systemd' | 'sysv' | 'command';
  start?: string;
  stop?: string;
  status?: string;
  pidfile?: string;
  log?: string;
  chdir?: string;
}

export const service = defineModule<ServiceParams>({
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
  params: {
    name: { type: 'string', required: true, description: 'the service name (systemd unit, init script, or a label)' },
    state: { type: 'string', choices: ['started', 'stopped', 'restarted', 'reloaded'], description: 'the state to ensure; restarted and reloaded always act' },
    enabled: { type: 'bool', description: 'start at boot (systemd and sysv only)' },
    manager: { type: 'string', choices: ['auto', 'systemd', 'sysv', 'command'], default: 'auto', description: 'how the service is controlled; auto detects systemd or sysv' },
    start: { type: 'string', description: 'manager command: the command that runs the service in the foreground' },
    stop: { type: 'string', description: 'manager command: the command that stops it (default: kill the pid in pidfile)' },
    status: { type: 'string', description: 'manager command: a command that exits 0 when it runs (default: the pid in pidfile is alive)' },
    pidfile: { type: 'path', description: 'manager command: where the pid of the started process is kept' },
    log: { type: 'path', description: 'manager command: file for the output of the process (default /dev/null)' },
    chdir: { type: 'path', description: 'manager command: directory to start the process in' },
  },
  validate(p) {
    const out = [];
    if (p.state === undefined && p.enabled === undefined) out.push({ message: 'service needs state or enabled', hint: 'state: started, for example', code: 'missing-required' });
    if (p.manager === 'command') {
      if (!p.pidfile && !p.status) out.push({ param: 'manager', message: "manager 'command' needs pidfile or status", code: 'missing-required' });
      if (!p.start && p.state !== 'stopped') out.push({ param: 'manager', message: "manager 'command' needs start", code: 'missing-required' });
      if (p.enabled !== undefined) out.push({ param: 'enabled', message: "enabled has no meaning with manager 'command'", code: 'bad-value' });
    } else {
      for (const k of ['start', 'stop', 'status', 'pidfile', 'log', 'chdir'] as const) {
        if (p[k] !== undefined) out.push({ param: k, message: `${k} is only used with manager 'command'`, hint: 'set manager: command, or remove it', code: 'bad-value' });
      }
    }
    return out;
  },
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
        changes.push(...step.changes);
        acts.push(step.act);
      } else notes.push(running ? 'running' : 'stopped');
    }
    return changes.length ? change(`${acts.join(' and ')} ${p.name}`, ...changes) : ok(`${p.name} ${notes.join(', ')}`);
  },
});

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
