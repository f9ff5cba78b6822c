import type { ClusterStatus } from './status.js';

/** The status as lines for a terminal: brokers, HAProxy's servers, clients, the verdict. */
export function statusLines(s: ClusterStatus): string[] {
  const out: string[] = ['brokers'];
  const w = Math.max(...s.brokers.map((b) => b.host.length), 4);
  for (const b of s.brokers) {
    const store = b.store_mounted === null ? '' : b.store_mounted ? `  store mounted (${b.store})` : `  store NOT mounted (${b.store})`;
    const pid = b.pid === null ? 'no pid' : `pid ${b.pid}`;
    out.push(`  ${b.host.padEnd(w)}  ${b.role.padEnd(6)}  ${pid.padEnd(10)}${store}${b.reason ? `\n  ${' '.repeat(w)}  ${b.reason}` : ''}`);
  }
  const lbs = [...new Set(s.haproxy.map((h) => h.host))];
  for (const lb of lbs) {
    out.push(`haproxy ${lb}`);
    const rows = s.haproxy.filter((h) => h.host === lb);
    const bw = Math.max(...rows.map((r) => r.backend.length));
    const sw = Math.max(...rows.map((r) => r.server.length));
    for (const r of rows) out.push(`  ${r.backend.padEnd(bw)}  ${r.server.padEnd(sw)}  ${r.state.padEnd(8)}${r.backup ? '  backup' : '        '}${r.serving ? '  <- clients go here' : ''}`);
  }
  if (s.clients.length) out.push('clients through haproxy');
  for (const c of s.clients) out.push(`  ${c.host} ${c.frontend} (${c.address}, ${c.protocol}): ${c.reaches ? 'answered by a broker' : `no broker: ${c.error}`}`);
  if (s.ok) out.push(`healthy: ${s.master} is master, HAProxy sends clients to it and a client through HAProxy reaches it`);
  else out.push(`NOT healthy:`, ...s.problems.map((p) => `  - ${p}`));
  return out.map((l) => l.replace(/ +$/gm, ''));
}
