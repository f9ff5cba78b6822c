import type { HostTask, Listener, RunbookView } from '../lib/define.js';
import { pushTo } from '../../util/multimap.js';

/** Whether two bind addresses can take the same port: a wildcard takes every address. */
export function overlaps(a: string | undefined, b: string | undefined): boolean {
  const wild = (x: string | undefined) => x === undefined || x === '' || x === '*' || x === '0.0.0.0' || x === '::';
  return wild(a) || wild(b) || a === b;
}

/** `host:port`, `[v6]:port` → host and port; undefined when it is not one. */
export function hostPort(text: string): { host: string; port: number } | undefined {
  const m = /^(.*):(\d+)$/.exec(text.trim());
  return m ? { host: m[1].replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) } : undefined;
}

export interface Served {
  task: HostTask<unknown>;
  listener: Listener;
}

/** What the runbook's own tasks (not proxies) make a host listen on, first claim of each port first. */
export function servedOn(view: RunbookView, host: string): Served[] {
  let byHost = servedCache.get(view);
  if (!byHost) {
    byHost = new Map();
    for (const l of view.listeners()) {
      if (l.listener.proxy) continue;
      pushTo(byHost, l.task.host, l);
    }
    servedCache.set(view, byHost);
  }
  return byHost.get(host) ?? [];
}

const servedCache = new WeakMap<RunbookView, Map<string, Served[]>>();

/** The first listener of the host on a port (the one that gets it). */
export function ownerOf(served: readonly Served[], port: number, address?: string): Served | undefined {
  return served.find((s) => s.listener.port === port && overlaps(s.listener.address, address));
}

/** `a`, `a and b`, `a, b and c`. */
export function names(list: readonly string[]): string {
  return list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}` : (list[0] ?? '');
}

export function describeServed(served: readonly Served[]): string {
  return served.map((s) => `${s.listener.port} (${s.listener.name})`).join(', ') || 'nothing';
}
