import { NFS_DISK, type LabHostSpec } from './layout.js';

export interface LabVars {
  /** Variables per host. */
  hosts: Record<string, Record<string, unknown>>;
  /** Variables per group (nfs, brokers, lb). */
  groups: Record<string, Record<string, unknown>>;
}

/**
 * Where the lab differs from production, as inventory variables: the only place such differences
 * are written, each with the reason it cannot be real here. The playbooks read the same variables
 * with production values as defaults. Everything else is as on a real Debian host: real paths
 * (root ""), Debian's packages and init scripts, sshd on each host.
 */
export function labDeviations(hosts: readonly LabHostSpec[]): LabVars {
  const brokers = hosts.filter((h) => h.group === 'brokers').map((h) => h.name);
  const out: LabVars = {
    hosts: {},
    groups: {
      // This kernel has no NFS server: nfs-ganesha serves the export from user space. Its exports
      // live in ganesha.conf, and it re-reads them on reload (Debian ships only a systemd unit for
      // it; the lab host has no systemd, so the lab gives it an init script doing what the unit does).
      nfs: {
        nfs_packages: ['nfs-ganesha', 'nfs-ganesha-vfs'],
        nfs_export_format: 'ganesha',
        nfs_exports_file: '/etc/ganesha/ganesha.conf',
        nfs_reload: 'service nfs-ganesha reload',
      },
      brokers: {
        // This kernel has no NFS client: the client mount is a bind mount of the NFS host's disk,
        // which every lab host sees at /net/<nfs host>/data (one kernel, one inode: the same
        // locking as one NFS server gives its clients).
        mount_src: `${NFS_DISK.onClients('{{ nfs_host }}')}{{ hosts[nfs_host].vars.export_dir }}`,
        mount_fstype: 'none',
        mount_opts: 'bind',
        // The hosts share this machine's network stack: each listens on its own address only.
        broker_bind: '{{ host.address }}',
        // Debian's ActiveMQ has no amqp or ws transport, and no web console.
        transports: ['openwire', 'stomp', 'mqtt'],
        console_enabled: false,
        // Failover in about a second for the tests, instead of the default 10 s lock poll.
        lock_poll: 1000,
      },
      lb: {
        // The hosts share this machine's network stack: HAProxy listens on lb1's address only.
        lb_bind: '{{ host.address }}',
        // No web console on the brokers (above), so HAProxy has no console server to send to.
        console_brokers: [],
      },
    },
  };
  for (const h of hosts) {
    out.hosts[h.name] = h.group === 'brokers' ? { broker_name: h.name, peer: brokers.find((b) => b !== h.name) } : {};
  }
  return out;
}
