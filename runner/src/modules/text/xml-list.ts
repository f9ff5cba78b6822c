import type { XmlElement } from '@rgrove/parse-xml';
import { appendChild, childElements, elementText, prefixOf, renderElement, replaceChildren, setAttribute, type Splice } from './xml-splice.js';

/** One wanted entry of a list such as `<transportConnectors>`, keyed by its `name` attribute. */
export interface ListItem {
  name: string;
  /** Attributes after `name`, in the order a new element gets them. */
  attrs: readonly (readonly [string, string])[];
  /** Whether the file's value (undefined: the attribute is absent) already means the wanted one. */
  same?(attr: string, current: string | undefined, wanted: string): boolean;
  /** Human text for one changed attribute. */
  describe?(attr: string, from: string | undefined, to: string): string;
}

export interface ListEdit {
  splices: Splice[];
  details: string[];
}

const exact = (_: string, cur: string | undefined, want: string) => cur === want;
const plain = (attr: string, from: string | undefined, to: string) => `${attr} ${from ?? '(unset)'} -> ${to}`;

function attrSplices(text: string, el: XmlElement, item: ListItem): { splices: Splice[]; changes: string[] } {
  const same = item.same ?? exact;
  const describe = item.describe ?? plain;
  const splices: Splice[] = [];
  const changes: string[] = [];
  for (const [k, v] of item.attrs) {
    const cur = el.attributes[k];
    if (same(k, cur, v)) continue;
    splices.push(setAttribute(text, el, k, v, () => false)!);
    changes.push(describe(k, cur, v));
  }
  return { splices, changes };
}

const label = (el: XmlElement) => el.attributes.name ?? el.attributes.uri ?? '(unnamed)';

/**
 * Makes the children `child` of `list` exactly `items`. Kept elements are edited in place; when
 * the names or their order differ, the list's content is rendered anew, reusing the text of kept
 * elements (their other attributes and children stay).
 */
export function editList(text: string, list: XmlElement, child: string, items: readonly ListItem[]): ListEdit {
  const existing = childElements(list, child);
  const details: string[] = [];
  if (existing.length === items.length && existing.every((el, i) => el.attributes.name === items[i].name)) {
    const splices: Splice[] = [];
    existing.forEach((el, i) => {
      const r = attrSplices(text, el, items[i]);
      splices.push(...r.splices);
      if (r.changes.length) details.push(`${child} ${items[i].name}: ${r.changes.join(', ')}`);
    });
    return { splices, details };
  }
  const unused = [...existing];
  const rendered = items.map((item) => {
    const i = unused.findIndex((el) => el.attributes.name === item.name);
    if (i < 0) {
      details.push(`${child} ${item.name}: added`);
      return renderElement({ name: child, attrs: [['name', item.name], ...item.attrs] }, '', '', prefixOf(list));
    }
    const [el] = unused.splice(i, 1);
    const r = attrSplices(text, el, item);
    if (r.changes.length) details.push(`${child} ${item.name}: ${r.changes.join(', ')}`);
    return elementText(text, el, r.splices);
  });
  for (const el of unused) details.push(`${child} ${label(el)}: removed`);
  if (!details.length) details.push(`${child}s reordered: ${items.map((i) => i.name).join(', ')}`);
  return { splices: [replaceChildren(text, list, rendered)], details };
}

/** A new list element holding `items`, appended to `parent`. */
export function newList(text: string, parent: XmlElement, list: string, child: string, items: readonly ListItem[]): ListEdit {
  return {
    splices: [appendChild(text, parent, { name: list, children: items.map((i) => ({ name: child, attrs: [['name', i.name], ...i.attrs] })) })],
    details: items.map((i) => `${child} ${i.name}: added`),
  };
}
