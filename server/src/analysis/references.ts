import type { Catalog } from '../../../runner/src/modules/index.js';
import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import { occurrences } from './occurrences.js';
import { symbolAt } from './rename.js';
import type { Target } from './types.js';

/**
 * References of the variable, secret, host, group, handler or task at the offset, in the document and
 * its inventory file: definitions first (when asked), then uses.
 */
export function references(a: Analysis, text: string, offset: number, catalog: Catalog, withDeclaration: boolean): Target[] {
  const at = symbolAt(a, text, offset, catalog);
  if (!at || 'refused' in at) return [];
  return occurrences(a, at.sym)
    .filter((o) => withDeclaration || !o.definition)
    .map((o) => ({ ...(o.file !== undefined ? { file: o.file } : {}), span: o.span }));
}
