import { isCollection, isPair, isScalar, type Scalar } from 'yaml';
import { pathsIn, splitTemplate, type Expr } from '../../../runner/src/runbook/expr.js';
import type { RunbookDoc } from '../../../runner/src/runbook/parse.js';
import type { Span } from './types.js';

export type PathExpr = Extract<Expr, { kind: 'path' }>;

/** One `{{ }}` of a document, with offsets in the document's text. */
export interface ExprAt {
  /** From `{{` to `}}`. */
  span: Span;
  /** The parsed expression; undefined when it does not parse. */
  expr?: Expr;
  /** The scalar it is in. */
  node: Scalar;
}

const cache = new WeakMap<RunbookDoc, ExprAt[]>();
/** Per scalar: its source text when read, and its expressions at the offset it had then. */
const byNode = new WeakMap<Scalar, { raw: string; at: number; list: ExprAt[] }>();

/** The expressions of one scalar; remembered, since an incremental parse keeps unchanged nodes (moved). */
function inScalar(text: string, node: Scalar): ExprAt[] {
  const [start, end] = node.range!;
  const raw = text.slice(start, end);
  const known = byNode.get(node);
  if (known?.raw === raw) {
    if (known.at === start) return known.list;
    const by = start - known.at;
    const list = known.list.map((x) => ({ span: { start: x.span.start + by, end: x.span.end + by }, ...(x.expr ? { expr: shift(x.expr, by) } : {}), node }));
    byNode.set(node, { raw, at: start, list });
    return list;
  }
  const list: ExprAt[] = [];
  for (const seg of splitTemplate(raw)) {
    if (seg.kind === 'expr') list.push({ span: { start: start + seg.start, end: start + seg.end }, ...(seg.expr ? { expr: shift(seg.expr, start) } : {}), node });
  }
  byNode.set(node, { raw, at: start, list });
  return list;
}

/**
 * Every expression in a document, in order. They are read from the source text of each scalar, not
 * from its value, so offsets are exact in plain, quoted and block scalars alike (an escape inside an
 * expression of a double-quoted string makes that expression not parse: it is then only a span).
 */
export function expressionsIn(doc: RunbookDoc): ExprAt[] {
  let out = cache.get(doc);
  if (out) return out;
  const list: ExprAt[] = [];
  const walk = (node: unknown): void => {
    if (isScalar(node)) {
      if (typeof node.value === 'string' && node.range && node.value.includes('{{')) list.push(...inScalar(doc.text, node));
    } else if (isPair(node)) {
      walk(node.key);
      walk(node.value);
    } else if (isCollection(node)) for (const item of node.items) walk(item);
  };
  walk(doc.yaml.contents);
  cache.set(doc, (out = list));
  return out;
}

/** A parsed expression moved by `by` characters. */
function shift(e: Expr, by: number): Expr {
  switch (e.kind) {
    case 'literal':
      return { ...e, start: e.start + by, end: e.end + by };
    case 'path':
      return shiftPath(e, by);
    case 'filter':
      return { ...e, input: shift(e.input, by), args: e.args.map((a) => shift(a, by)), start: e.start + by, end: e.end + by, nameStart: e.nameStart + by };
  }
}

function shiftPath(p: PathExpr, by: number): PathExpr {
  return {
    ...p,
    start: p.start + by,
    end: p.end + by,
    segs: p.segs.map((s) => ({ ...s, start: s.start + by, end: s.end + by, ...(s.ref ? { ref: shiftPath(s.ref, by) } : {}) })),
  };
}

/** Every variable path the document's expressions read, `[ref]` indices included. */
export function pathsOf(doc: RunbookDoc): PathExpr[] {
  return expressionsIn(doc).flatMap((x) => (x.expr ? pathsIn(x.expr) : []));
}

/** Whether the node is a scalar holding an expression (a value rendered per host). */
export function hasExpression(node: unknown): node is Scalar {
  return isScalar(node) && typeof node.value === 'string' && node.value.includes('{{');
}
