import { q } from '../runner/src/transport/quote.js';
import type { LabHostSpec, LabRole } from './layout.js';

/** Where the lab's own files go inside a host. */
export const IN_HOST = {
  init: '/usr/local/sbin/lab-init',
  authorizedKeys: '/etc/ssh/lab_authorized_keys',
  hostKey: '/etc/ssh/ssh_host_ed25519_key',
  sshdPid: '/run/sshd.pid',
  /** A folder of this machine bound into the host: logs that are not the host's own bytes. */
  labLog: '/var/log/lab',
  ganeshaConf: '/etc/ganesha/ganesha.conf',
  ganeshaLog: '/var/log/ganesha/ganesha.log',
} as const;

/** sshd of one lab host: its own address; every user logs in with the lab's client key (or a password). */
export function sshdConfig(o: { address: string; port: number }): string {
  return `# sshd of one lab host
Port ${o.port}
ListenAddress ${o.address}
HostKey ${IN_HOST.hostKey}
PidFile ${IN_HOST.sshdPid}
AuthorizedKeysFile ${IN_HOST.authorizedKeys} .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
LogLevel VERBOSE
`;
}

/** Debian's /etc/default/ssh, with sshd's log in the lab's log folder (the host has no syslog). */
export const SSH_DEFAULTS = `# Sourced by /etc/init.d/ssh. The lab host has no syslog: sshd logs to the lab's log folder.
SSHD_OPTS="-E ${IN_HOST.labLog}/sshd.log"
`;

/** Every lab host by name, as each host's /etc/hosts lists them. */
export function etcHosts(self: string, hosts: readonly LabHostSpec[]): string {
  const lines = ['127.0.0.1\tlocalhost', ...hosts.map((h) => `${h.address}\t${h.name}`)];
  return `# The lab's hosts (this is ${self})\n${lines.join('\n')}\n`;
}

/** nfs-ganesha bound to the NFS host's address, without exports: the playbook adds them. */
export function ganeshaConfig(o: { address: string; ports: { nfs: number; mountd: number; nlm: number } }): string {
  return `# nfs-ganesha of the lab's NFS host; the playbook adds the EXPORT blocks
NFS_CORE_PARAM {
    Bind_addr = ${o.address};
    Protocols = 3, 4;
    NFS_Port = ${o.ports.nfs};
    MNT_Port = ${o.ports.mountd};
    NLM_Port = ${o.ports.nlm};
    Enable_RQUOTA = false;
}
NFSV4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = /var/lib/nfs/ganesha; }
NFS_KRB5 { Active_krb5 = false; }
LOG { Default_Log_Level = EVENT; }
`;
}

/** The services a role's packages run from boot on a real host, started by their init scripts. */
const BOOT_SERVICES: Record<LabRole, string[]> = {
  nfs: ['rpcbind', 'nfs-ganesha'],
  broker: [],
  lb: ['haproxy'],
  fleet: [],
};

/**
 * The host's boot, run by tini as its PID 1: the directories Debian's early boot makes in /run,
 * then sshd and the role's services through their init scripts. It stays as tini's child: stopping
 * it (or tini) ends the host.
 */
export function labInit(role: LabRole): string {
  const services = ['ssh', ...BOOT_SERVICES[role]];
  return `#!/bin/sh
# The boot of a lab host (tini is PID 1): what init would run on a real host of this role.
mkdir -p /run/lock /run/sendsigs.omit.d /run/sshd
${services.map((s) => `service ${s} start || { echo "lab-init: service ${s} start failed"; exit 1; }`).join('\n')}
echo "lab host $(hostname) is up"
exec sleep infinity
`;
}

/**
 * /etc/init.d/nfs-ganesha for the NFS host. Debian's nfs-ganesha ships only a systemd unit, and lab
 * hosts have no systemd: this does what the unit does (start with /etc/default/nfs-ganesha's
 * OPTIONS, reload with SIGHUP so ganesha re-reads its exports, stop with SIGTERM), and waits for
 * ganesha's log to say it is done.
 */
export const GANESHA_INIT = `#!/bin/sh
### BEGIN INIT INFO
# Provides:          nfs-ganesha
# Required-Start:    $remote_fs rpcbind
# Required-Stop:     $remote_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: NFS-Ganesha file server (the lab's stand-in for its systemd unit)
### END INIT INFO
OPTIONS="-L ${IN_HOST.ganeshaLog} -f ${IN_HOST.ganeshaConf} -N NIV_EVENT"
[ -r /etc/default/nfs-ganesha ] && . /etc/default/nfs-ganesha
PIDFILE=/run/ganesha/ganesha.pid
LOG=$(echo "$OPTIONS" | sed -n 's/.*-L *\\([^ ]*\\).*/\\1/p')
LOG=\${LOG:-${IN_HOST.ganeshaLog}}

pid() { p=$(cat "$PIDFILE" 2>/dev/null) && [ -n "$p" ] && [ -d "/proc/$p" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$p/status" && echo "$p"; }
count() { c=$(grep -c "$1" "$LOG" 2>/dev/null); echo "\${c:-0}"; }
# Waits until ganesha's log has one more line with $1 than $2, for up to 20 s.
await() {
  i=0
  until [ "$(count "$1")" -gt "$2" ]; do
    i=$((i + 1))
    if [ $i -gt 200 ] || { [ $i -gt 20 ] && [ -z "$(pid)" ]; }; then echo "nfs-ganesha: no '$1' in $LOG; its end:" >&2; tail -n 15 "$LOG" >&2; return 1; fi
    sleep 0.1
  done
}

start() {
  [ -n "$(pid)" ] && { echo "nfs-ganesha already running (pid $(pid))"; return 0; }
  mkdir -p /run/ganesha "$(dirname "$LOG")"
  n=$(count 'NFS SERVER INITIALIZED')
  ganesha.nfsd $OPTIONS -p "$PIDFILE" < /dev/null || return 1
  await 'NFS SERVER INITIALIZED' "$n" && echo "nfs-ganesha running (pid $(pid))"
}

stop() {
  p=$(pid) || { rm -f "$PIDFILE"; return 0; }
  kill "$p"
  i=0
  while [ -d "/proc/$p" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$p/status" 2>/dev/null; do
    i=$((i + 1))
    [ $i -eq 100 ] && kill -9 "$p"
    [ $i -gt 150 ] && { echo "nfs-ganesha: pid $p does not stop" >&2; return 1; }
    sleep 0.1
  done
  rm -f "$PIDFILE"
}

case "$1" in
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  reload|force-reload)
    p=$(pid) || { start; exit $?; }
    n=$(count 'Reread exports complete')
    kill -HUP "$p" && await 'Reread exports complete' "$n" && echo "nfs-ganesha reloaded its exports"
    ;;
  status) p=$(pid) && { echo "nfs-ganesha is running (pid $p)"; exit 0; }; echo "nfs-ganesha is not running"; exit 3 ;;
  *) echo "usage: $0 {start|stop|restart|reload|status}" >&2; exit 2 ;;
esac
`;

/** A directory of this machine bound into a host. */
export interface HostBind {
  from: string;
  /** The path inside the host; its folder exists in the host's upper layer. */
  to: string;
}

/**
 * The boot script run by \`unshare\` in a host's new namespaces (as their PID 1): its root is an
 * overlay of this machine's root (read-only below, the host's own upper layer above) with its own
 * proc, sys, run, dev and the bound folders; then it takes the host's name and becomes tini, the
 * host's init. Mounts made here exist only in the host's mount namespace and end with it.
 */
export function bootScript(o: { dir: string; name: string; binds: readonly HostBind[] }): string {
  const binds = o.binds.map((b) => `mount --bind ${q(b.from)} "$R"${q(b.to)}`).join('\n');
  return `#!/bin/sh
# Boots lab host ${o.name} (run by unshare as PID 1 of its namespaces).
set -e
D=${q(o.dir)}
R="$D/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$D/upper,workdir=$D/work" "$R"
mount -t proc -o nosuid,nodev,noexec proc "$R/proc"
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$R/sys"
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$R/run"
mount -t tmpfs -o mode=0755,nosuid tmpfs "$R/dev"
for n in null zero full random urandom tty; do : > "$R/dev/$n"; mount --bind "/dev/$n" "$R/dev/$n"; done
mkdir "$R/dev/pts" "$R/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$R/dev/pts"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$R/dev/shm"
ln -s pts/ptmx "$R/dev/ptmx"
ln -s /proc/self/fd "$R/dev/fd"
ln -s /proc/self/fd/0 "$R/dev/stdin"
ln -s /proc/self/fd/1 "$R/dev/stdout"
ln -s /proc/self/fd/2 "$R/dev/stderr"
${binds}
hostname ${q(o.name)}
exec chroot "$R" /usr/bin/tini -- ${IN_HOST.init}
`;
}
