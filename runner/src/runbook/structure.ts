import type { Document, YAMLMap } from 'yaml';
import type { Reporter, Span } from './diagnostics.js';
import { entries, spanOf, type Entry, type YNode } from './nodes.js';
import { INVALID, place } from './placed.js';
import type { KeySpecs } from './schema.js';
import { checkMapping } from './values.js';

export const KIND_LABEL = {
  map: 'a mapping',
  list: 'a list',
  string: 'a string',
  number: 'a number',
  bool: 'a boolean',
  null: 'empty',
} as const;

/** The span at which "missing X" is reported for a mapping: its first key, or the mapping itself. */
export function headSpan(map: YAMLMap, fallback: Span): Span {
  const first = map.items[0];
  if (first) {
    const k = spanOf(first.key as YNode);
    if (k.end > k.start) return k;
  }
  return spanOf(map, fallback);
}

/**
 * Checks one level of a runbook's structure (the playbook, a play, a task, the inventory) with
 * the value checker: unknown keys (with did-you-mean), the type of each value, required keys.
 * Values below this level are read by their own parts. With `deferExpressions`, a value holding
 * `{{ }}` is left to the check where it is rendered (inventory fields). Returns the entries.
 */
export function checkKeys(
  doc: Document,
  map: YAMLMap,
  specs: KeySpecs,
  report: Reporter,
  what: string,
  opts: { isExtra?(key: string): boolean; anchor?: Span; skipRequired?: boolean; deferExpressions?: boolean } = {},
): Entry[] {
  const ctx = { text: '', doc, report, checkSecrets: false, deferExpressions: Boolean(opts.deferExpressions) };
  const placed = place(ctx, map, undefined, 1);
  if (placed !== INVALID) {
    checkMapping(ctx, placed, specs, {
      label: what,
      unknownCode: 'unknown-key',
      unknownMessage: (k) => `unknown key '${k}' in ${what}`,
      ...(opts.isExtra ? { isExtra: opts.isExtra } : {}),
      ...(opts.anchor ? { anchor: opts.anchor } : {}),
      ...(opts.skipRequired ? { skipRequired: true } : {}),
    });
  }
  return entries(doc, map);
}
