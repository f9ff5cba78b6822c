import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Span } from './diagnostics.js';

export type YNode = Node | null | undefined;

export function spanOf(node: YNode, fallback: Span = { start: 0, end: 0 }): Span {
  const r = node?.range;
  if (!r) return fallback;
  return { start: r[0], end: Math.max(r[1], r[0]) };
}

export function keySpan(pair: Pair): Span {
  return spanOf(pair.key as Node, spanOf(pair.value as Node));
}

/** The span that best names an entry: its key, else its value. */
export function pairSpan(pair: Pair): Span {
  const k = spanOf(pair.key as Node);
  const v = spanOf(pair.value as Node, k);
  return { start: k.start, end: Math.max(k.end, v.end) };
}

export function deref(doc: Document, node: YNode): YNode {
  if (node && isAlias(node)) {
    try {
      return node.resolve(doc) as Node | undefined;
    } catch {
      return undefined;
    }
  }
  return node;
}

export function isNullish(node: YNode): boolean {
  return node == null || (isScalar(node) && node.value == null);
}

export function asMap(node: YNode): YAMLMap | undefined {
  return node && isMap(node) ? node : undefined;
}

export function asSeq(node: YNode): YAMLSeq | undefined {
  return node && isSeq(node) ? node : undefined;
}

export function asScalar(node: YNode): Scalar | undefined {
  return node && isScalar(node) ? node : undefined;
}

export function keyName(pair: Pair): string {
  const k = pair.key as YNode;
  if (k && isScalar(k)) return String(k.value);
  return '';
}

export interface Entry {
  key: string;
  pair: Pair;
  keySpan: Span;
  value: YNode;
}

const entryLists = new WeakMap<YAMLMap, { doc: Document; aliases: boolean; at: number | undefined; count: number; list: Entry[] }>();

/**
 * The entries of a mapping, aliases resolved. Remembered per mapping: validation reads the same
 * mappings for every host. A node moved by an incremental parse (its range shifted) is read again.
 */
export function entries(doc: Document, map: YAMLMap | undefined): Entry[] {
  if (!map) return [];
  const known = entryLists.get(map);
  if (known && (known.doc === doc || !known.aliases) && known.at === map.range?.[0] && known.count === map.items.length) return known.list;
  const out: Entry[] = [];
  let aliases = false;
  for (const item of map.items) {
    if (!isPair(item)) continue;
    aliases ||= isAlias(item.value);
    out.push({ key: keyName(item), pair: item, keySpan: keySpan(item), value: deref(doc, item.value as YNode) });
  }
  entryLists.set(map, { doc, aliases, at: map.range?.[0], count: map.items.length, list: out });
  return out;
}

export function get(doc: Document, map: YAMLMap | undefined, key: string): Entry | undefined {
  return entries(doc, map).find((e) => e.key === key);
}

/** Plain JS of a node, aliases resolved; never throws. */
export function toJS(doc: Document, node: YNode): unknown {
  if (node == null) return null;
  try {
    return (node as Node).toJS(doc, { maxAliasCount: 100 });
  } catch {
    return null;
  }
}

export function kindOf(node: YNode): 'map' | 'list' | 'string' | 'number' | 'bool' | 'null' {
  if (node == null) return 'null';
  if (isMap(node)) return 'map';
  if (isSeq(node)) return 'list';
  if (isScalar(node)) {
    const v = node.value;
    if (v == null) return 'null';
    if (typeof v === 'number' || typeof v === 'bigint') return 'number';
    if (typeof v === 'boolean') return 'bool';
    return 'string';
  }
  return 'null';
}
