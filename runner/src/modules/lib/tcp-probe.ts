import { q } from '../../transport/quote.js';
import type { CheckContext, CommandResult } from './context.js';

export interface ProbeResult extends CommandResult {
  /** open: accepted a connection; closed: refused or timed out; error: the probe itself could not run. */
  state: 'open' | 'closed' | 'error';
  /** What was seen, in words: "connection refused", "no answer within 2 s". */
  seen: string;
}

export const PROBE_TIMEOUT_SECONDS = 2;

/**
 * One connection attempt from the host itself, changing nothing: bash's /dev/tcp under `timeout`,
 * or `nc -z` where bash is missing.
 */
export function probeCommand(host: string, port: number): string {
  const bash = `: < /dev/tcp/${q(host)}/${q(port)}`;
  const t = PROBE_TIMEOUT_SECONDS;
  return [
    `if command -v bash >/dev/null 2>&1; then timeout ${t} bash -c ${q(bash)}`,
    `elif command -v nc >/dev/null 2>&1; then nc -z -w ${t} ${q(host)} ${q(port)}`,
    `else echo 'cannot probe a port: neither bash nor nc is installed' >&2; exit 127; fi`,
  ].join('; ');
}

export async function probeTcp(ctx: CheckContext, host: string, port: number): Promise<ProbeResult> {
  const line = probeCommand(host, port);
  const r = await ctx.run(line, { timeoutMs: (PROBE_TIMEOUT_SECONDS + 5) * 1000 });
  const base = { cmd: line, ...r };
  if (r.code === 0) return { ...base, state: 'open', seen: 'open' };
  // bash names the cause first ("connect: Connection refused", "db1: Name or service not known").
  const first = r.stderr.trim().split('\n')[0].trim().replace(/^bash: (line \d+: )?/, '');
  if (r.code === 126 || r.code === 127) return { ...base, state: 'error', seen: first || `exit ${r.code}` };
  if (r.code === 124) return { ...base, state: 'closed', seen: `no answer within ${PROBE_TIMEOUT_SECONDS} s` };
  if (/refused/i.test(first)) return { ...base, state: 'closed', seen: 'connection refused' };
  return { ...base, state: 'closed', seen: first || `exit ${r.code}` };
}
