import { isCollection, isMap, isPair, isScalar, type Node, type Pair } from 'yaml';
import type { Expr } from '../../../runner/src/runbook/expr.js';
import type { RunbookDoc } from '../../../runner/src/runbook/parse.js';
import { expressionsIn, shift, exprSpan } from './expressions.js';
import type { Span } from './types.js';

/**
 * Folding and selection ranges: the shape of the YAML, whatever it holds. Plays, tasks and handlers
 * are list items holding mappings; long mappings and lists are values of keys.
 */

export interface Fold {
  /** Offsets of the first and last characters folded. */
  span: Span;
  comment?: boolean;
}

/** Where a node's text ends, trailing blanks and line breaks left out. */
function end(text: string, node: Node): number {
  let e = node.range![1];
  while (e > node.range![0] && /\s/.test(text[e - 1])) e--;
  return e;
}

/**
 * What can be folded: every key whose value is a collection over several lines (from the key), every
 * list item that is such a mapping (a play, a task), and runs of two or more comment lines.
 */
export function foldingRanges(doc: RunbookDoc): Fold[] {
  const out: Fold[] = [];
  const text = doc.text;
  const multiLine = (s: Span) => text.slice(s.start, s.end).includes('\n');
  const walk = (node: unknown) => {
    if (!isCollection(node) || !node.range) return;
    for (const item of node.items) {
      if (isPair(item)) {
        const v = item.value as Node | null;
        const k = item.key as Node | null;
        if (v && isCollection(v) && v.range && k?.range) {
          const span = { start: k.range[0], end: end(text, v) };
          if (multiLine(span)) out.push({ span });
        }
        walk(v);
      } else {
        const n = item as Node;
        if (isMap(n) && n.range) {
          const span = { start: n.range[0], end: end(text, n) };
          if (multiLine(span)) out.push({ span });
        }
        walk(n);
      }
    }
  };
  walk(doc.yaml.contents);
  // Comment blocks.
  let first = -1;
  let last = -1;
  const flush = () => {
    if (first >= 0 && text.slice(first, last).includes('\n')) out.push({ span: { start: first, end: last }, comment: true });
    first = -1;
  };
  const re = /^[ \t]*#.*$/gm;
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const between = text.slice(at, m.index);
    if (first >= 0 && between.replace(/\r?\n$/, '').length) flush();
    if (first < 0) first = m.index + m[0].indexOf('#');
    last = m.index + m[0].length;
    at = last + 1;
  }
  flush();
  return out.sort((x, y) => x.span.start - y.span.start);
}

/** The ranges around an offset, innermost first: an expression's parts, a scalar, a pair, its mapping, and so on. */
export function selectionRanges(doc: RunbookDoc, offset: number): Span[] {
  const text = doc.text;
  const out: Span[] = [{ start: 0, end: text.trimEnd().length }];
  const push = (s: Span) => {
    const outer = out[out.length - 1];
    if (s.start >= outer.start && s.end <= outer.end && s.end > s.start && (s.start !== outer.start || s.end !== outer.end)) out.push(s);
  };
  const inside = (n: Node | null | undefined): n is Node => !!n?.range && n.range[0] <= offset && offset <= end(text, n);
  let node: unknown = doc.yaml.contents;
  while (isCollection(node)) {
    push({ start: node.range![0], end: end(text, node) });
    let next: Node | undefined;
    for (const item of node.items) {
      if (isPair(item)) {
        const p = item as Pair<Node | null, Node | null>;
        const k = p.key;
        const v = p.value;
        const pairEnd = v?.range ? end(text, v) : k?.range ? end(text, k) : -1;
        if (!k?.range || offset < k.range[0] || offset > pairEnd) continue;
        push({ start: k.range[0], end: pairEnd });
        next = inside(k) ? k : inside(v) ? v : undefined;
        break;
      }
      if (inside(item as Node)) {
        next = item as Node;
        break;
      }
    }
    node = next;
  }
  if (isScalar(node) && node.range) {
    push({ start: node.range[0], end: end(text, node) });
    const q = text[node.range[0]];
    if ((q === '"' || q === "'") && end(text, node) - node.range[0] >= 2) push({ start: node.range[0] + 1, end: end(text, node) - 1 });
    const x = expressionsIn(doc).find((e) => e.node === node && exprSpan(e).start <= offset && offset <= exprSpan(e).end);
    if (x) {
      push(exprSpan(x));
      if (x.expr) {
        const e = shift(x.expr, x.base);
        push({ start: e.start, end: e.end });
        for (const part of exprParts(e, offset)) push(part);
      }
    }
  }
  return out.reverse();
}

/** Inside an expression: the filter input, a path, the path up to the segment at the offset. */
function exprParts(e: Expr, offset: number): Span[] {
  const within = (s: Span) => s.start <= offset && offset <= s.end;
  if (e.kind === 'filter') {
    for (const x of [e.input, ...e.args]) if (within(x)) return [{ start: x.start, end: x.end }, ...exprParts(x, offset)];
    return [{ start: e.nameStart, end: e.nameStart + e.name.length }];
  }
  if (e.kind === 'path') {
    const out: Span[] = [];
    for (const s of e.segs) {
      if (s.ref && within(s.ref)) return [...out, { start: s.ref.start, end: s.ref.end }, ...exprParts(s.ref, offset)];
    }
    const i = e.segs.findIndex((s) => within(s));
    if (i >= 0) out.push({ start: e.start, end: e.segs[i].end }, { start: e.segs[i].start, end: e.segs[i].end });
    else out.push({ start: e.start, end: e.start + e.root.length });
    return out;
  }
  return [];
}
