import { discoverCluster, type ClusterSpec } from '../cluster/discover.js';
import { clusterStatus, type ClusterStatus } from '../cluster/status.js';
import { statusLines } from '../cluster/status-text.js';
import { EXIT } from '../engine/exit-codes.js';
import type { Analysis } from '../runbook/analyze.js';
import { DryRunTransport } from '../transport/dry-run.js';
import type { Transport } from '../transport/transport.js';
import { connector } from './connect.js';
import { loadPlaybook, parseExtraVars, UsageError } from './load.js';
import type { Io } from './program.js';
import { shortenPaths } from './validate.js';

export interface StatusOptions {
  inventory?: string;
  extraVars: string[];
  json?: boolean;
  acceptNewHostKeys?: boolean;
}

/** The playbook and inventory as the cluster commands read them: exit 4 on errors. */
export function loadCluster(playbook: string, opts: { inventory?: string; extraVars: string[] }, io: Io): Analysis | number {
  const checked = loadPlaybook(playbook, { ...(opts.inventory !== undefined ? { inventory: opts.inventory } : {}), extraVars: parseExtraVars(opts.extraVars) });
  for (const line of checked.lines) io.err(shortenPaths(line));
  if (checked.errors.length) return EXIT.invalid;
  return checked.analysis;
}

/** One connection per host, opened when first needed, every one read-only: commands that would change a host are refused. */
export function readOnlyHosts(a: Analysis, acceptNewHostKeys: boolean): { connect(host: string): Promise<Transport>; close(): Promise<void> } {
  const open = connector(a, { acceptNewHostKeys });
  const conns = new Map<string, Promise<Transport>>();
  return {
    connect: (host) => {
      if (!conns.has(host)) conns.set(host, open(host).then((t) => new DryRunTransport(t)));
      return conns.get(host)!;
    },
    close: async () => {
      await Promise.all([...conns.values()].map(async (c) => (await c.catch(() => undefined))?.close().catch(() => undefined)));
    },
  };
}

/** The cluster the runbook configures, and its status read as often as asked over one read-only connection per host. */
export function clusterReader(a: Analysis, acceptNewHostKeys: boolean): { spec: ClusterSpec; status(): Promise<ClusterStatus>; close(): Promise<void> } {
  const spec = discoverCluster(a);
  if (!spec.brokers.length) throw new UsageError('the runbook configures no broker (no activemq_broker task): there is no cluster to look at');
  const hosts = readOnlyHosts(a, acceptNewHostKeys);
  return { spec, status: () => clusterStatus(spec, hosts.connect), close: hosts.close };
}

export async function readStatus(a: Analysis, acceptNewHostKeys: boolean): Promise<ClusterStatus> {
  const reader = clusterReader(a, acceptNewHostKeys);
  try {
    return await reader.status();
  } finally {
    await reader.close();
  }
}

/** `amq-run status PLAYBOOK`: each broker's role, HAProxy's view, whether clients reach the master. Exit 0 healthy, 2 not. */
export async function statusCommand(playbook: string, opts: StatusOptions, io: Io): Promise<number> {
  const a = loadCluster(playbook, opts, io);
  if (typeof a === 'number') return a;
  const s = await readStatus(a, Boolean(opts.acceptNewHostKeys));
  if (opts.json) io.out(JSON.stringify(s));
  else for (const l of statusLines(s)) io.out(l);
  return s.ok ? EXIT.ok : EXIT.taskFailed;
}
