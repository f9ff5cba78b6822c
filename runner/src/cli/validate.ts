import { relative } from 'node:path';
import { loadPlaybook, parseExtraVars, UsageError } from './load.js';
import { EXIT } from '../engine/exit-codes.js';
import { ownPackage } from './own-package.js';
import { jsonReport, locate, sarifReport, summarize, summaryLine } from './validate-report.js';

export type ValidateFormat = 'text' | 'json' | 'sarif';

export interface ValidateOptions {
  inventory?: string;
  extraVars?: string[];
  format?: string;
}

export function parseFormat(v: string | undefined): ValidateFormat {
  if (v === undefined || v === 'text' || v === 'json' || v === 'sarif') return v ?? 'text';
  throw new UsageError(`--format takes text, json or sarif, not '${v}'`);
}

/** Prints the diagnostics (one line each, JSON or SARIF) and a summary; exit 4 when any is an error. */
export function validateCommand(playbook: string, opts: ValidateOptions, out: (s: string) => void): number {
  const format = parseFormat(opts.format);
  const loaded = loadPlaybook(playbook, { ...(opts.inventory !== undefined ? { inventory: opts.inventory } : {}), extraVars: parseExtraVars(opts.extraVars ?? []) });
  const summary = summarize(loaded.analysis);
  if (format === 'json') out(JSON.stringify(jsonReport(locate(loaded.analysis, loaded.path), summary), null, 2));
  else if (format === 'sarif') out(JSON.stringify(sarifReport(locate(loaded.analysis, loaded.path), ownPackage().version), null, 2));
  else {
    for (const line of loaded.lines) out(shortenPaths(line));
    out(summaryLine(summary));
  }
  return summary.errors ? EXIT.invalid : EXIT.ok;
}

/** Absolute paths under the current directory are shown relative to it. */
export function shortenPaths(line: string): string {
  const m = /^(\/[^:]+):/.exec(line);
  if (!m) return line;
  const rel = relative(process.cwd(), m[1]);
  return rel.startsWith('..') ? line : rel + line.slice(m[1].length);
}
