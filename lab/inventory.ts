import { stringify } from 'yaml';
import { labDeviations } from './deviations.js';
import type { LabHostSpec } from './layout.js';

export interface InventoryInput {
  L: string;
  port: number;
  clientKey: string;
  knownHosts: string;
  hosts: readonly (LabHostSpec & { root: string })[];
}

/** The lab's inventory text: connection defaults, each host's address and root, the deviations, the groups. */
export function labInventory(i: InventoryInput): string {
  const roots = Object.fromEntries(i.hosts.map((h) => [h.name, h.root]));
  const dev = labDeviations({ L: i.L, hosts: i.hosts, roots });
  const hosts: Record<string, unknown> = {};
  for (const h of i.hosts) hosts[h.name] = { address: h.address, vars: { root: h.root, ...dev.hosts[h.name] } };
  const groups: Record<string, unknown> = {};
  for (const g of ['nfs', 'brokers', 'lb'] as const) {
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
