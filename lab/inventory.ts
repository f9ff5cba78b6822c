import { stringify } from 'yaml';
import { labDeviations } from './deviations.js';
import type { LabHostSpec } from './layout.js';

export interface InventoryInput {
  L: string;
  port: number;
  clientKey: string;
  knownHosts: string;
  hosts: readonly LabHostSpec[];
}

/** The lab's inventory text: connection defaults, each host's address, the deviations, the groups. */
export function labInventory(i: InventoryInput): string {
  const dev = labDeviations(i.hosts);
  const hosts: Record<string, unknown> = {};
  for (const h of i.hosts) {
    const vars = dev.hosts[h.name] ?? {};
    hosts[h.name] = { address: h.address, ...(Object.keys(vars).length ? { vars } : {}) };
  }
  const groups: Record<string, unknown> = {};
  for (const g of [...new Set(i.hosts.map((h) => h.group))]) {
    const vars = dev.groups[g] ?? {};
    groups[g] = { hosts: i.hosts.filter((h) => h.group === g).map((h) => h.name), ...(Object.keys(vars).length ? { vars } : {}) };
  }
  const doc = {
    defaults: { user: 'root', port: i.port, identity: i.clientKey, known_hosts: i.knownHosts, connection: 'ssh' },
    hosts,
    groups,
  };
  return `# The lab's inventory (npm run lab -- up); the lab directory is ${i.L}\n${stringify(doc)}`;
}
