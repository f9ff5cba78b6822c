import { q } from '../../runner/src/transport/quote.js';

export type RunKind = 'run' | 'dry-run' | 'validate';

export interface RunnerSettings {
  /** How to start the runner: `amq-run`, `npx amq-run`, `node /path/bin/amq-run.js`. Split on spaces. */
  runnerPath: string;
  /** `-i`; empty for the playbook's own. */
  inventory: string;
  /** `-e`, as the language server gets them too. */
  extraVars: string[];
  extraArgs: string[];
}

/** The runner and its arguments for a command on a playbook. */
export function commandArgs(kind: RunKind, file: string, s: RunnerSettings, play?: string, extra: string[] = []): string[] {
  const runner = s.runnerPath.trim().split(/\s+/).filter(Boolean);
  const args: string[] = kind === 'validate' ? ['validate', file] : [file];
  if (s.inventory.trim()) args.push('-i', s.inventory.trim());
  for (const e of s.extraVars) if (e.trim()) args.push('-e', e.trim());
  if (kind === 'dry-run') args.push('--dry-run');
  if (play !== undefined) args.push('--play', play);
  if (kind !== 'validate') args.push(...s.extraArgs, ...extra);
  return [...runner, ...args];
}

/** The terminal line for a command on a playbook: each argument quoted for the shell. */
export function commandLine(kind: RunKind, file: string, s: RunnerSettings, play?: string): string {
  const argv = commandArgs(kind, file, s, play);
  const runner = s.runnerPath.trim().split(/\s+/).filter(Boolean).length;
  return [...argv.slice(0, runner), ...argv.slice(runner).map(q)].join(' ');
}
