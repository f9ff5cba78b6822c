import { cmd, q } from '../../transport/quote.js';
import { CheckFailed, type CheckContext } from './context.js';
import { daemonRunning, startChanges, stopChanges, type Daemon } from './daemon.js';
import { sysvEnabler } from '../facts/service.js';
import type { Change } from './plan.js';

/** Whether a service starts at boot; `fixed` when that cannot be changed (a static systemd unit). */
export interface BootState {
  on: boolean;
  fixed?: string;
}

/** What the service module needs from a service manager: read the state, and the changes that act. */
export interface Controller {
  running(): Promise<boolean>;
  boot(): Promise<BootState>;
  setBoot(on: boolean): Promise<Change[]>;
  start(): Change[];
  stop(): Change[];
  restart(running: boolean): Change[];
  reload(running: boolean): Change[];
}

/** A service manager's command changes no file a later check reads. */
const run = (line: string, why: string): Change => ({ kind: 'command', cmd: line, why, declared: true });

/** Unit states for which `systemctl enable/disable` has nothing to do. */
const FIXED_UNIT_STATES = new Set(['static', 'indirect', 'generated', 'transient', 'alias']);

export function systemdController(ctx: CheckContext, name: string): Controller {
  const act = (verb: string) => run(cmd('systemctl', verb, name), `${verb} ${name}`);
  return {
    running: async () => (await ctx.run(cmd('systemctl', 'is-active', name))).code === 0,
    async boot() {
      const line = cmd('systemctl', 'is-enabled', name);
      const r = await ctx.run(line);
      const state = r.stdout.trim().split('\n')[0] ?? '';
      if (state === '') throw new CheckFailed(`cannot tell whether ${name} is enabled: ${r.stderr.trim() || `exit ${r.code}`}`, { cmd: line, ...r });
      return { on: r.code === 0, ...(FIXED_UNIT_STATES.has(state) ? { fixed: state } : {}) };
    },
    setBoot: async (on) => [act(on ? 'enable' : 'disable')],
    start: () => [act('start')],
    stop: () => [act('stop')],
    restart: () => [act('restart')],
    reload: (running) => [act(running ? 'reload' : 'start')],
  };
}

export function sysvController(ctx: CheckContext, name: string): Controller {
  const act = (verb: string) => run(cmd('service', name, verb), `${verb} ${name}`);
  return {
    running: async () => (await ctx.run(cmd('service', name, 'status'))).code === 0,
    // Enabled = a start link in some runlevel directory (`update-rc.d disable` turns S links into K links).
    boot: async () => ({ on: (await ctx.run(`for f in /etc/rc?.d/S??${q(name)}; do [ -e "$f" ] && exit 0; done; exit 1`)).code === 0 }),
    async setBoot(on) {
      const tool = await ctx.fact(sysvEnabler);
      if (tool === 'update-rc.d') {
        // `defaults` makes the links when there are none; `enable` turns K links left by `disable` back into S links.
        return on ? [run(cmd('update-rc.d', name, 'defaults'), `links for ${name}`), run(cmd('update-rc.d', name, 'enable'), `enable ${name}`)] : [run(cmd('update-rc.d', name, 'disable'), `disable ${name}`)];
      }
      if (tool === 'chkconfig') return [run(cmd('chkconfig', name, on ? 'on' : 'off'), `${on ? 'enable' : 'disable'} ${name}`)];
      throw new CheckFailed(`cannot ${on ? 'enable' : 'disable'} ${name} at boot: neither update-rc.d nor chkconfig is installed`);
    },
    start: () => [act('start')],
    stop: () => [act('stop')],
    restart: () => [act('restart')],
    reload: (running) => [act(running ? 'reload' : 'start')],
  };
}

export function commandController(ctx: CheckContext, d: Daemon): Controller {
  return {
    running: () => daemonRunning(ctx, d),
    boot: async () => {
      throw new CheckFailed(`service ${d.name}: enabled has no meaning with manager 'command'`);
    },
    setBoot: async () => [],
    start: () => startChanges(d),
    stop: () => stopChanges(d),
    restart: (running) => [...(running ? stopChanges(d) : []), ...startChanges(d)],
    reload: (running) => [...(running ? stopChanges(d) : []), ...startChanges(d)],
  };
}
