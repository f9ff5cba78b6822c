import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { playbook } from './paths.js';

interface InventoryShape {
  defaults?: Record<string, unknown>;
  hosts: Record<string, { vars?: Record<string, unknown> }>;
  groups: Record<string, unknown>;
}

/**
 * A local twin of an inventory for a preview on this machine, as playbooks/local.inventory.yaml is
 * for the example: the same hosts, groups and variables, every host local, without sudo, under its
 * own folder of -e demo_root, with that file's plain-process service settings.
 */
export function localTwin(inventoryText: string): string {
  const inv = parse(inventoryText) as InventoryShape;
  const local = parse(readFileSync(playbook('local.inventory.yaml'), 'utf8')) as InventoryShape;
  const hosts = Object.fromEntries(
    Object.entries(inv.hosts).map(([name, h], i) => [name, { address: `127.0.10.${i + 1}`, vars: { ...h.vars, root: `{{ demo_root }}/${name}` } }]),
  );
  return stringify({ defaults: local.defaults, hosts, groups: { ...inv.groups, all: local.groups.all } });
}
