/**
 * The lab's hosts. Each is a container of Linux namespaces (mount, PID, UTS, IPC) on this machine;
 * all share the machine's network stack, so each has its own loopback address (127.0.0.0/8 never
 * leaves the machine and needs no setup) and its services listen on that address only.
 */
export type LabRole = 'nfs' | 'broker' | 'lb' | 'fleet';

export interface LabHostSpec {
  name: string;
  address: string;
  /** The inventory group the host is in. */
  group: string;
  /** What the host boots with besides sshd (its packages' services), and what the lab gives it. */
  role: LabRole;
}

export const NFS_HOST = 'nfs1';
export const DEFAULT_BROKERS = 2;

/** The first lab addresses, in the order the classic four hosts had them. */
const FIXED = { nfs1: '127.0.10.1', broker1: '127.0.10.2', broker2: '127.0.10.3', lb1: '127.0.10.4' } as const;
/** broker3 and later: 127.0.10.5, .6, ...; the last octet stops at 254. */
const MAX_BROKERS = 2 + (254 - 4);

/** broker N's address: the two classic ones, then on after lb1. */
export function brokerAddress(n: number): string {
  if (n === 1) return FIXED.broker1;
  if (n === 2) return FIXED.broker2;
  return `127.0.10.${n + 2}`;
}

/** The most fleet hosts a lab takes: 127.0.11.1 to 127.0.12.254. */
export const MAX_FLEET = 2 * 254;

/** Fleet host n's address: 127.0.11.1 for the first, on to .254, then 127.0.12.1 on. */
export function fleetAddress(n: number): string {
  return `127.0.${11 + Math.floor((n - 1) / 254)}.${((n - 1) % 254) + 1}`;
}

/** fleet01 ... fleetNN (three digits from 100 hosts on, so that the names sort as they count). */
export function fleetHosts(count: number): LabHostSpec[] {
  if (!Number.isInteger(count) || count < 0 || count > MAX_FLEET) throw new Error(`the lab's fleet has 0 to ${MAX_FLEET} hosts, not ${count}`);
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, i) => ({ name: `fleet${String(i + 1).padStart(width, '0')}`, address: fleetAddress(i + 1), group: 'fleet', role: 'fleet' as const }));
}

/** The hosts of a lab with `brokers` brokers (2 by default): nfs1, broker1..N, lb1, then the fleet. */
export function labHosts(brokers = DEFAULT_BROKERS, fleet = 0): LabHostSpec[] {
  if (!Number.isInteger(brokers) || brokers < 1 || brokers > MAX_BROKERS) {
    throw new Error(`the lab has 1 to ${MAX_BROKERS} brokers, not ${brokers}`);
  }
  const hosts: LabHostSpec[] = [{ name: NFS_HOST, address: FIXED.nfs1, group: 'nfs', role: 'nfs' }];
  for (let n = 1; n <= brokers; n++) hosts.push({ name: `broker${n}`, address: brokerAddress(n), group: 'brokers', role: 'broker' });
  hosts.push({ name: 'lb1', address: FIXED.lb1, group: 'lb', role: 'lb' });
  return hosts.concat(fleetHosts(fleet));
}

/** sshd's port on every host: 22 when free on all their addresses, else the first free one from here. */
export const SSH_PORTS = { preferred: 22, fallbackFrom: 2222 } as const;

/** ganesha's fixed ports on the NFS host's address. */
export const NFS_PORTS = { nfs: 2049, mountd: 20048, nlm: 32803 } as const;

/**
 * The NFS host's data disk: a real directory of this machine (ganesha's VFS backend needs file
 * handles, which overlayfs does not give), mounted at /data on the NFS host. Every other host sees
 * the NFS host's path P at /net/<nfs host>P, where the lab's client "mount" binds from.
 */
export const NFS_DISK = { path: '/data', onClients: (nfsHost: string) => `/net/${nfsHost}` } as const;
