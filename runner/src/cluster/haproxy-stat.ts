import { cmd, q } from '../transport/quote.js';

/** One server of a backend as HAProxy sees it (a row of `show stat`). */
export interface StatServer {
  backend: string;
  server: string;
  /** HAProxy's word: UP, DOWN, MAINT, "no check", "UP 1/2" (going down), ... */
  state: string;
  backup: boolean;
}

/** The command that asks HAProxy's stats socket for `show stat` (read only). */
export function showStatCommand(socket: string): string {
  return `echo 'show stat' | ${cmd('socat', '-t', '5', 'stdio')} ${q(`UNIX-CONNECT:${socket}`)}`;
}

/** The servers of every backend from `show stat`'s CSV (its first line names the columns). */
export function parseShowStat(csv: string): StatServer[] {
  const lines = csv.split('\n').map((l) => l.trim()).filter(Boolean);
  const head = lines.find((l) => l.startsWith('# '));
  if (!head) throw new Error(`not the output of 'show stat': ${csv.trim().slice(0, 200) || '(empty)'}`);
  const cols = head.slice(2).split(',');
  const at = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`'show stat' has no column ${name}`);
    return i;
  };
  const [px, sv, status, bck] = [at('pxname'), at('svname'), at('status'), at('bck')];
  const out: StatServer[] = [];
  for (const l of lines) {
    if (l.startsWith('#')) continue;
    const f = l.split(',');
    if (f[sv] === 'FRONTEND' || f[sv] === 'BACKEND') continue;
    out.push({ backend: f[px], server: f[sv], state: f[status], backup: f[bck] === '1' });
  }
  return out;
}

const up = (s: StatServer) => /^UP\b/.test(s.state) || s.state === 'no check';

/**
 * The server a new client of the backend goes to with balance `first`: the first server up that is
 * not a backup, else the first backup up; undefined when none is up.
 */
export function servingServer(servers: readonly StatServer[]): StatServer | undefined {
  return servers.find((s) => up(s) && !s.backup) ?? servers.find((s) => up(s) && s.backup);
}
