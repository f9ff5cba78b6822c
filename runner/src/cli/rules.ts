import { RULES } from '../runbook/rules.js';
import { EXIT } from '../engine/exit-codes.js';

/** `amq-run rules`: every rule a diagnostic can come from, with a sentence each. */
export function rulesCommand(out: (s: string) => void): number {
  const ids = Object.keys(RULES) as (keyof typeof RULES)[];
  const width = Math.max(...ids.map((id) => id.length));
  for (const id of ids) out(`${id.padEnd(width)}  ${RULES[id]}`);
  out('');
  out('Silence one on its line, or on the task (or item) below the comment: # amq-lint: disable=RULE[,RULE]');
  return EXIT.ok;
}
