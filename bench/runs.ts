import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RunEvent } from '../runner/src/engine/events.js';
import { commandLine, stopPids } from '../lab/procs.js';

export interface Timed {
  code: number | null;
  /** Wall time from just before the process is spawned to its exit. */
  ms: number;
  stdout: string;
  stderr: string;
  /** Each line of stdout with the ms from spawn to its arrival. */
  arrivals: [number, string][];
}

/** Runs a command to its end; the time is the whole process, start to exit. */
export function timed(file: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(file, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let ms = 0;
    let stdout = '';
    let stderr = '';
    let partial = '';
    const arrivals: [number, string][] = [];
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      const at = performance.now() - t0;
      for (const l of lines) arrivals.push([at, l]);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('exit', () => (ms = performance.now() - t0));
    child.on('close', (code) => resolve({ code, ms: ms || performance.now() - t0, stdout, stderr, arrivals }));
  });
}

/** What one run of a tool reported: changed means "would change" for a dry-run. */
export interface Outcome extends Timed {
  changed: number;
  failed: number;
  unreachable: number;
  /** The recap could not be read from the output. */
  noRecap?: boolean;
}

/** The totals of amq-run's `--json` run_end event. */
export function amqOutcome(t: Timed, dryRun: boolean): Outcome {
  let end: Extract<RunEvent, { type: 'run_end' }> | undefined;
  for (const line of t.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const e = JSON.parse(line) as RunEvent;
      if (e.type === 'run_end') end = e;
    } catch {
      // not an event
    }
  }
  if (!end) return { ...t, changed: NaN, failed: NaN, unreachable: NaN, noRecap: true };
  const sum = (k: 'changed' | 'would_change' | 'failed' | 'unreachable') => Object.values(end!.recap).reduce((n, c) => n + c[k], 0);
  return { ...t, changed: sum(dryRun ? 'would_change' : 'changed'), failed: sum('failed'), unreachable: sum('unreachable') };
}

/** The totals of Ansible's PLAY RECAP (in check mode, changed is what would change). */
export function ansibleOutcome(t: Timed): Outcome {
  const rows = [...t.stdout.matchAll(/^\S+\s+:\s+ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/gm)];
  if (!rows.length) return { ...t, changed: NaN, failed: NaN, unreachable: NaN, noRecap: true };
  const sum = (i: number) => rows.reduce((n, r) => n + Number(r[i]), 0);
  return { ...t, changed: sum(1), unreachable: sum(2), failed: sum(3) };
}

/**
 * Stops Ansible's ControlPersist masters whose sockets are in `dir`: `ssh -O exit` on each socket,
 * then, by pid, any master still running (a master names its ControlPath in its process title).
 */
export async function stopSshMasters(dir: string): Promise<void> {
  if (existsSync(dir)) {
    for (const sock of readdirSync(dir)) {
      spawnSync('ssh', ['-o', `ControlPath=${join(dir, sock)}`, '-O', 'exit', 'master'], { stdio: 'ignore', timeout: 10_000 });
    }
  }
  const left = readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => pid !== process.pid && commandLine(pid).includes(`${dir}/`));
  await stopPids(left);
}
