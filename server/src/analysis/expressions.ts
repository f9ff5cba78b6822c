import { isCollection, isMap, isPair, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import { pathsIn, splitTemplate, type Expr } from '../../../runner/src/runbook/expr.js';
import type { RunbookDoc } from '../../../runner/src/runbook/parse.js';
import type { Span } from './types.js';

export type PathExpr = Extract<Expr, { kind: 'path' }>;

/**
 * One `{{ }}` of a document. Its offsets are relative to `base`, where its scalar starts: a scalar
 * moved by an edit elsewhere keeps its parsed expression, only `base` changes.
 */
export interface ExprAt {
  /** Offset of the scalar's first character in the document. */
  base: number;
  /** From `{{` to `}}`, relative to `base`. */
  span: Span;
  /** The parsed expression (offsets relative to `base`); undefined when it does not parse. */
  expr?: Expr;
  /** The scalar it is in. */
  node: Scalar;
}

const cache = new WeakMap<RunbookDoc, ExprAt[]>();
/**
 * Per play node: its expressions, and where and how long the play was when they were read. An
 * incremental parse keeps a play's node only while its text is unchanged (it moves it); the length
 * guards the rest. (Not the text itself: a slice would keep the whole document it came from alive.)
 */
const byPlay = new WeakMap<Node, { length: number; start: number; list: ExprAt[] }>();

/** The expressions in a node, scalar by scalar. */
function walk(text: string, node: unknown, list: ExprAt[]): void {
  if (isScalar(node)) {
    if (typeof node.value !== 'string' || !node.range || !node.value.includes('{{')) return;
    const [base, end] = node.range;
    for (const seg of splitTemplate(text.slice(base, end))) if (seg.kind === 'expr') list.push({ base, span: { start: seg.start, end: seg.end }, ...(seg.expr ? { expr: seg.expr } : {}), node });
  } else if (isPair(node)) {
    walk(text, node.key, list);
    walk(text, node.value, list);
  } else if (isCollection(node)) for (const item of node.items) walk(text, item, list);
}

/** The expressions of one play; remembered, since an incremental parse keeps the nodes of a play whose text did not change. */
export function playExpressions(text: string, play: Node): ExprAt[] {
  const [start, end] = play.range!;
  const known = byPlay.get(play);
  if (known?.length === end - start) {
    if (known.start !== start) {
      const by = start - known.start;
      known.list = known.list.map((x) => ({ ...x, base: x.base + by }));
      known.start = start;
    }
    return known.list;
  }
  const list: ExprAt[] = [];
  walk(text, play, list);
  byPlay.set(play, { length: end - start, start, list });
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
  out = [];
  const root = doc.yaml.contents;
  for (const item of isMap(root) ? root.items : root ? [root] : []) {
    const plays = isPair(item) && isScalar(item.key) && item.key.value === 'plays' && isSeq(item.value) ? item.value : undefined;
    if (!plays) walk(doc.text, item, out);
    else for (const play of plays.items) isCollection(play) && play.range ? out.push(...playExpressions(doc.text, play)) : walk(doc.text, play, out);
  }
  cache.set(doc, out);
  return out;
}

/** An expression's span in the document. */
export const exprSpan = (x: ExprAt): Span => ({ start: x.base + x.span.start, end: x.base + x.span.end });

/** A parsed expression moved by `by` characters (relative offsets made absolute). */
export function shift(e: Expr, by: number): Expr {
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

/** Every variable path the document's expressions read (`[ref]` indices included), with the offset to add to each. */
export function pathsOf(doc: RunbookDoc): { base: number; path: PathExpr }[] {
  return expressionsIn(doc).flatMap((x) => (x.expr ? pathsIn(x.expr).map((path) => ({ base: x.base, path })) : []));
}
