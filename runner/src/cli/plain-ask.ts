import type { Ask, StepAnswer } from '../engine/step.js';
import { askLine } from './terminal.js';

const ANSWERS: Record<string, StepAnswer> = { y: 'yes', yes: 'yes', n: 'no', no: 'no', a: 'all', all: 'all', q: 'quit', quit: 'quit' };

/** --step without the interactive view: print each host's plan, then read y/n/a/q. */
export function plainAsk(write: (line: string) => void): Ask {
  return async (q) => {
    write(`STEP [${q.task}] ${q.module} would change ${q.plans.length} host${q.plans.length === 1 ? '' : 's'}:`);
    for (const p of q.plans) {
      write(`  ${p.host}: ${p.message}`);
      for (const d of p.details ?? []) write(`    ${d}`);
      for (const c of p.commands ?? []) write(`    $ ${c}`);
      for (const l of p.diff?.trimEnd().split('\n') ?? []) write(`    ${l}`);
    }
    for (;;) {
      const a = ANSWERS[(await askLine('apply? [y]es, [n]o (skip this task), [a]ll from here, [q]uit: ')).toLowerCase()];
      if (a) return a;
    }
  };
}
