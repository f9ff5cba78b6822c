/** Column layout of the PLAY RECAP table: one row per host, one column per status, within the width. */
import { HOST_STATUSES, type HostStatus, type Recap } from '../../engine/events.js';
import { fit } from './text.js';

const LONG: Record<HostStatus, string> = { ok: 'ok', changed: 'changed', would_change: 'would change', would_fail: 'would fail', skipped: 'skipped', failed: 'failed', unreachable: 'unreachable' };
const SHORT: Record<HostStatus, string> = { ok: 'ok', changed: 'chg', would_change: 'would', would_fail: 'wfail', skipped: 'skip', failed: 'fail', unreachable: 'unr' };
const GAP = 2;
const MIN_HOST = 4;

export interface RecapCell {
  status: HostStatus;
  text: string;
  count: number;
}

export interface RecapTable {
  header: { host: string; cells: string[] };
  rows: { host: string; cells: RecapCell[] }[];
}

export function recapTable(recap: Recap, columns: number): RecapTable {
  const hosts = Object.keys(recap);
  const widest = (labels: Record<HostStatus, string>) =>
    HOST_STATUSES.map((s) => Math.max(labels[s].length, ...hosts.map((h) => String(recap[h]![s] ?? 0).length)));
  const hostNeed = Math.max(MIN_HOST, ...hosts.map((h) => [...h].length));
  const numbersWidth = (w: number[]) => w.reduce((n, x) => n + GAP + x, 0);
  const labels = numbersWidth(widest(LONG)) + MIN_HOST <= columns ? LONG : SHORT;
  const widths = widest(labels);
  const hostWidth = Math.max(MIN_HOST, Math.min(hostNeed, columns - numbersWidth(widths)));
  const pad = (s: string, w: number) => ' '.repeat(GAP) + s.padStart(w);
  return {
    header: { host: 'host'.padEnd(hostWidth), cells: HOST_STATUSES.map((s, i) => pad(labels[s], widths[i]!)) },
    rows: hosts.map((h) => ({
      host: fit(h, hostWidth).padEnd(hostWidth),
      // A stream from an older engine may lack a status: it counted none.
      cells: HOST_STATUSES.map((s, i) => ({ status: s, count: recap[h]![s] ?? 0, text: pad(String(recap[h]![s] ?? 0), widths[i]!) })),
    })),
  };
}
