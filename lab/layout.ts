/** The lab's hosts: one loopback address each (127.0.0.0/8 needs no setup). */
export interface LabHostSpec {
  name: string;
  address: string;
  group: 'nfs' | 'brokers' | 'lb';
}

export const LAB_HOSTS: readonly LabHostSpec[] = [
  { name: 'nfs1', address: '127.0.10.1', group: 'nfs' },
  { name: 'broker1', address: '127.0.10.2', group: 'brokers' },
  { name: 'broker2', address: '127.0.10.3', group: 'brokers' },
  { name: 'lb1', address: '127.0.10.4', group: 'lb' },
];

export const NFS_HOST = 'nfs1';
export const FIRST_SSH_PORT = 2222;

/** ganesha's fixed ports on the NFS host's address. */
export const NFS_PORTS = { nfs: 2049, mountd: 20048, nlm: 32803 } as const;
