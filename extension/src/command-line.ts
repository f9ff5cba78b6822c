import { q } from '../../runner/src/transport/quote.js';

export type RunKind = 'run' | 'dry-run' | 'validate' | 'status' | 'plan';

export interface RunSettings {
  /** `-i`; empty for the playbook's own. */
  inventory: string;
  /** `-e`, as the language server gets them too. */
  extraVars: string[];
  extraArgs: string[];
}

/** The `-e` pairs among the extra arguments: they change what validation sees, too. */
function extraVarsIn(args: string[]): string[] {
  return args.flatMap((a, i) => {
    if ((a === '-e' || a === '--extra-vars') && i + 1 < args.length) return [a, args[i + 1]];
    return a.startsWith('--extra-vars=') ? [a] : [];
  });
}

/** amq-run's arguments for a command on a playbook; `extra` goes after the user's (e.g. --json). */
export function runArgs(kind: RunKind, file: string, s: RunSettings, play?: string, extra: string[] = []): string[] {
  const args: string[] = kind === 'run' || kind === 'dry-run' ? [file] : [kind, file];
  if (s.inventory.trim()) args.push('-i', s.inventory.trim());
  for (const e of s.extraVars) if (e.trim()) args.push('-e', e.trim());
  if (kind === 'dry-run') args.push('--dry-run');
  if (play !== undefined) args.push('--play', play);
  // The run's other arguments (--forks, --limit, ...) are not status's, validate's or plan's.
  args.push(...(kind === 'run' || kind === 'dry-run' ? [...s.extraArgs, ...extra] : [...extraVarsIn(s.extraArgs), ...extra]));
  return args;
}

/** The terminal line: the runner's words, then the arguments, each quoted for the shell. */
export function commandLine(runner: string[], args: string[]): string {
  return [...runner, ...args].map(q).join(' ');
}
