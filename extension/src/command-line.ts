import { q } from '../../runner/src/transport/quote.js';

export type RunKind = 'run' | 'dry-run' | 'validate';

export interface RunnerSettings {
  /** How to start the runner: `amq-run`, `npx amq-run`, `node /path/bin/amq-run.js`. Split on spaces. */
  runnerPath: string;
  /** `-i`; empty for the playbook's own. */
  inventory: string;
  extraArgs: string[];
}

/** The terminal line for a command on a playbook: each argument quoted for the shell. */
export function commandLine(kind: RunKind, file: string, s: RunnerSettings, play?: string): string {
  const runner = s.runnerPath.trim().split(/\s+/).filter(Boolean);
  const args: string[] = kind === 'validate' ? ['validate', file] : [file];
  if (s.inventory.trim()) args.push('-i', s.inventory.trim());
  if (kind === 'dry-run') args.push('--dry-run');
  if (play !== undefined) args.push('--play', play);
  if (kind !== 'validate') args.push(...s.extraArgs);
  return [...runner, ...args.map(q)].join(' ');
}
