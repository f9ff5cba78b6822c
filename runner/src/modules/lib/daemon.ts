import { q } from '../../transport/quote.js';
import { CheckFailed, type CheckContext } from './context.js';
import type { Change } from './plan.js';
import type { ServiceParams } from '../service.js';

/** A plain process run as a service: started detached, found by its pidfile or a status command. */
export type Daemon = Pick<ServiceParams, 'name' | 'start' | 'stop' | 'status' | 'pidfile' | 'log' | 'chdir'>;

/** How long the default stop waits for the process to exit before it sends SIGKILL. */
export const STOP_WAIT_SECONDS = 30;
const POLL = 0.2;

export function parsePid(text: string): number | undefined {
  const m = /^\s*(\d+)\s*$/.exec(text);
  const pid = m ? Number(m[1]) : NaN;
  return pid > 1 ? pid : undefined;
}

/** A defunct process still answers `kill -0`; /proc/PID/status says `State: Z`. */
export function isZombie(procStatus: string): boolean {
  return /^State:\s*Z/m.test(procStatus);
}

/** Runs: the status command exits 0, or the pid in the pidfile is a live, non-zombie process. */
export async function daemonRunning(ctx: CheckContext, d: Daemon): Promise<boolean> {
  if (d.status) return (await ctx.run(d.status)).code === 0;
  if (!d.pidfile) throw new CheckFailed(`service ${d.name}: manager 'command' needs pidfile or status`);
  const text = await ctx.read(d.pidfile);
  const pid = text === null ? undefined : parsePid(text);
  if (pid === undefined) return false;
  const status = await ctx.read(`/proc/${pid}/status`);
  return status !== null && !isZombie(status);
}

/**
 * Starts the process detached from the session, in the one form that returns at once over SSH:
 * `cd DIR || exit 1; nohup setsid START > LOG 2>&1 < /dev/null & echo $! > PIDFILE`.
 * (`cd DIR && nohup ... &` backgrounds the whole list in a subshell that keeps the channel open.)
 */
export function startCommand(d: Daemon): string {
  if (!d.start) throw new CheckFailed(`service ${d.name}: manager 'command' needs start`);
  const cd = d.chdir ? `cd ${q(d.chdir)} || exit 1; ` : '';
  const launch = `nohup setsid ${d.start} > ${q(d.log ?? '/dev/null')} 2>&1 < /dev/null &`;
  return `${cd}${launch}${d.pidfile ? ` echo $! > ${q(d.pidfile)}` : ''}`;
}

/**
 * Stops the process in the pidfile: SIGTERM to its process group (setsid made it the leader),
 * up to `waitSeconds` for it to exit (a zombie counts as gone), then SIGKILL; removes the pidfile.
 */
export function killCommand(pidfile: string, waitSeconds = STOP_WAIT_SECONDS): string {
  const rounds = Math.round(waitSeconds / POLL);
  return [
    `alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }`,
    `waitgone() { i=0; while alive "$1" && [ $i -lt "$2" ]; do sleep ${POLL}; i=$((i+1)); done; }`,
    `pid=$(cat ${q(pidfile)} 2>/dev/null)`,
    `case "$pid" in ''|*[!0-9]*|0|1) pid= ;; esac`,
    `if [ -n "$pid" ] && alive "$pid"; then kill -TERM -"$pid" 2>/dev/null || kill -TERM "$pid"; waitgone "$pid" ${rounds}; if alive "$pid"; then kill -KILL -"$pid" 2>/dev/null || kill -KILL "$pid"; waitgone "$pid" 25; fi; fi`,
    `rm -f ${q(pidfile)}`,
  ].join('; ');
}

/** Starting or stopping the process changes its pidfile, and nothing else a later check reads. */
const run = (cmd: string, why: string, files: Pick<Extract<Change, { kind: 'command' }>, 'creates' | 'removes'> = {}): Change => ({ kind: 'command', cmd, why, ...files, declared: true });

export function startChanges(d: Daemon): Change[] {
  return [run(startCommand(d), `start ${d.name}`, d.pidfile ? { creates: [d.pidfile] } : {})];
}

export function stopChanges(d: Daemon): Change[] {
  if (d.stop) return [run(d.stop, `stop ${d.name}`)];
  if (!d.pidfile) throw new CheckFailed(`service ${d.name}: manager 'command' needs stop or pidfile to stop it`);
  return [run(killCommand(d.pidfile), `stop ${d.name}`, { removes: [d.pidfile] })];
}
