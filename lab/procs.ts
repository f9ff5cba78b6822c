import { readdirSync, readFileSync } from 'node:fs';
import { pushTo } from '../runner/src/util/multimap.js';

/** Polls a condition (no fixed sleeps): resolves as soon as it holds, fails after timeoutMs. */
export async function waitUntil(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Whether a process runs. A killed process whose parent is PID 1 stays a zombie for a moment, and
 * `kill -0` still succeeds on it, so the state in /proc decides.
 */
export function isAlive(pid: number): boolean {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return !/^State:\s*Z/m.test(status);
  } catch {
    return false;
  }
}

/** The process's start time in clock ticks since boot: with the pid, it names one process for good. */
export function startTime(pid: number): number | undefined {
  return statField(pid, 19);
}

/** A number of /proc/PID/stat, counted from the field after the command name; undefined once it is gone. */
function statField(pid: number, i: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[i]);
  } catch {
    return undefined;
  }
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

export function readPid(file: string): number | undefined {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 1 ? n : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A process's children, from the kernel's own list of them (no scan of every process: hundreds of
 * hosts booting at once each ask every 20 ms); the scan where the kernel keeps no such list.
 */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && isAlive(pid)) return childrenByParent().get(pid) ?? [];
    return [];
  }
}

/** Every process's children, from a scan of /proc. */
function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = statField(Number(name), 1);
    if (ppid !== undefined) pushTo(children, ppid, Number(name)); // else gone meanwhile
  }
  return children;
}

/** Every live process below pid (children, their children, ...). */
export function descendants(pid: number): number[] {
  const children = childrenByParent();
  const out: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Stops processes: SIGTERM, then SIGKILL for those still running after graceMs; waits until all are gone. */
export async function stopPids(pids: number[], graceMs = 10_000): Promise<void> {
  const live = pids.filter(isAlive);
  if (!live.length) return;
  for (const p of live) signal(p, 'SIGTERM');
  try {
    await waitUntil(() => live.every((p) => !isAlive(p)), graceMs, `pids ${live.join(', ')} to exit`);
  } catch {
    for (const p of live) signal(p, 'SIGKILL');
    await waitUntil(() => live.every((p) => !isAlive(p)), 5_000, `pids ${live.join(', ')} to die after SIGKILL`);
  }
}

/** Kills processes at once (SIGKILL) and waits until they are gone. */
export async function killPids(pids: number[]): Promise<void> {
  for (const p of pids) signal(p, 'SIGKILL');
  await waitUntil(() => pids.every((p) => !isAlive(p)), 5_000, `pids ${pids.join(', ')} to die`);
}

export function killPidsSync(pids: number[]): void {
  for (const p of pids) signal(p, 'SIGKILL');
}
