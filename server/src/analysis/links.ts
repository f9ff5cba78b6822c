import { isScalar } from 'yaml';
import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import { asMap, entries } from '../../../runner/src/runbook/nodes.js';
import { LOCAL_SOURCES, localFile } from './definition.js';
import { exactly } from './occurrences.js';
import type { Span } from './types.js';

export interface Link {
  span: Span;
  file: string;
  tooltip: string;
}

/** The files a runbook names: its inventory, templates, files uploaded. Values with `{{ }}` are left out. */
export function documentLinks(a: Analysis, playbookPath?: string): Link[] {
  const out: Link[] = [];
  const text = a.doc.text;
  const add = (span: Span, name: string, tooltip: string) => {
    const exact = exactly(text, span, name);
    if (exact && name && !name.includes('{{')) out.push({ span: exact, file: localFile(name, playbookPath), tooltip });
  };
  const inv = a.playbook?.inventory;
  if (inv && 'path' in inv) add(inv.span, inv.path, 'the inventory');
  for (const play of a.playbook?.plays ?? []) {
    for (const t of [...play.tasks, ...play.handlers]) {
      const what = t.module && LOCAL_SOURCES[t.module];
      if (!what) continue;
      const src = entries(a.doc.yaml, asMap(t.params)).find((e) => e.key === 'src')?.value;
      if (src && isScalar(src) && typeof src.value === 'string' && src.range) add({ start: src.range[0], end: src.range[1] }, src.value, what);
    }
  }
  return out;
}
