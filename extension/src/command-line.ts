import { q } from '../../runner/src/transport/quote.js';

export type RunKind = 'run' | 'dry-run' | 'validate';

export interface RunSettings {
  /** `-i`; empty for the playbook's own. */
  inventory: string;
  extraArgs: string[];
}

/** The `-e` pairs among the extra arguments: they change what validation sees, too. */
function extraVars(args: string[]): string[] {
  return args.flatMap((a, i) => {
    if ((a === '-e' || a === '--extra-vars') && i + 1 < args.length) return [a, args[i + 1]];
    return a.startsWith('--extra-vars=') ? [a] : [];
  });
}

/** amq-run's arguments for a command on a playbook. */
export function runArgs(kind: RunKind, file: string, s: RunSettings, play?: string): string[] {
  const args: string[] = kind === 'validate' ? ['validate', file] : [file];
  if (s.inventory.trim()) args.push('-i', s.inventory.trim());
  if (kind === 'dry-run') args.push('--dry-run');
  if (play !== undefined) args.push('--play', play);
  args.push(...(kind === 'validate' ? extraVars(s.extraArgs) : s.extraArgs));
  return args;
}

/** The terminal line: the runner's words, then the arguments, each quoted for the shell. */
export function commandLine(runner: string[], args: string[]): string {
  return [...runner, ...args].map(q).join(' ');
}
