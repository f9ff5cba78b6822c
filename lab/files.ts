import { q } from '../runner/src/transport/quote.js';

/** sshd for one lab host: its own address, key, pidfile and log; everyone logs in with the lab's client key. */
export function sshdConfig(o: { address: string; port: number; hostKey: string; pidFile: string; authorizedKeys: string }): string {
  return `# sshd of one lab host
Port ${o.port}
ListenAddress ${o.address}
HostKey ${o.hostKey}
PidFile ${o.pidFile}
AuthorizedKeysFile ${o.authorizedKeys}
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

/** nfs-ganesha bound to the NFS host's address, without exports: the playbook adds them. */
export function ganeshaConfig(o: { address: string; recoveryRoot: string; ports: { nfs: number; mountd: number; nlm: number } }): string {
  return `# nfs-ganesha of the lab's NFS host; the playbook adds the EXPORT blocks
NFS_CORE_PARAM {
    Bind_addr = ${o.address};
    Protocols = 3, 4;
    NFS_Port = ${o.ports.nfs};
    MNT_Port = ${o.ports.mountd};
    NLM_Port = ${o.ports.nlm};
    Enable_RQUOTA = false;
}
NFSV4 { Graceless = true; RecoveryBackend = fs; RecoveryRoot = ${o.recoveryRoot}; }
NFS_KRB5 { Active_krb5 = false; }
LOG { Default_Log_Level = EVENT; }
`;
}

/** log4j 1.x configuration: Debian's ActiveMQ has log4j 1.2 on its classpath and ignores log4j2.properties. */
export const LOG4J_PROPERTIES = `log4j.rootLogger=INFO, console, logfile
log4j.logger.org.springframework=WARN
log4j.logger.org.apache.xbean=WARN
log4j.logger.org.apache.activemq.broker.region.AbstractRegion=DEBUG
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{ISO8601} | %-5p | %m%n
log4j.appender.logfile=org.apache.log4j.RollingFileAppender
log4j.appender.logfile.file=\${activemq.data}/activemq.log
log4j.appender.logfile.maxFileSize=1024KB
log4j.appender.logfile.maxBackupIndex=2
log4j.appender.logfile.layout=org.apache.log4j.PatternLayout
log4j.appender.logfile.layout.ConversionPattern=%d{ISO8601} | %-5p | %m | %c | %t%n
`;

/** `run-broker.sh <host root>`: one broker in the foreground, from the host root's Debian instance "main". */
export const RUN_BROKER_SH = `#!/bin/sh
# usage: run-broker.sh <host root>   (foreground; exec's java, so the caller's $! is the broker's pid)
R=\${1:?usage: run-broker.sh <host root>}
C=$R/etc/activemq/instances-available/main
B=$R/var/lib/activemq/main
[ -f "$C/activemq.xml" ] || { echo "run-broker.sh: no $C/activemq.xml" >&2; exit 2; }
mkdir -p "$B/data" || exit 2
exec java -Xms64m -Xmx128m -XX:+UseSerialGC -Xss512k \\
  --add-reads=java.xml=java.logging \\
  --add-opens java.base/java.security=ALL-UNNAMED --add-opens java.base/java.net=ALL-UNNAMED \\
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED \\
  --add-opens java.naming/javax.naming.spi=ALL-UNNAMED --add-opens java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED \\
  --add-opens java.base/java.util.concurrent=ALL-UNNAMED --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED \\
  -Dactivemq.classpath="$C" -Dactivemq.home=/usr/share/activemq -Dactivemq.base="$B" \\
  -Dactivemq.conf="$C" -Dactivemq.data="$B/data" -Djava.io.tmpdir="$B/data" \\
  -jar /usr/share/activemq/bin/activemq.jar start "xbean:file:$C/activemq.xml"
`;

/**
 * \`ganesha-restart\`: the lab's stand-in for a reload of the NFS server (\`exportfs -ra\`): stops
 * ganesha if it runs, starts it with the host's config and waits for "NFS SERVER INITIALIZED".
 */
export function ganeshaRestartSh(o: { conf: string; pidFile: string; log: string; out: string }): string {
  return `#!/bin/sh
CONF=${q(o.conf)}
PIDF=${q(o.pidFile)}
LOG=${q(o.log)}
OUT=${q(o.out)}
gone() { [ ! -e "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
if [ -s "$PIDF" ]; then
  P=$(cat "$PIDF")
  if ! gone "$P"; then
    kill "$P"
    i=0
    while ! gone "$P"; do
      i=$((i + 1))
      [ $i -eq 200 ] && kill -9 "$P"
      [ $i -gt 300 ] && { echo "ganesha-restart: ganesha (pid $P) does not stop" >&2; exit 1; }
      sleep 0.05
    done
  fi
  rm -f "$PIDF"
fi
touch "$LOG"
N=$(grep -c 'NFS SERVER INITIALIZED' "$LOG")
ganesha.nfsd -f "$CONF" -L "$LOG" -p "$PIDF" -N NIV_EVENT < /dev/null >> "$OUT" 2>&1 || { echo "ganesha-restart: ganesha.nfsd failed; see $OUT" >&2; exit 1; }
i=0
until [ "$(grep -c 'NFS SERVER INITIALIZED' "$LOG")" -gt "$N" ]; do
  i=$((i + 1))
  if [ -s "$PIDF" ] && gone "$(cat "$PIDF")" || [ $i -gt 400 ]; then
    echo "ganesha-restart: ganesha did not start; the end of $LOG:" >&2
    tail -n 15 "$LOG" >&2
    exit 1
  fi
  sleep 0.05
done
echo "ganesha running (pid $(cat "$PIDF")) with $CONF"
`;
}

/**
 * `haproxy-reload <host root>`: the lab's stand-in for `service haproxy reload`: restarts a running
 * haproxy with the host's config; does nothing when it is not running (the playbook starts it).
 */
export const HAPROXY_RELOAD_SH = `#!/bin/sh
R=\${1:?usage: haproxy-reload <host root>}
PIDF=$R/run/haproxy.pid
gone() { [ ! -e "/proc/$1" ] || grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
[ -s "$PIDF" ] || exit 0
P=$(cat "$PIDF")
gone "$P" && exit 0
haproxy -c -q -f "$R/etc/haproxy/haproxy.cfg" || exit 1
kill "$P"
i=0
while ! gone "$P"; do
  i=$((i + 1))
  [ $i -gt 200 ] && { echo "haproxy-reload: haproxy (pid $P) does not stop" >&2; exit 1; }
  sleep 0.05
done
cd "$R" || exit 1; nohup setsid haproxy -db -f "$R/etc/haproxy/haproxy.cfg" > "$R/var/log/haproxy.out" 2>&1 < /dev/null & echo $! > "$PIDF"
`;
