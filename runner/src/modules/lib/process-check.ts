import { q } from '../../transport/quote.js';
import type { CheckContext } from './context.js';
import type { Change } from './plan.js';

/** A service's main process: the pid in its pidfile, whose command line matches a pattern. */
export interface ProcessSpec {
  pidfile: string;
  /** A Perl-compatible regular expression the process's command line (arguments joined by spaces) must match. */
  cmdline: string;
  /** Seconds a start may take before its process runs. */
  wait: number;
}

export interface ProcessState {
  running: boolean;
  /** How the check knows, for its note: which pid, from where, and what it runs (or why none). */
  how: string;
}

const shown = (s: string) => (s.length > 120 ? `${s.slice(0, 119)}…` : s);

/**
 * Whether the service's process runs, decided by the process itself: init scripts' own status
 * can be wrong (Debian's activemq says it is fine when no instance is enabled).
 */
export async function processState(ctx: CheckContext, p: ProcessSpec): Promise<ProcessState> {
  const text = await ctx.read(p.pidfile);
  if (text === null) return { running: false, how: `no ${p.pidfile}` };
  const pid = /^\s*(\d+)\s*$/.exec(text)?.[1];
  if (!pid) return { running: false, how: `${p.pidfile} holds no pid` };
  const r = await ctx.run(`tr '\\0' ' ' < ${q(`/proc/${pid}/cmdline`)}`);
  const line = r.stdout.trim();
  if (r.code !== 0 || line === '') return { running: false, how: `pid ${pid} from ${p.pidfile} is not running` };
  if (!new RegExp(p.cmdline).test(line)) return { running: false, how: `pid ${pid} from ${p.pidfile} runs '${shown(line)}', which does not match /${p.cmdline}/` };
  return { running: true, how: `its process: pid ${pid} from ${p.pidfile}, ${line.split(' ')[0]}, command line matching /${p.cmdline}/` };
}

/**
 * A command that waits (up to p.wait seconds) for the process to run after a start, and fails,
 * saying so, if it does not: a start command's exit code alone proves nothing.
 */
export function awaitProcess(service: string, p: ProcessSpec, after: string): Change {
  const rounds = Math.max(1, p.wait * 4);
  const fail = `${service} did not start: no process in ${p.pidfile} matches /${p.cmdline}/ ${p.wait} s after '${after}' (its exit code said it did)`;
  const script = [
    `i=0; until pid=$(cat ${q(p.pidfile)} 2>/dev/null) && tr '\\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qP ${q(p.cmdline)}; do`,
    `i=$((i+1)); [ $i -lt ${rounds} ] || { echo ${q(fail)} >&2; exit 1; }; sleep 0.25; done; echo ${q(`${service} runs: pid`)} "$pid"`,
  ].join(' ');
  return { kind: 'command', cmd: script, why: `${service} runs: its process, not the exit code of '${after}'` };
}
