import { loadPlaybook, parseExtraVars } from '../runbook/load.js';
import { catalog } from '../modules/index.js';
import { selectRun } from '../engine/select.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './program.js';
import { shortenPaths } from './validate.js';

export interface RunOptions {
  inventory?: string;
  extraVars: string[];
  dryRun?: boolean;
  diff?: boolean;
  step?: boolean;
  yes?: boolean;
  limit?: string;
  tags: string[];
  skipTags: string[];
  startAt?: string;
  forks?: number;
  json?: boolean;
  plain?: boolean;
  verbose?: boolean;
  detailedExitcode?: boolean;
  acceptNewHostKeys?: boolean;
  askBecomePass?: boolean;
}

export async function runCommand(playbook: string, opts: RunOptions, io: Io): Promise<number> {
  const loaded = loadPlaybook(playbook, { ...(opts.inventory !== undefined ? { inventory: opts.inventory } : {}), extraVars: parseExtraVars(opts.extraVars) });
  for (const line of loaded.lines) io.err(shortenPaths(line));
  if (loaded.errors.length) return EXIT.invalid;
  const { plays, errors } = selectRun(loaded.analysis, opts);
  for (const e of errors) io.err(`amq-run: ${e}`);
  if (errors.length) return EXIT.usage;
  const missing = plays.flatMap(({ play, tasks }) =>
    [...tasks, ...play.handlers].filter((t) => !catalog.get(t.module!)?.check).map((t) => `module '${t.module}' (task '${t.name}' in play '${play.name}')`),
  );
  if (missing.length) {
    for (const m of missing) io.err(`amq-run: cannot run ${m}: this version has no implementation of it`);
    return EXIT.taskFailed;
  }
  return EXIT.ok;
}
