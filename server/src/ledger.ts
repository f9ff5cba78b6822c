import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import type { Analysis } from '../../runner/src/runbook/analyze.js';
import { docFor, toLspDiagnostic, uriOf, type Texts } from './lsp-convert.js';

/**
 * The diagnostics shown on each document, kept by the document whose analysis produced them: a
 * runbook's analysis also speaks about its inventory file, and an inventory read by two runbooks
 * shows what both say (each problem once). When a runbook is validated again or closed, only what it
 * said is replaced.
 */
export class DiagnosticsLedger<D> {
  private readonly byTarget = new Map<string, Map<string, D[]>>();

  /** `key` tells two diagnostics apart: equal keys are shown once. */
  constructor(private readonly key: (d: D) => string) {}

  /**
   * Replaces everything `source` said with `lists` (target → diagnostics; a source closed says
   * nothing). Returns each target whose diagnostics may have changed, with what it shows now.
   */
  set(source: string, lists: ReadonlyMap<string, D[]>): Map<string, D[]> {
    const targets = new Set<string>(lists.keys());
    for (const t of this.targetsOf(source)) targets.add(t);
    const out = new Map<string, D[]>();
    for (const target of targets) {
      const list = lists.get(target);
      let bySource = this.byTarget.get(target);
      if (list) {
        if (!bySource) this.byTarget.set(target, (bySource = new Map()));
        bySource.set(source, list);
      } else if (bySource) {
        bySource.delete(source);
        if (!bySource.size) this.byTarget.delete(target);
      }
      out.set(target, this.shown(target));
    }
    return out;
  }

  /** What a target shows: every source's diagnostics, each distinct one once, in the order said. */
  shown(target: string): D[] {
    const seen = new Set<string>();
    const all: D[] = [];
    for (const list of this.byTarget.get(target)?.values() ?? []) {
      for (const d of list) {
        const k = this.key(d);
        if (seen.has(k)) continue;
        seen.add(k);
        all.push(d);
      }
    }
    return all;
  }

  /** The documents `source` has said something about. */
  targetsOf(source: string): string[] {
    return [...this.byTarget].filter(([, bySource]) => bySource.has(source)).map(([t]) => t);
  }
}

/** Two protocol diagnostics are the same when their range, code and message are. */
export const lspDiagnosticKey = (d: LspDiagnostic): string =>
  `${d.range.start.line}:${d.range.start.character}:${d.range.end.line}:${d.range.end.character}|${d.code}|${d.message}`;

/**
 * An analysis' diagnostics as the documents they belong to: the analysed document itself (always
 * there, so that its list is replaced even when empty) and the inventory file it read.
 */
export function diagnosticsByTarget(texts: Texts, uri: string, a: Analysis): Map<string, LspDiagnostic[]> {
  const own = docFor(texts, uri, a.doc.text);
  const out = new Map<string, LspDiagnostic[]>([[uri, []]]);
  for (const d of a.diagnostics) {
    if (d.file === undefined) {
      out.get(uri)!.push(toLspDiagnostic(own, d));
      continue;
    }
    const target = uriOf(d.file);
    const doc = docFor(texts, target, d.file === a.inventoryPath && a.inventoryDoc ? a.inventoryDoc.text : '');
    if (!out.has(target)) out.set(target, []);
    out.get(target)!.push(toLspDiagnostic(doc, d));
  }
  return out;
}
