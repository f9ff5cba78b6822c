import type { ClusterProblem, PlayRule } from '../lib/define.js';
import { names, overlaps, type Served } from './addresses.js';

/** Every port a host listens on, from every task: a second claim of a port is reported on the task that makes it. */
export const portMap: PlayRule = {
  name: 'port-clash',
  check(view, report) {
    const taken = new Map<string, Served[]>();
    const clashes = new Map<string, { problem: ClusterProblem; hosts: string[]; text: (hosts: string) => string }>();
    for (const s of view.listeners()) {
      const key = `${s.task.host}|${s.listener.port}`;
      const before = taken.get(key) ?? [];
      const same = before.some((b) => sameListener(b, s));
      const first = before.find((b) => overlaps(b.listener.address, s.listener.address));
      before.push(s);
      if (same) continue;
      taken.set(key, before);
      if (!first) continue;
      const at = s.task.at(s.listener.path);
      const where = first.task.task === s.task.task ? 'this task' : `task '${first.task.task}'`;
      const text = (hosts: string) => `${s.listener.name} would listen on port ${s.listener.port} of ${hosts}, which ${first.listener.name} of ${where} already takes`;
      const id = `${at.start}|${at.end}|${s.listener.name}|${first.listener.name}|${s.listener.port}`;
      const seen = clashes.get(id);
      if (seen) seen.hosts.push(s.task.host);
      else clashes.set(id, { hosts: [s.task.host], text, problem: { at, code: 'port-clash', message: '', hint: 'give one of them another port, or bind them to different addresses' } });
    }
    for (const c of clashes.values()) report({ ...c.problem, message: c.text(names(c.hosts)) });
  },
};

/** One listener written by two tasks into the same file: the same process, configured twice. */
function sameListener(a: Served, b: Served): boolean {
  return a.task.task !== b.task.task && a.listener.file !== undefined && a.listener.file === b.listener.file && a.listener.name === b.listener.name && a.listener.address === b.listener.address;
}
