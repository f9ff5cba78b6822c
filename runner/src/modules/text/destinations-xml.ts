import type { XmlElement } from '@rgrove/parse-xml';
import { appendChild, applySplices, childElements, descendants, elementText, firstChild, localName, parseDocument, prefixOf, renderElement, replaceChildren, XmlLayoutError, type XmlEdit } from './xml-splice.js';

/** A destination the broker creates at start: `<queue physicalName="orders"/>`. */
export interface Destination {
  kind: 'queue' | 'topic';
  name: string;
}

const label = (d: Destination) => `${d.kind} ${d.name}`;

function existing(list: XmlElement | undefined): { el: XmlElement; d: Destination | undefined }[] {
  return (list ? childElements(list) : []).map((el) => {
    const kind = localName(el);
    const name = el.attributes.physicalName;
    return { el, d: (kind === 'queue' || kind === 'topic') && name !== undefined ? { kind, name } : undefined };
  });
}

/**
 * Makes the broker's `<destinations>` exactly `wanted`, in order. Kept elements keep their text
 * (other attributes, comments around them); every byte outside `<destinations>` stays.
 */
export function editDestinations(text: string, wanted: readonly Destination[]): XmlEdit {
  const brokers = descendants(parseDocument(text), 'broker');
  if (brokers.length !== 1) throw new XmlLayoutError(brokers.length ? `there are ${brokers.length} <broker> elements` : 'there is no <broker> element', 'conf must be the configuration of one broker (activemq.xml)');
  const broker = brokers[0];
  const list = firstChild(broker, 'destinations');
  const have = existing(list);
  const same = have.length === wanted.length && have.every((h, i) => h.d && label(h.d) === label(wanted[i]));
  if (same) return { text, details: [], splices: [] };
  const details: string[] = [];
  const unused = [...have];
  const rendered = wanted.map((w) => {
    const i = unused.findIndex((h) => h.d && label(h.d) === label(w));
    if (i < 0) {
      details.push(`${label(w)}: added`);
      return renderElement({ name: w.kind, attrs: [['physicalName', w.name]] }, '', '', list ? prefixOf(list) : prefixOf(broker));
    }
    return elementText(text, unused.splice(i, 1)[0].el, []);
  });
  for (const u of unused) details.push(`${u.d ? label(u.d) : `<${u.el.name}>`}: removed`);
  if (!details.length) details.push(`destinations reordered: ${wanted.map(label).join(', ')}`);
  const splice = list
    ? replaceChildren(text, list, rendered)
    : appendChild(text, broker, { name: 'destinations', children: wanted.map((w) => ({ name: w.kind, attrs: [['physicalName', w.name]] })) });
  return { text: applySplices(text, [splice]), details, splices: [splice] };
}
