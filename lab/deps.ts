import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

interface Dependency {
  what: string;
  /** An absolute path, or a command looked up on PATH (and in the sbin folders). */
  file: string;
  pkg: string;
}

const DEPENDENCIES: Dependency[] = [
  { what: 'sshd', file: '/usr/sbin/sshd', pkg: 'openssh-server' },
  { what: 'ssh-keygen', file: 'ssh-keygen', pkg: 'openssh-client' },
  { what: 'nfs-ganesha', file: 'ganesha.nfsd', pkg: 'nfs-ganesha' },
  { what: "ganesha's VFS backend", file: '/usr/lib/*/ganesha/libfsalvfs.so', pkg: 'nfs-ganesha-vfs' },
  { what: 'rpcbind', file: 'rpcbind', pkg: 'rpcbind' },
  { what: 'rpcinfo', file: 'rpcinfo', pkg: 'rpcbind' },
  { what: 'nfs-ls', file: 'nfs-ls', pkg: 'libnfs-utils' },
  { what: 'java', file: 'java', pkg: 'activemq (default-jre-headless)' },
  { what: 'ActiveMQ', file: '/usr/share/activemq/bin/activemq.jar', pkg: 'activemq' },
  { what: "ActiveMQ's main instance", file: '/etc/activemq/instances-available/main/activemq.xml', pkg: 'activemq' },
  { what: 'haproxy', file: 'haproxy', pkg: 'haproxy' },
  { what: "socat (amq-run status reads HAProxy's stats socket with it)", file: 'socat', pkg: 'socat' },
  { what: 'sudo', file: 'sudo', pkg: 'sudo' },
  { what: 'tini (each host\'s PID 1)', file: '/usr/bin/tini', pkg: 'tini' },
  { what: 'unshare', file: 'unshare', pkg: 'util-linux' },
  { what: 'nsenter', file: 'nsenter', pkg: 'util-linux' },
  { what: 'setfattr (opaque overlay folders)', file: 'setfattr', pkg: 'attr' },
  { what: 'openssl (TLS handshakes)', file: 'openssl', pkg: 'openssl' },
  { what: "javac (an OpenWire client against the broker's jars)", file: 'javac', pkg: 'openjdk-17-jdk-headless' },
  { what: 'keytool (the brokers\' key stores)', file: '/usr/lib/jvm/java-17-openjdk-amd64/bin/keytool', pkg: 'openjdk-17-jre-headless' },
];

function found(file: string): boolean {
  const candidates = file.startsWith('/usr/lib/*/')
    ? libDirs().map((d) => join(d, file.slice('/usr/lib/*/'.length)))
    : file.startsWith('/')
    ? [file]
    : [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'].filter(Boolean).map((d) => join(d, file));
  return candidates.some((c) => {
    try {
      accessSync(c, c.endsWith('.so') || c.endsWith('.jar') || c.endsWith('.xml') ? constants.R_OK : constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function kernelHas(fs: string): boolean {
  try {
    return readFileSync('/proc/filesystems', 'utf8').split('\n').some((l) => l.trim().split(/\s+/).pop() === fs);
  } catch {
    return false;
  }
}

function libDirs(): string[] {
  try {
    return ['/usr/lib', ...readdirSync('/usr/lib').map((d) => join('/usr/lib', d))];
  } catch {
    return [];
  }
}

/** What the lab needs and this machine lacks, one line each; empty when all is there. */
export function missingDependencies(): string[] {
  const missing = DEPENDENCIES.filter((d) => !found(d.file)).map((d) => `${d.what} (${d.file}, package ${d.pkg})`);
  if (process.platform !== 'linux') missing.unshift('Linux (the lab uses namespaces, /proc and loopback addresses)');
  else if (process.getuid?.() !== 0) missing.unshift('root (the lab makes namespaces and mounts)');
  else if (!kernelHas('overlay')) missing.unshift('overlayfs in the kernel (each host\'s root is an overlay of this machine\'s)');
  return missing;
}

/** Throws one clear message listing everything missing. */
export function requireDependencies(): void {
  const missing = missingDependencies();
  if (missing.length) {
    throw new Error(`the lab cannot start; missing: ${missing.join('; ')}. Install them with .ci/lab-packages.sh`);
  }
}
