import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYamlValue } from 'yaml';
import { analyze, type Analysis } from '../runbook/analyze.js';
import { formatDiagnostic, type Diagnostic } from '../runbook/diagnostics.js';
import { EXIT, type ExitCode } from '../engine/exit-codes.js';

import { UsageError } from './usage-error.js';

export { UsageError };

/** The playbook named on the command line cannot be read: like an invalid playbook. */
export class UnreadablePlaybook extends UsageError {
  override readonly exit: ExitCode = EXIT.invalid;
}

export function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** `-e key=value` (value read as a YAML scalar: 5 is a number, true a boolean) or `-e @file.yaml`. */
export function parseExtraVars(list: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of list) {
    if (item.startsWith('@')) {
      const text = readText(item.slice(1));
      if (text === null) throw new UsageError(`cannot read the variables file '${item.slice(1)}'`);
      let v: unknown;
      try {
        v = parseYamlValue(text);
      } catch (e) {
        throw new UsageError(`the variables file '${item.slice(1)}' is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
      }
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`the variables file '${item.slice(1)}' must hold a mapping`);
      Object.assign(out, v);
      continue;
    }
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`-e takes key=value or @file.yaml, not '${item}'`);
    const key = item.slice(0, eq);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new UsageError(`'${key}' is not a valid variable name`);
    const raw = item.slice(eq + 1);
    let value: unknown = raw;
    try {
      const parsed = parseYamlValue(raw);
      if (parsed === null || typeof parsed !== 'object') value = parsed ?? (raw === '' ? '' : null);
    } catch {
      value = raw;
    }
    out[key] = value;
  }
  return out;
}

export interface Loaded {
  path: string;
  analysis: Analysis;
  errors: Diagnostic[];
  /** Each diagnostic as `FILE:LINE:COL: severity: message (hint)`. */
  lines: string[];
}

/** Reads and analyses a playbook from disk for the command line. */
export function loadPlaybook(path: string, opts: { inventory?: string; extraVars?: Record<string, unknown>; secret?(name: string): string }): Loaded {
  const abs = resolve(path);
  const text = readText(abs);
  if (text === null) throw new UnreadablePlaybook(`cannot read the playbook '${path}'`);
  const analysis = analyze(text, {
    path: abs,
    readFile: readText,
    ...(opts.inventory !== undefined ? { inventoryPath: opts.inventory } : {}),
    ...(opts.extraVars ? { extraVars: opts.extraVars } : {}),
    ...(opts.secret ? { secret: opts.secret } : {}),
  });
  const lines = analysis.diagnostics.map((d) => {
    const inInventory = d.file !== undefined;
    const file = inInventory ? d.file! : path;
    const lc = inInventory ? analysis.inventoryDoc?.lines : analysis.doc.lines;
    if (!lc) return `${file}:1:1: ${d.severity}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`;
    return formatDiagnostic(file, lc, d);
  });
  return { path, analysis, errors: analysis.diagnostics.filter((d) => d.severity === 'error'), lines };
}
