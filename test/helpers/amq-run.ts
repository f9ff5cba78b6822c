import { spawn } from 'node:child_process';
import type { RunEvent, TaskResultEvent } from '../../runner/src/engine/events.js';
import { AMQ_RUN, ROOT } from './paths.js';

export interface CliRun {
  code: number | null;
  events: RunEvent[];
  results: TaskResultEvent[];
  stdout: string;
  stderr: string;
}

/** Runs the real `amq-run` command line with --json and collects its events. */
export function amqRunJson(args: string[], env: Record<string, string> = {}, onEvent?: (e: RunEvent) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [AMQ_RUN, ...args, '--json'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    const events: RunEvent[] = [];
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const l of lines) {
        if (!l.trim()) continue;
        const e = JSON.parse(l) as RunEvent;
        events.push(e);
        onEvent?.(e);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, events, results: events.filter((e): e is TaskResultEvent => e.type === 'task_result' || e.type === 'handler_result'), stdout, stderr }),
    );
  });
}

/** `task@host` (or `handler:name@host`) of every result with one of the statuses. */
export function resultKeys(run: CliRun, ...statuses: string[]): string[] {
  return run.results
    .filter((r) => statuses.includes(r.status))
    .map((r) => `${r.type === 'task_result' ? r.task : `handler:${r.handler}`}@${r.host}`)
    .sort();
}
