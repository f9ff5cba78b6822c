import { isScalar, visit, type Scalar } from 'yaml';
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

/**
 * Every expression in a document, in order. They are read from the source text of each scalar, not
 * from its value, so offsets are exact in plain, quoted and block scalars alike (an escape inside an
 * expression of a double-quoted string makes that expression not parse: it is then only a span).
 */
export function expressionsIn(doc: RunbookDoc): ExprAt[] {
  let out = cache.get(doc);
  if (out) return out;
  out = [];
  const list = out;
  visit(doc.yaml, {
    Scalar(_k, node: Scalar) {
      if (typeof node.value !== 'string' || !node.value.includes('{{') || !node.range) return;
      const base = node.range[0];
      for (const seg of splitTemplate(doc.text.slice(base, node.range[1]))) {
        if (seg.kind !== 'expr') continue;
        list.push({ span: { start: base + seg.start, end: base + seg.end }, ...(seg.expr ? { expr: shift(seg.expr, base) } : {}), node });
      }
    },
  });
  cache.set(doc, out);
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
