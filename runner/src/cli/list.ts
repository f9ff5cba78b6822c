import { selectRun, type Selection } from '../engine/select.js';
import { loadPlaybook, parseExtraVars } from './load.js';
import { EXIT } from '../engine/exit-codes.js';
import { shortenPaths } from './validate.js';

export interface ListOptions extends Selection {
  inventory?: string;
  extraVars?: string[];
}

/** Plays with their resolved hosts, tasks with module and tags, handlers. */
export function listCommand(playbook: string, opts: ListOptions, out: (s: string) => void, err: (s: string) => void): number {
  const loaded = loadPlaybook(playbook, { ...(opts.inventory !== undefined ? { inventory: opts.inventory } : {}), extraVars: parseExtraVars(opts.extraVars ?? []) });
  if (loaded.errors.length) {
    for (const line of loaded.lines) err(shortenPaths(line));
    return EXIT.invalid;
  }
  const { plays, errors } = selectRun(loaded.analysis, opts);
  if (errors.length) {
    for (const e of errors) err(`amq-run: ${e}`);
    return EXIT.usage;
  }
  out(`playbook: ${loaded.analysis.playbook?.name ?? ''} (${playbook})`);
  for (const { play, hosts, tasks } of plays) {
    const serial = play.serial !== undefined ? `, serial ${play.serial}` : '';
    out('');
    out(`play #${play.index + 1}: ${play.name}  [${hosts.join(', ') || 'no hosts'}]${play.become ? ', become' : ''}${serial}`);
    for (const t of tasks) {
      const tags = t.tags.length ? `  tags: ${t.tags.join(', ')}` : '';
      const notify = t.notify.length ? `  notify: ${t.notify.map((n) => n.name).join(', ')}` : '';
      out(`  - ${t.name}  (${t.module ?? '?'})${tags}${notify}`);
    }
    for (const h of play.handlers) out(`  handler: ${h.name}  (${h.module ?? '?'})`);
  }
  return EXIT.ok;
}
