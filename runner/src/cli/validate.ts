import { relative } from 'node:path';
import { loadPlaybook, parseExtraVars } from './load.js';
import { EXIT } from '../engine/exit-codes.js';

export interface ValidateOptions {
  inventory?: string;
  extraVars?: string[];
}

/** Prints one line per diagnostic; exit 4 when any is an error. */
export function validateCommand(playbook: string, opts: ValidateOptions, out: (s: string) => void): number {
  const loaded = loadPlaybook(playbook, { ...(opts.inventory !== undefined ? { inventory: opts.inventory } : {}), extraVars: parseExtraVars(opts.extraVars ?? []) });
  for (const line of loaded.lines) out(shortenPaths(line));
  const errors = loaded.errors.length;
  const warnings = loaded.analysis.diagnostics.length - errors;
  if (errors || warnings) out(`${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return errors ? EXIT.invalid : EXIT.ok;
}

/** Absolute paths under the current directory are shown relative to it. */
export function shortenPaths(line: string): string {
  const m = /^(\/[^:]+):/.exec(line);
  if (!m) return line;
  const rel = relative(process.cwd(), m[1]);
  return rel.startsWith('..') ? line : rel + line.slice(m[1].length);
}
