import { isMap, isPair, isScalar, visit, type Node, type Pair, type YAMLMap } from 'yaml';
import type { RunbookDoc } from '../../../runner/src/runbook/parse.js';
import type { QuickFix, Span, TextEdit } from './types.js';

/** What a quick fix needs of a diagnostic (as the client sends it back). */
export interface FixableDiagnostic {
  code: string;
  span: Span;
  message: string;
  hint?: string;
  data?: { replace?: string; missing?: string[] };
}

const WORD = /^!?[\w.-]+$/;

/** "did you mean 'X'?": replace the misspelled word (a key, module, parameter, value, variable, host, handler). */
function replaceFix(text: string, d: FixableDiagnostic): QuickFix | undefined {
  const to = d.data?.replace ?? /did you mean '([^']+)'\?/.exec(d.hint ?? '')?.[1];
  if (!to) return undefined;
  let span = d.span;
  let current = text.slice(span.start, span.end);
  const q = current[0];
  if ((q === '"' || q === "'") && current.endsWith(q) && current.length >= 2) {
    span = { start: span.start + 1, end: span.end - 1 };
    current = current.slice(1, -1);
  }
  // A replacement guessed from the hint only replaces a single word.
  if ((!d.data?.replace && !WORD.test(current)) || current === to || current.includes('{{')) return undefined;
  return { title: `Change '${current}' to '${to}'`, edits: [{ span, text: to }], fixes: { code: d.code, span: d.span }, preferred: true };
}

function nullish(node: unknown): boolean {
  return node == null || (isScalar(node) && node.value == null);
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function lineEndAfter(text: string, offset: number): number {
  let end = offset;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const nl = text.indexOf('\n', end);
  return nl < 0 ? text.length : nl;
}

/** Edits that add `keys` (with empty values) to a mapping, block or flow. */
function addToMap(text: string, map: YAMLMap, keys: string[]): TextEdit[] {
  const items = map.items.filter(isPair) as Pair[];
  if (map.flow) {
    const end = map.range![1];
    const close = text.lastIndexOf('}', end - 1);
    const last = items[items.length - 1];
    if (!last) return [{ span: { start: close, end: close }, text: `${keys.map((k) => ` ${k}:`).join(',')} ` }];
    const lastEnd = ((last.value as Node | null)?.range ?? (last.key as Node).range!)[1];
    return [{ span: { start: lastEnd, end: lastEnd }, text: keys.map((k) => `, ${k}:`).join('') }];
  }
  const first = (items[0].key as Node).range![0];
  const pad = ' '.repeat(columnOf(text, first));
  const last = items[items.length - 1];
  const lastEnd = ((last.value as Node | null)?.range ?? (last.key as Node).range!)[1];
  const at = lineEndAfter(text, lastEnd);
  return [{ span: { start: at, end: at }, text: keys.map((k) => `\n${pad}${k}: `).join('') }];
}

/** Edits that give an empty `key:` a block mapping of `keys`. */
function addUnder(text: string, pair: Pair, keys: string[]): TextEdit[] {
  const key = (pair.key as Node).range!;
  const pad = ' '.repeat(columnOf(text, key[0]) + 2);
  const value = pair.value as Node | null;
  if (value && isMap(value) && value.flow) return addToMap(text, value, keys);
  const edits: TextEdit[] = [];
  let at = lineEndAfter(text, key[1] + 1);
  if (value?.range && value.range[1] > value.range[0]) {
    edits.push({ span: { start: value.range[0], end: value.range[1] }, text: '' });
    at = lineEndAfter(text, value.range[1]);
  }
  edits.push({ span: { start: at, end: at }, text: keys.map((k) => `\n${pad}${k}: `).join('') });
  return edits;
}

/** "is missing 'a', 'b'": add the required keys where they belong. */
function missingFix(doc: RunbookDoc, d: FixableDiagnostic): QuickFix | undefined {
  const keys = d.data?.missing;
  if (!keys?.length || d.code !== 'missing-required') return undefined;
  let edits: TextEdit[] | undefined;
  const module = /^module '([^']+)'/.exec(d.message)?.[1];
  visit(doc.yaml, {
    Pair(_k, pair: Pair) {
      const k = pair.key as Node | null;
      if (!k?.range || k.range[0] !== d.span.start) return undefined;
      if (module && isScalar(k) && k.value === module && (nullish(pair.value) || (isMap(pair.value) && pair.value.items.length === 0))) {
        edits = addUnder(doc.text, pair, keys);
        return visit.BREAK;
      }
      return undefined;
    },
    Map(_k, map: YAMLMap) {
      if (edits) return visit.BREAK;
      const first = map.items[0] as Pair | undefined;
      const k = first?.key as Node | null | undefined;
      if (k?.range && k.range[0] === d.span.start && !(module && isScalar(k) && k.value === module && nullish(first!.value))) {
        const absent = keys.filter((x) => !map.items.some((p) => isPair(p) && isScalar(p.key) && p.key.value === x));
        if (absent.length) edits = addToMap(doc.text, map, absent);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (!edits) return undefined;
  const title = keys.length === 1 ? `Add the missing '${keys[0]}'` : `Add the missing '${keys.join("', '")}'`;
  return { title, edits, fixes: { code: d.code, span: d.span }, preferred: true };
}

/** Quick fixes for the diagnostics at a range: did-you-mean replacements and missing required keys. */
export function quickFixes(doc: RunbookDoc, diagnostics: FixableDiagnostic[]): QuickFix[] {
  const out: QuickFix[] = [];
  for (const d of diagnostics) {
    const fix = replaceFix(doc.text, d) ?? missingFix(doc, d);
    if (fix) out.push(fix);
  }
  return out;
}
