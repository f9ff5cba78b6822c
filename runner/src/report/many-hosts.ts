/**
 * Hosts counted instead of listed: with more than MANY_HOSTS hosts a task is one line of counts,
 * only what needs a look (a failure, an unreachable host, a change with --diff) is told host by
 * host, and the recap groups hosts whose counts are the same. The plain and interactive faces
 * both read this.
 */
import { HOST_STATUSES, type HostStatus, type Recap } from '../engine/events.js';

/** Above this many hosts in a task, the faces count hosts instead of listing them. */
export const MANY_HOSTS = 8;

export function isMany(hosts: readonly unknown[]): boolean {
  return hosts.length > MANY_HOSTS;
}

/** Statuses a user must see host by host, whatever the number of hosts. */
export const NEEDS_A_LOOK: ReadonlySet<HostStatus> = new Set(['failed', 'would_fail', 'unreachable']);

/** How many hosts ended in each status (statuses with none left out), in the usual order. */
export function countStatuses(statuses: Iterable<HostStatus>): [HostStatus, number][] {
  const n = new Map<HostStatus, number>();
  for (const s of statuses) n.set(s, (n.get(s) ?? 0) + 1);
  return HOST_STATUSES.filter((s) => n.has(s)).map((s) => [s, n.get(s)!]);
}

export interface RecapGroup {
  hosts: string[];
  counts: Record<HostStatus, number>;
  /** A host of the group failed, would fail or was unreachable. */
  bad: boolean;
}

/** Hosts with the same counts, together; the groups with a problem first, then the largest. */
export function recapGroups(recap: Recap): RecapGroup[] {
  const groups = new Map<string, RecapGroup>();
  for (const [host, counts] of Object.entries(recap)) {
    const key = HOST_STATUSES.map((s) => counts[s] ?? 0).join(',');
    const g = groups.get(key);
    if (g) g.hosts.push(host);
    else groups.set(key, { hosts: [host], counts, bad: [...NEEDS_A_LOOK].some((s) => (counts[s] ?? 0) > 0) });
  }
  return [...groups.values()].sort((a, b) => Number(b.bad) - Number(a.bad) || b.hosts.length - a.hosts.length);
}
