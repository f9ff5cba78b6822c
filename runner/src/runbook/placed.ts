import { isMap, isScalar, isSeq, type Document, type Scalar, type YAMLMap } from 'yaml';
import type { Reporter, Span } from './diagnostics.js';
import { hasExpr, render, parsedTemplate, type ExprError, type Resolver } from './expr.js';
import { eachParts, isEach, withElement } from './each.js';
import { deref, entries, spanOf, type YNode } from './nodes.js';

/** A mapping entry of a placed value: its key, where the key is written, and its value. */
export interface PlacedEntry {
  key: string;
  keySpan: Span;
  value: Placed;
}

/**
 * A value with where each part of it is written. Parts that came out of an expression have no
 * places of their own: they are reported at the expression.
 */
export interface Placed {
  value: unknown;
  span: Span;
  /** The source text of a plain scalar, to quote it as written (0755). */
  source?: string;
  /** The items of a list written in the runbook. */
  items?: Placed[];
  /** The entries of a mapping written in the runbook, in order. */
  entries?: PlacedEntry[];
  /** Where "missing X" is reported for a mapping: its first key, or the mapping itself. */
  head?: Span;
  /** Made by a `for_each` item: its places are the template's, shared by every item it made. */
  fromTemplate?: boolean;
}

/** Rendering failed: the expression errors were reported. */
export const INVALID = Symbol('invalid');

export interface PlaceCtx {
  /** The text of the document the nodes belong to. */
  text: string;
  doc: Document;
  /** Renders `{{ }}` with these variables; without it, expressions stay as written. */
  resolver?: Resolver;
  report: Reporter;
}

/** Maps a range inside a scalar's value to document offsets (exact when the source is not escaped). */
export function innerSpan(text: string, node: Scalar, rel: Span): Span {
  const span = spanOf(node);
  const value = String(node.value);
  const raw = text.slice(span.start, span.end);
  let base: number | undefined;
  if (raw === value) base = span.start;
  else if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && raw.slice(1, -1) === value) base = span.start + 1;
  else {
    const piece = value.slice(rel.start, rel.end);
    const at = piece ? raw.indexOf(piece) : -1;
    if (at >= 0 && raw.indexOf(piece, at + 1) < 0) return { start: span.start + at, end: span.start + at + piece.length };
  }
  if (base === undefined) return span;
  return { start: base + rel.start, end: base + Math.max(rel.end, rel.start) };
}

function reportExprErrors(ctx: PlaceCtx, node: Scalar, errors: ExprError[]): void {
  for (const e of errors) {
    if (e.code === 'poisoned') continue;
    ctx.report({
      span: innerSpan(ctx.text, node, { start: e.start, end: e.end }),
      code: e.code,
      message: e.message,
      ...(e.hint ? { hint: e.hint } : {}),
      ...(e.replace ? { data: { replace: e.replace } } : {}),
    });
  }
}

/** Reports the syntax errors of every `{{ }}` in a node, without evaluating anything. */
export function checkExpressionSyntax(doc: { text: string; yaml: Document }, node: YNode, report: Reporter): void {
  node = deref(doc.yaml, node);
  if (!node) return;
  if (isScalar(node)) {
    if (typeof node.value !== 'string' || !hasExpr(node.value)) return;
    for (const seg of parsedTemplate(node.value)) {
      if (seg.kind === 'expr' && seg.error && seg.error.code !== 'poisoned') {
        const e = { ...seg.error, code: seg.error.code };
        report({ span: innerSpan(doc.text, node, { start: e.start, end: e.end }), code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) });
      }
    }
  } else if (isSeq(node)) for (const item of node.items) checkExpressionSyntax(doc, item as YNode, report);
  else if (isMap(node)) for (const e of entries(doc.yaml, node)) checkExpressionSyntax(doc, e.value, report);
}

function headOf(map: YAMLMap, span: Span): Span {
  const first = map.items[0];
  if (first) {
    const k = spanOf(first.key as YNode);
    if (k.end > k.start) return k;
  }
  return span;
}

/**
 * A node as a placed value, every `{{ }}` rendered (with a resolver); INVALID after reporting a
 * failed expression. Below `depth` levels a list or mapping is an empty shell that only tells its kind.
 */
export function place(ctx: PlaceCtx, node: YNode, fallback?: Span, depth = Infinity): Placed | typeof INVALID {
  node = deref(ctx.doc, node);
  const span = spanOf(node, fallback);
  if (node == null) return { value: null, span };
  if (depth <= 0 && (isSeq(node) || isMap(node))) return { value: isSeq(node) ? [] : {}, span };
  if (isScalar(node)) {
    if (ctx.resolver && typeof node.value === 'string' && hasExpr(node.value)) {
      const { value, errors } = render(node.value, ctx.resolver);
      if (errors.length) {
        reportExprErrors(ctx, node, errors);
        return INVALID;
      }
      return { value, span };
    }
    return { value: node.value ?? null, span, ...(node.source !== undefined ? { source: node.source } : {}) };
  }
  if (isSeq(node)) {
    const items: Placed[] = [];
    let bad = false;
    for (const item of node.items) {
      const made = ctx.resolver && isEach(item as YNode) ? placeEach({ ...ctx, resolver: ctx.resolver }, item as YAMLMap, span, depth - 1) : place(ctx, item as YNode, span, depth - 1);
      if (made === INVALID) bad = true;
      else if (Array.isArray(made)) items.push(...made);
      else items.push(made);
    }
    return bad ? INVALID : { value: items.map((i) => i.value), span, items };
  }
  if (isMap(node)) {
    const list: PlacedEntry[] = [];
    const value: Record<string, unknown> = {};
    let bad = false;
    for (const e of entries(ctx.doc, node)) {
      const p = place(ctx, e.value, e.keySpan, depth - 1);
      if (p === INVALID) bad = true;
      else {
        list.push({ key: e.key, keySpan: e.keySpan, value: p });
        value[e.key] = p.value;
      }
    }
    return bad ? INVALID : { value, span, entries: list, head: headOf(node, span) };
  }
  return { value: null, span };
}

/** The items a `for_each` item makes: its template placed once per element, at the template's places. */
function placeEach(ctx: PlaceCtx & { resolver: Resolver }, node: YAMLMap, fallback: Span, depth: number): Placed[] | typeof INVALID {
  const parts = eachParts(ctx.doc, node, ctx.report, fallback);
  if (!parts) return INVALID;
  const list = place(ctx, parts.list, fallback);
  if (list === INVALID) return INVALID;
  if (!Array.isArray(list.value)) {
    ctx.report({ span: list.span, code: 'wrong-type', message: `for_each must give a list, not ${list.value === null ? 'nothing' : typeof list.value === 'object' ? 'a mapping' : `'${String(list.value)}'`}`, hint: 'e.g. for_each: "{{ groups.brokers }}"' });
    return INVALID;
  }
  const out: Placed[] = [];
  for (const [i, element] of list.value.entries()) {
    const p = place({ ...ctx, resolver: withElement(ctx.resolver, parts.name, element, i, list.value.length) }, parts.item, fallback, depth);
    if (p === INVALID) return INVALID;
    out.push({ ...p, fromTemplate: true });
  }
  return out;
}

/** A node's value with every `{{ }}` rendered; INVALID (after reporting) when an expression fails. */
export function renderNode(ctx: PlaceCtx & { resolver: Resolver }, node: YNode): unknown {
  const p = place(ctx, node);
  return p === INVALID ? INVALID : p.value;
}

/** The part of a placed value at a key or index; inside an expression's value, placed at the expression. */
export function childOf(p: Placed, key: string | number, value: unknown): Placed {
  if (typeof key === 'number' && p.items) return p.items[key];
  if (typeof key === 'string' && p.entries) {
    const e = p.entries.find((x) => x.key === key);
    if (e) return e.value;
  }
  return { value, span: p.span };
}

/** Whether the value's parts have places of their own (it was written out, not computed by an expression). */
export function isWritten(p: Placed): boolean {
  return p.items !== undefined || p.entries !== undefined;
}
