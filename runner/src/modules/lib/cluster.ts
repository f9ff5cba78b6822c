import type { RuleId } from '../../runbook/rules.js';
import type { ClusterProblem, HostTask } from './define.js';

/**
 * A path as the host sees it, relative to the host's `root` variable (set when several hosts share
 * one machine, as in the lab and the local preview).
 */
export function hostPath(p: string | undefined, t: HostTask<unknown>): string | undefined {
  if (p === undefined) return undefined;
  const root = t.variable('root');
  let out = p.replace(/\/+$/, '') || '/';
  if (typeof root === 'string' && root !== '' && root !== '/') {
    const r = root.replace(/\/+$/, '');
    if (out === r) out = '/';
    else if (out.startsWith(`${r}/`)) out = out.slice(r.length);
  }
  return out;
}

/** The same value on every host of a task, or a report at the first host that differs. */
export function mustAgree<P>(
  group: readonly HostTask<P>[],
  param: string,
  value: (t: HostTask<P>) => string | undefined,
  report: (p: ClusterProblem) => void,
  o: { code: RuleId; what: string; hint: string },
): void {
  const first = group[0];
  const v0 = value(first);
  for (const t of group.slice(1)) {
    const v = value(t);
    if (v === v0) continue;
    report({
      at: t.at([param]),
      code: o.code,
      message: `${o.what} ${o.what.startsWith('the ') ? 'differ' : 'differs'} between hosts: ${first.host} has ${v0 ?? '(not set)'}; ${t.host} has ${v ?? '(not set)'}`,
      hint: o.hint,
    });
    return;
  }
}
