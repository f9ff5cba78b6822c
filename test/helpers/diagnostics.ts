import { basename } from 'node:path';
import type { Analysis } from '../../runner/src/runbook/analyze.js';
import type { Diagnostic } from '../../runner/src/runbook/diagnostics.js';

/** `LINE:COL severity [code] message`, prefixed by the file name for diagnostics in an inventory file. */
export function describeDiagnostic(a: Analysis, d: Diagnostic): string {
  const doc = d.file ? a.inventoryDoc! : a.doc;
  const { line, col } = doc.lines.linePos(d.span.start);
  return `${d.file ? `${basename(d.file)}:` : ''}${line}:${col} ${d.severity} [${d.code}] ${d.message}`;
}
