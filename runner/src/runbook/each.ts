import { isMap, isScalar, type YAMLMap } from 'yaml';
import type { Reporter, Span } from './diagnostics.js';
import type { Resolver } from './expr.js';
import { entries, spanOf, type YNode } from './nodes.js';
import { closest } from './suggest.js';
import type { ParamSpec } from '../modules/lib/params.js';

/**
 * One item of a list written once for many: `- for_each: "{{ groups.brokers }}"`, `as: broker`,
 * `item: { ... }` gives one item per element, the template rendered with `broker` and `loop`
 * (`index`, `first`, `last`, `length`). Data, not code: no other keys, no nesting of logic.
 */
export const EACH_KEYS = {
  for_each: 'the list to make items from: "{{ groups.brokers }}", "{{ groups.brokers | without(host.name) }}"',
  as: 'the name of the element in item (default: each)',
  item: 'the item to make for each element: its values may use the element and loop.index, loop.first, loop.last, loop.length',
} as const;

/** The keys of a `for_each` item, as the editor completes and documents them. */
export const EACH_SPECS = {
  for_each: { type: ['string', 'list'], required: true, description: EACH_KEYS.for_each },
  as: { type: 'string', default: 'each', description: EACH_KEYS.as },
  item: { type: 'any', required: true, description: EACH_KEYS.item },
} as const satisfies Readonly<Record<string, ParamSpec>>;

const RESERVED = ['host', 'hosts', 'groups', 'loop'];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isEach(node: YNode): node is YAMLMap {
  return !!node && isMap(node) && node.items.some((p) => isScalar(p.key) && p.key.value === 'for_each');
}

/** A resolver that adds the element and `loop` to the variables of the host. */
function withElement(base: Resolver, name: string, value: unknown, index: number, length: number): Resolver {
  const loop = { index, first: index === 0, last: index === length - 1, length };
  return {
    lookup: (n) => (n === name ? { found: true, value } : n === 'loop' ? { found: true, value: loop } : base.lookup(n)),
    names: () => [name, 'loop', ...base.names()],
  };
}

export interface EachParts {
  /** The list expression's node. */
  list: YNode;
  /** The template of one item. */
  item: YNode;
  name: string;
}

/** The parts of a `for_each` item, or undefined after reporting what is wrong with it. */
export function eachParts(doc: Parameters<typeof entries>[0], map: YAMLMap, report: Reporter, fallback: Span): EachParts | undefined {
  const list = entries(doc, map);
  let ok = true;
  for (const e of list) {
    if (e.key in EACH_KEYS) continue;
    const near = closest(e.key, Object.keys(EACH_KEYS));
    report({ span: e.keySpan, code: 'unknown-key', message: `unknown key '${e.key}' in a for_each item`, hint: near ? `did you mean '${near}'?` : 'a for_each item has for_each, as and item', ...(near ? { data: { replace: near } } : {}) });
    ok = false;
  }
  const get = (k: string) => list.find((e) => e.key === k);
  const item = get('item');
  if (!item) {
    report({ span: spanOf(map, fallback), code: 'missing-required', message: "a for_each item is missing 'item'", hint: EACH_KEYS.item, data: { missing: ['item'] } });
    ok = false;
  }
  const as = get('as');
  const name = as && isScalar(as.value) ? String(as.value.value) : 'each';
  if (as && (!NAME.test(name) || RESERVED.includes(name))) {
    report({ span: spanOf(as.value, as.keySpan), code: 'bad-variable-name', message: `'${name}' cannot name the element of a for_each`, hint: RESERVED.includes(name) ? `${name} is a built-in name; pick another` : 'use letters, digits and _ (not starting with a digit)' });
    ok = false;
  }
  return ok && item ? { list: get('for_each')!.value, item: item.value, name } : undefined;
}

export { withElement };
