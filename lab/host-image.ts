import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bootScript, etcHosts, GANESHA_INIT, ganeshaConfig, IN_HOST, labInit, SSH_DEFAULTS, sshdConfig, type HostBind } from './files.js';
import { NFS_DISK, NFS_PORTS, type LabHostSpec } from './layout.js';
import { generateKeys } from './sshd.js';

/** Where one host's files live in the lab directory. */
export function hostDirs(L: string, name: string) {
  const dir = join(L, 'hosts', name);
  return {
    dir,
    /** The host's own bytes: everything it changed on top of this machine's root. */
    upper: join(dir, 'upper'),
    work: join(dir, 'work'),
    /** The overlay's mount point (mounted only inside the host's mount namespace). */
    root: join(dir, 'root'),
    boot: join(dir, 'boot'),
    /** Outside the host: its boot output and sshd's log. */
    logs: join(L, 'logs', name),
    console: join(L, 'logs', name, 'console.log'),
  };
}

/** The NFS host's data disk: a directory of this machine's ext4 root. */
export function nfsDisk(L: string, nfsHost: string): string {
  return join(L, 'disks', nfsHost);
}

/**
 * A directory of the upper layer, each new level with the owner and mode of the same path of this
 * machine (the layer below), so the overlay shows the host's directories as the machine has them.
 */
function upperDir(upper: string, path: string): string {
  let rel = '';
  for (const part of path.split('/').filter(Boolean)) {
    rel = `${rel}/${part}`;
    const d = join(upper, rel);
    if (existsSync(d)) continue;
    mkdirSync(d);
    if (existsSync(rel)) {
      const st = statSync(rel);
      chmodSync(d, st.mode & 0o7777);
      chownSync(d, st.uid, st.gid);
    }
  }
  return join(upper, path);
}

/** The top-level folders of the system itself (its packages and their state), which a host shares. */
const SYSTEM_DIRS = new Set(['bin', 'boot', 'dev', 'etc', 'lib', 'lib32', 'lib64', 'libx32', 'proc', 'run', 'sbin', 'sys', 'usr', 'var']);

/**
 * This machine's folders a host must not see (people's homes with their keys, temporary files,
 * what was put there by hand): every other top-level folder, and /var/tmp. Each host gets them
 * empty and its own, like a fresh Debian host.
 */
function privateDirs(): string[] {
  const top = readdirSync('/', { withFileTypes: true }).filter((e) => e.isDirectory() && !SYSTEM_DIRS.has(e.name));
  return [...top.map((e) => `/${e.name}`), '/var/tmp'];
}

/** Makes upper folders hide the same folders of the layer below (opaque overlay directories); one setfattr for all. */
function makeOpaque(dirs: readonly string[]): void {
  if (!dirs.length) return;
  const r = spawnSync('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', ...dirs], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot make ${dirs.join(', ')} opaque: ${r.stderr || r.error?.message}`);
}

function put(upper: string, path: string, text: string, mode = 0o644): void {
  upperDir(upper, dirname(path));
  writeFileSync(join(upper, path), text, { mode });
  chmodSync(join(upper, path), mode);
}

/** A fresh Debian host's fstab, not this machine's (whatever its own tests left there). */
const FRESH_FSTAB = '# /etc/fstab: static file system information.\n#\n# <file system> <mount point>   <type>  <options>       <dump>  <pass>\n';

export interface HostImages {
  L: string;
  hosts: readonly LabHostSpec[];
  nfsHost: LabHostSpec;
  port: number;
  clientPub: string;
}

/**
 * Lays out every host before it boots: each upper layer gets what makes it that host (name, hosts
 * file, sshd, host key, its role's lab files) and the mount points of its bound folders; the boot
 * script is written beside it. Returns each host's public key line, in the order of `hosts`.
 */
export function makeHostImages(o: HostImages): string[] {
  const hidden = privateDirs().filter((dir) => existsSync(dir));
  const opaque: string[] = [];
  for (const host of o.hosts) opaque.push(...layOut({ ...o, host }, hidden));
  makeOpaque(opaque);
  return generateKeys(o.hosts.map((h) => ({ file: join(hostDirs(o.L, h.name).upper, IN_HOST.hostKey), comment: `lab-${h.name}` })));
}

/** One host's files but its host key; returns the upper folders that must be made opaque. */
function layOut(o: HostImages & { host: LabHostSpec }, hidden: readonly string[]): string[] {
  const d = hostDirs(o.L, o.host.name);
  for (const x of [d.upper, d.work, d.root, d.logs]) mkdirSync(x, { recursive: true });
  const binds: HostBind[] = [{ from: d.logs, to: IN_HOST.labLog }];
  const opaque = hidden.map((dir) => upperDir(d.upper, dir));
  put(d.upper, '/etc/hostname', `${o.host.name}\n`);
  put(d.upper, '/etc/hosts', etcHosts(o.host.name, o.hosts));
  put(d.upper, '/etc/fstab', FRESH_FSTAB);
  put(d.upper, '/etc/ssh/sshd_config', sshdConfig({ address: o.host.address, port: o.port }));
  put(d.upper, IN_HOST.authorizedKeys, `${o.clientPub}\n`);
  put(d.upper, '/etc/default/ssh', SSH_DEFAULTS);
  put(d.upper, IN_HOST.init, labInit(o.host.role), 0o755);
  upperDir(d.upper, dirname(IN_HOST.hostKey));
  const disk = nfsDisk(o.L, o.nfsHost.name);
  mkdirSync(disk, { recursive: true });
  if (o.host.role === 'nfs') {
    put(d.upper, IN_HOST.ganeshaConf, ganeshaConfig({ address: o.host.address, ports: NFS_PORTS }));
    put(d.upper, '/etc/init.d/nfs-ganesha', GANESHA_INIT, 0o755);
    upperDir(d.upper, '/var/lib/nfs/ganesha');
    binds.push({ from: disk, to: NFS_DISK.path });
  } else if (o.host.role !== 'fleet') {
    binds.push({ from: disk, to: `${NFS_DISK.onClients(o.nfsHost.name)}${NFS_DISK.path}` });
  }
  for (const b of binds) upperDir(d.upper, b.to);
  writeFileSync(d.boot, bootScript({ dir: d.dir, name: o.host.name, binds }), { mode: 0o755 });
  return opaque;
}
