import { isLazy, parseExpr, pathsIn, type Expr, type PathSeg as ExprSeg, type Resolver } from '../../../runner/src/runbook/expr.js';
import type { Span } from './types.js';

type PathExpr = Extract<Expr, { kind: 'path' }>;

/** What the offset is on inside `{{ }}`: a variable path (and which part of it), or a filter name. */
export type ExprTarget =
  | { kind: 'path'; path: PathExpr; /** -1: the root name; else the index of the segment. */ seg: number; span: Span }
  | { kind: 'filter'; name: string; span: Span };

/** `expr` is the inside of the braces, as offsets in `text`. */
export function exprTarget(text: string, expr: Span, offset: number): ExprTarget | undefined {
  const parsed = parseExpr(text.slice(expr.start, expr.end), expr.start);
  if ('code' in parsed) return undefined;
  const filters: Extract<Expr, { kind: 'filter' }>[] = [];
  const collect = (e: Expr) => {
    if (e.kind === 'filter') {
      filters.push(e);
      collect(e.input);
      e.args.forEach(collect);
    }
  };
  collect(parsed);
  for (const f of filters) {
    const span = { start: f.nameStart, end: f.nameStart + f.name.length };
    if (span.start <= offset && offset <= span.end) return { kind: 'filter', name: f.name, span };
  }
  // The innermost path: `hosts[peer].address` holds `peer`.
  const paths = pathsIn(parsed).filter((p) => p.start <= offset && offset <= p.end).sort((a, b) => a.end - a.start - (b.end - b.start));
  const p = paths[0];
  if (!p) return undefined;
  const rootEnd = p.start + p.root.length;
  if (offset <= rootEnd) return { kind: 'path', path: p, seg: -1, span: { start: p.start, end: rootEnd } };
  const i = p.segs.findIndex((s: ExprSeg) => s.start <= offset && offset <= s.end && !s.ref);
  if (i < 0) return undefined;
  return { kind: 'path', path: p, seg: i, span: { start: p.segs[i].start, end: p.segs[i].end } };
}

/**
 * Follows `root.seg.seg` through a scope without evaluating more than the path touches
 * (`hosts` stays lazy). `[variable]` segments are looked up. Undefined when the path leads nowhere.
 */
export function walkPath(r: Resolver, root: string, segs: readonly (string | number | { ref: string })[]): { value: unknown } | undefined {
  const got = r.lookup(root);
  if (!got.found) return undefined;
  let v = got.value;
  for (const s of segs) {
    let key: string | number;
    if (typeof s === 'object') {
      const k = r.lookup(s.ref);
      if (!k.found || (typeof k.value !== 'string' && typeof k.value !== 'number')) return undefined;
      key = k.value;
    } else key = s;
    if (isLazy(v)) {
      const next = v.get(String(key));
      if (!next.found) return undefined;
      v = next.value;
    } else if (Array.isArray(v) && typeof key === 'number') v = v[key];
    else if (v && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, String(key))) v = (v as Record<string, unknown>)[String(key)];
    else return undefined;
  }
  return { value: v };
}

/** The segments of a parsed path as `walkPath` takes them, up to (not including) `upTo`. */
export function segsOf(p: PathExpr, upTo = p.segs.length): (string | number | { ref: string })[] {
  return p.segs.slice(0, upTo).map((s) => (s.ref ? (s.ref.segs.length ? { ref: '' } : { ref: s.ref.root }) : s.key));
}

/** The keys a value offers after a dot. */
export function keysOf(v: unknown): string[] {
  if (isLazy(v)) return v.keys();
  if (v && typeof v === 'object' && !Array.isArray(v)) return Object.keys(v);
  return [];
}
