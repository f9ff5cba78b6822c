import type { LabHostSpec } from './layout.js';

export interface LabVars {
  /** Variables per host, next to the host's `root`. */
  hosts: Record<string, Record<string, unknown>>;
  /** Variables per group (nfs, brokers, lb). */
  groups: Record<string, Record<string, unknown>>;
}

export interface LabFacts {
  /** The lab directory. */
  L: string;
  hosts: readonly LabHostSpec[];
  /** Each host's root directory. */
  roots: Record<string, string>;
}

/** Where the lab differs from production, as inventory variables: the only place such differences are written. */
export function labDeviations({ hosts }: LabFacts): LabVars {
  const out: LabVars = { hosts: {}, groups: { nfs: {}, brokers: {}, lb: {} } };
  for (const h of hosts) out.hosts[h.name] = h.group === 'brokers' ? { broker_name: h.name } : {};
  return out;
}
