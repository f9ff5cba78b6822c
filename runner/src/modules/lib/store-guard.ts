import { q } from '../../transport/quote.js';

/**
 * The shared-store guard: a broker must never start on a store that is not mounted (after a reboot
 * with the NFS server down it would start on an empty local directory, become a second master,
 * and split the clients between two brokers with different messages).
 */
export function storeGuardMessage(service: string, path: string): string {
  return `${service}: refusing to start: ${path} is not mounted (the shared store); a broker on an empty local directory would become a second master`;
}

/**
 * Lines for a file that the start script sources (Debian's instance `options`, `bin/env`): on a
 * start (the init script sources it with no argument, /usr/bin/activemq with `start` or
 * `console`), when `path` is not a mount point it says why on stderr, in the broker's log
 * ($ACTIVEMQ_OUT, when it exists) and to syslog, and exits 1, which fails the start.
 */
export function storeGuardShell(service: string, path: string): string {
  const msg = q(storeGuardMessage(service, path));
  return `case "$1" in
  ''|start|restart|console)
    if ! mountpoint -q ${q(path)}; then
      echo ${msg} >&2
      if [ -f "$ACTIVEMQ_OUT" ] && [ -w "$ACTIVEMQ_OUT" ]; then echo "$(date '+%Y-%m-%d %H:%M:%S,000') | ERROR | "${msg} >> "$ACTIVEMQ_OUT"; fi
      logger -t ${q(service)} ${msg} 2>/dev/null
      exit 1
    fi
    ;;
esac
`;
}

/** A word of a systemd command line: quoted when it needs to be; `$` and `%` are doubled (systemd expands them). */
export function systemdWord(s: string): string {
  const escaped = s.replace(/\$/g, '$$$$').replace(/%/g, '%%');
  return /^[A-Za-z0-9_@+=:,./-]+$/.test(s) ? escaped : `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** ExecStartPre= of a systemd unit: fails the start, with the reason in the journal, when `path` is not a mount point. */
export function storeGuardExecStartPre(service: string, path: string): string {
  const script = `mountpoint -q "$1" || { echo "$2" >&2; exit 1; }`;
  return ['/bin/sh', '-c', script, 'store-guard', path, storeGuardMessage(service, path)].map(systemdWord).join(' ');
}
