import { join } from 'node:path';
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

/**
 * Where the lab differs from production, as inventory variables: the only place such differences
 * are written. The playbooks read the same variables with production values as defaults.
 */
export function labDeviations({ L, hosts }: LabFacts): LabVars {
  const bin = join(L, 'bin');
  const brokers = hosts.filter((h) => h.group === 'brokers').map((h) => h.name);
  const out: LabVars = {
    hosts: {},
    groups: {
      // nfs-ganesha in user space instead of the kernel NFS server (no nfsd in this kernel).
      nfs: {
        nfs_packages: ['nfs-ganesha', 'nfs-ganesha-vfs'],
        nfs_export_format: 'ganesha',
        nfs_exports_file: '{{ root }}/etc/ganesha/ganesha.conf',
        nfs_reload: join(bin, 'ganesha-restart'),
      },
      brokers: {
        // One kernel, one filesystem: the client mount is a bind mount of the export itself.
        mount_src: '{{ hosts[nfs_host].vars.export_dir }}',
        mount_fstype: 'none',
        mount_opts: 'bind',
        // Every host shares the machine's ports: each listens on its own loopback address.
        broker_bind: '{{ host.address }}',
        // Debian's ActiveMQ has no amqp or ws transport, and no web console.
        transports: ['openwire', 'stomp', 'mqtt'],
        console_enabled: false,
        // Fast failover for the tests; a plain process instead of a system service.
        lock_poll: 1000,
        activemq_service_manager: 'command',
        activemq_start: `${join(bin, 'run-broker.sh')} {{ root }}`,
        activemq_pidfile: '{{ root }}/run/activemq.pid',
        activemq_log: '{{ root }}/var/log/activemq/activemq.out',
      },
      lb: {
        lb_bind: '{{ host.address }}',
        // No web console on the brokers (above), so HAProxy has no console server to send to.
        console_brokers: [],
        haproxy_global: ['maxconn 4096'],
        haproxy_service_manager: 'command',
        haproxy_start: 'haproxy -db -f {{ haproxy_config }}',
        haproxy_pidfile: '{{ root }}/run/haproxy.pid',
        haproxy_reload: `${join(bin, 'haproxy-reload')} {{ root }}`,
      },
    },
  };
  for (const h of hosts) {
    out.hosts[h.name] = h.group === 'brokers' ? { broker_name: h.name, peer: brokers.find((b) => b !== h.name) } : {};
  }
  return out;
}
