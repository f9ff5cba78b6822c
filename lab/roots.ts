import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LOG4J_PROPERTIES } from './files.js';
import type { LabHostSpec } from './layout.js';

export const DEBIAN_INSTANCE = '/etc/activemq/instances-available/main';

/** Paths inside one host's root. */
export function hostPaths(root: string) {
  return {
    root,
    sshdConfig: join(root, 'etc/ssh/sshd_config'),
    hostKey: join(root, 'etc/ssh/ssh_host_ed25519_key'),
    sshdPid: join(root, 'run/sshd.pid'),
    // Outside the root: sshd logs every connection, and a dry-run must leave the roots' bytes as they were.
    sshdLog: join(root, '..', '..', 'logs', `${basename(root)}-sshd.log`),
    ganeshaConf: join(root, 'etc/ganesha/ganesha.conf'),
    ganeshaPid: join(root, 'run/ganesha.pid'),
    ganeshaLog: join(root, 'var/log/ganesha.log'),
    ganeshaOut: join(root, 'var/log/ganesha.out'),
    ganeshaRecovery: join(root, 'var/lib/nfs/ganesha'),
    rpcbindPid: join(root, 'run/rpcbind.pid'),
    rpcbindLog: join(root, 'var/log/rpcbind.log'),
    activemqConf: join(root, DEBIAN_INSTANCE.slice(1)),
    activemqBase: join(root, 'var/lib/activemq/main'),
  };
}

function dir(...p: string[]): string {
  const d = join(...p);
  mkdirSync(d, { recursive: true });
  return d;
}

/** A host root laid out like a real host with the Debian packages of its role installed. */
export function makeHostRoot(root: string, host: LabHostSpec): void {
  for (const d of ['etc/ssh', 'run', 'var/log']) dir(root, d);
  if (host.group === 'brokers') {
    const conf = dir(root, DEBIAN_INSTANCE.slice(1));
    for (const f of readdirSync(DEBIAN_INSTANCE)) {
      if (statSync(join(DEBIAN_INSTANCE, f)).isFile()) copyFileSync(join(DEBIAN_INSTANCE, f), join(conf, f));
    }
    writeFileSync(join(conf, 'log4j.properties'), LOG4J_PROPERTIES);
    writeFileSync(join(dir(root, 'etc'), 'fstab'), '');
    dir(root, 'var/lib/activemq/main');
    dir(root, 'var/log/activemq');
  }
  if (host.group === 'lb') writeFileSync(join(dir(root, 'etc/haproxy'), 'haproxy.cfg'), '');
  if (host.group === 'nfs') {
    dir(root, 'etc/ganesha');
    dir(root, 'var/lib/nfs/ganesha');
  }
}
