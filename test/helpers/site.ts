import { readFileSync } from 'node:fs';
import { analyze, type Analysis } from '../../runner/src/runbook/analyze.js';
import { readText } from '../../runner/src/cli/load.js';
import { caret } from './caret.js';
import { fixture } from './paths.js';

/** The editor fixture: a runbook, its inventory and a template (test/fixtures/lsp). */
export const SITE = fixture('lsp', 'site.yaml');
export const SITE_INVENTORY = fixture('lsp', 'inventory.yaml');
export const siteText = (): string => readFileSync(SITE, 'utf8');

export function analyzeSite(text = siteText()): Analysis {
  return analyze(text, { path: SITE, readFile: readText });
}

/**
 * The fixture with `find` replaced by `marked` (which holds the `^` cursor): the text, the offset,
 * and the analysis of the fixture as it was before the edit (the server answers from that one).
 */
export function editedSite(find: string, marked: string): { a: Analysis; text: string; offset: number } {
  const original = siteText();
  if (!original.includes(find)) throw new Error(`the fixture has no '${find}'`);
  const { text, offset } = caret(original.replace(find, marked));
  return { a: analyzeSite(original), text, offset };
}
