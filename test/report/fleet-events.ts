import type { HostStatus, Recap, RunEvent } from '../../runner/src/engine/events.js';

/**
 * A synthetic run of one play on `n` hosts (fleet01...): each task's result per host comes from
 * `status(task, host)`; a host unreachable at a task gets no further task, as the engine does.
 */
export function fleetRun(n: number, tasks: string[], status: (task: string, host: string) => HostStatus): RunEvent[] {
  const hosts = Array.from({ length: n }, (_, i) => `fleet${String(i + 1).padStart(2, '0')}`);
  const play = 'File job';
  const recap: Recap = Object.fromEntries(hosts.map((h) => [h, { ok: 0, changed: 0, would_change: 0, would_fail: 0, skipped: 0, failed: 0, unreachable: 0 }]));
  const out: RunEvent[] = [{ type: 'run_start', playbook: 'job.yaml', dry_run: false, hosts, plays: [{ name: play, hosts, tasks }] }, { type: 'play_start', play, hosts }];
  const gone = new Set<string>();
  for (const task of tasks) {
    const on = hosts.filter((h) => !gone.has(h));
    out.push({ type: 'task_start', play, task, module: 'file', hosts: on });
    for (const host of on) {
      const s = status(task, host);
      const message = s === 'unreachable' ? 'connect ECONNREFUSED' : s === 'failed' ? 'mkdir: Permission denied' : s === 'changed' ? 'write /srv/x' : 'already set up';
      out.push({ type: 'task_result', play, task, host, module: 'file', status: s, message, ms: 5 });
      recap[host]![s]++;
      if (s === 'unreachable') out.push({ type: 'host_unreachable', play, host, message });
      if (s === 'unreachable' || s === 'failed') gone.add(host);
    }
  }
  // As the engine: an unreachable host before a failed task.
  const bad = Object.values(recap).some((c) => c.unreachable) ? 3 : Object.values(recap).some((c) => c.failed) ? 2 : 0;
  out.push({ type: 'play_end', play }, { type: 'run_end', recap, exit_code: bad, ms: 4200 });
  return out;
}
