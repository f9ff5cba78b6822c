import { isAbsolute, resolve } from 'node:path';
import { parseExtraVars } from '../../runner/src/cli/load.js';

/**
 * What the client tells the server, as `initializationOptions` and again in
 * `workspace/didChangeConfiguration` (the `amqRunbook` section of the editor's settings):
 *
 * - `inventory`: the inventory every runbook is analysed with, as `-i` (relative to the workspace
 *   folder); empty: each runbook's own.
 * - `extraVars`: `-e` arguments, `["key=value", "@vars.yaml"]`.
 * - `inlayHints`: false turns the values shown after expressions off.
 * - `filePatterns` (or `globs`): more runbook files than those with a top-level `plays:`.
 * - `debounceMs`: quiet time after an edit before diagnostics are computed.
 */
export interface ClientSettings {
  inventory?: string;
  extraVars?: string[];
  inlayHints?: boolean;
  filePatterns?: string[];
  globs?: string[];
  debounceMs?: number;
}

export interface Settings {
  globs: string[];
  debounceMs: number;
  /** Absolute path, as `-i`. */
  inventory?: string;
  /** Parsed `-e`; the same object until the settings change (unchanged plays are then not checked again). */
  extraVars: Record<string, unknown>;
  inlayHints: boolean;
  /** What could not be used, one line each. */
  problems: string[];
}

export const DEFAULT_GLOBS = ['**/*.runbook.yaml', '**/*.runbook.yml'];

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

/** Merges what a client sent (later objects win) and resolves paths against the workspace folder. */
export function readSettings(sent: readonly unknown[], root: string | undefined): Settings {
  const merged: ClientSettings = {};
  for (const s of sent) if (s && typeof s === 'object' && !Array.isArray(s)) Object.assign(merged, s);
  const base = root ?? process.cwd();
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const problems: string[] = [];
  let extraVars: Record<string, unknown> = {};
  const given = (strings(merged.extraVars) ?? []).map((e) => e.trim()).filter(Boolean);
  try {
    extraVars = parseExtraVars(given.map((e) => (e.startsWith('@') ? `@${abs(e.slice(1))}` : e)));
  } catch (e) {
    problems.push(`amqRunbook.extraVars: ${(e as Error).message}`);
  }
  const inventory = typeof merged.inventory === 'string' && merged.inventory.trim() ? abs(merged.inventory.trim()) : undefined;
  const patterns = strings(merged.filePatterns) ?? strings(merged.globs);
  return {
    globs: patterns?.length ? patterns : DEFAULT_GLOBS,
    debounceMs: typeof merged.debounceMs === 'number' && merged.debounceMs >= 0 ? merged.debounceMs : 25,
    ...(inventory ? { inventory } : {}),
    extraVars,
    inlayHints: merged.inlayHints !== false,
    problems,
  };
}

/** Whether two settings analyse runbooks the same way (else every open document is analysed again). */
export function sameAnalysis(a: Settings, b: Settings): boolean {
  return a.inventory === b.inventory && JSON.stringify(a.extraVars) === JSON.stringify(b.extraVars) && a.globs.join('\n') === b.globs.join('\n');
}
