import type { XmlElement } from '@rgrove/parse-xml';
import {
  appendChild,
  applySplices,
  childElements,
  descendants,
  elementText,
  firstChild,
  indentUnit,
  lineIndent,
  parseDocument,
  prefixOf,
  renderElement,
  replaceChildren,
  setAttribute,
  startTag,
  XmlLayoutError,
  type NewElement,
  type Splice,
  type XmlEdit,
} from './xml-splice.js';

/** One `<policyEntry>`: the destinations it matches and what it sets for them. */
export interface DestinationPolicy {
  type: 'queue' | 'topic';
  /** A destination name or wildcard: `>` (all), `orders.>`. */
  match: string;
  producerFlowControl?: boolean;
  memoryLimitMb?: number;
  /** An individual dead-letter queue per destination, named prefix + destination. */
  deadLetterPrefix?: string;
}

export interface Redelivery {
  maxRedeliveries: number;
  delayMs: number;
}

/** What to set in activemq.xml; anything undefined stays as the file has it. */
export interface PolicySettings {
  memoryLimitMb?: number;
  memoryPercentOfHeap?: number;
  storeLimitGb?: number;
  tempLimitGb?: number;
  destinations?: readonly DestinationPolicy[];
  redelivery?: Redelivery;
  schedulerDirectory?: string;
}

class Edit {
  readonly splices: Splice[] = [];
  readonly details: string[] = [];
  constructor(readonly text: string) {}

  attr(el: XmlElement, what: string, name: string, value: string): void {
    const s = setAttribute(this.text, el, name, value);
    if (!s) return;
    this.splices.push(s);
    this.details.push(`${what}${name}: ${el.attributes[name] ?? '(unset)'} -> ${value}`);
  }

  removeAttr(el: XmlElement, what: string, name: string): void {
    const a = startTag(this.text, el).attrs.find((x) => x.name === name);
    if (!a) return;
    this.splices.push({ start: a.gapStart, end: a.end, text: '' });
    this.details.push(`${what}${name}: removed`);
  }

  append(parent: XmlElement, el: NewElement, detail: string): void {
    this.splices.push(appendChild(this.text, parent, el));
    this.details.push(detail);
  }
}

const mb = (n: number) => `${n} mb`;
const gb = (n: number) => `${n} gb`;

/** The element for a path of nested elements, each level's first child of that name, or undefined. */
function dig(el: XmlElement, names: readonly string[]): XmlElement | undefined {
  let cur: XmlElement | undefined = el;
  for (const n of names) cur = cur && firstChild(cur, n);
  return cur;
}

/** `<systemUsage><systemUsage><memoryUsage><memoryUsage limit=.../>...`: nested, created where missing. */
function usage(e: Edit, broker: XmlElement, want: PolicySettings): void {
  const limits: [string, string, string | undefined][] = [
    ['memoryUsage', want.memoryPercentOfHeap !== undefined ? 'percentOfJvmHeap' : 'limit', want.memoryPercentOfHeap !== undefined ? String(want.memoryPercentOfHeap) : want.memoryLimitMb !== undefined ? mb(want.memoryLimitMb) : undefined],
    ['storeUsage', 'limit', want.storeLimitGb !== undefined ? gb(want.storeLimitGb) : undefined],
    ['tempUsage', 'limit', want.tempLimitGb !== undefined ? gb(want.tempLimitGb) : undefined],
  ];
  const wanted = limits.filter((l): l is [string, string, string] => l[2] !== undefined);
  if (!wanted.length) return;
  const leaf = ([kind, attr, value]: [string, string, string]): NewElement => ({ name: kind, children: [{ name: kind, attrs: [[attr, value]] }] });
  const outer = firstChild(broker, 'systemUsage');
  if (!outer) return e.append(broker, { name: 'systemUsage', children: [{ name: 'systemUsage', children: wanted.map(leaf) }] }, `systemUsage: added (${wanted.map(([k, , v]) => `${k} ${v}`).join(', ')})`);
  const inner = firstChild(outer, 'systemUsage');
  if (!inner) return e.append(outer, { name: 'systemUsage', children: wanted.map(leaf) }, `systemUsage: added (${wanted.map(([k, , v]) => `${k} ${v}`).join(', ')})`);
  for (const l of wanted) {
    const [kind, attr, value] = l;
    const wrapper = firstChild(inner, kind);
    if (!wrapper) {
      e.append(inner, leaf(l), `${kind}: added (${attr}=${value})`);
      continue;
    }
    const el = firstChild(wrapper, kind);
    if (!el) {
      e.append(wrapper, leaf(l).children![0], `${kind}: added (${attr}=${value})`);
      continue;
    }
    e.attr(el, `${kind} `, attr, value);
    if (kind === 'memoryUsage') e.removeAttr(el, `${kind} `, attr === 'limit' ? 'percentOfJvmHeap' : 'limit');
  }
}

const keyOf = (el: XmlElement): string | undefined =>
  el.attributes.queue !== undefined ? `queue:${el.attributes.queue}` : el.attributes.topic !== undefined ? `topic:${el.attributes.topic}` : undefined;
const keyOfPolicy = (p: DestinationPolicy) => `${p.type}:${p.match}`;

function deadLetterElement(prefix: string): NewElement {
  return { name: 'deadLetterStrategy', children: [{ name: 'individualDeadLetterStrategy', attrs: [['queuePrefix', prefix], ['useQueueForQueueMessages', 'true']] }] };
}

function newEntry(p: DestinationPolicy): NewElement {
  const attrs: [string, string][] = [[p.type, p.match]];
  if (p.producerFlowControl !== undefined) attrs.push(['producerFlowControl', String(p.producerFlowControl)]);
  if (p.memoryLimitMb !== undefined) attrs.push(['memoryLimit', mb(p.memoryLimitMb)]);
  return { name: 'policyEntry', attrs, children: p.deadLetterPrefix !== undefined ? [deadLetterElement(p.deadLetterPrefix)] : [] };
}

const squeezed = (s: string) => s.replace(/>\s+</g, '><').replace(/\s+/g, ' ').trim();

/** The splices that bring one existing entry to the policy: its attributes, and its dead-letter strategy. */
function entrySplices(text: string, el: XmlElement, p: DestinationPolicy): { splices: Splice[]; changes: string[] } {
  const e = new Edit(text);
  if (p.producerFlowControl !== undefined && (el.attributes.producerFlowControl ?? '').toLowerCase() !== String(p.producerFlowControl)) e.attr(el, '', 'producerFlowControl', String(p.producerFlowControl));
  if (p.memoryLimitMb !== undefined) e.attr(el, '', 'memoryLimit', mb(p.memoryLimitMb));
  if (p.deadLetterPrefix !== undefined) {
    const want = deadLetterElement(p.deadLetterPrefix);
    const have = firstChild(el, 'deadLetterStrategy');
    const rendered = renderElement(want, lineIndent(text, have?.start ?? el.start), indentUnit(text, el), prefixOf(el));
    if (!have) e.append(el, want, `deadLetterStrategy: added (individual, prefix ${p.deadLetterPrefix})`);
    else if (squeezed(text.slice(have.start, have.end)) !== squeezed(rendered)) {
      e.splices.push({ start: have.start, end: have.end, text: rendered });
      e.details.push(`deadLetterStrategy: individual, prefix ${p.deadLetterPrefix}`);
    }
  }
  return { splices: e.splices, changes: e.details };
}

/** `<destinationPolicy><policyMap><policyEntries>`: exactly these entries, each edited in place when it exists. */
function destinations(e: Edit, broker: XmlElement, want: readonly DestinationPolicy[]): void {
  const path = ['destinationPolicy', 'policyMap', 'policyEntries'];
  const list = dig(broker, path);
  if (!list) {
    if (!want.length) return;
    const at = path.findIndex((_, i) => !dig(broker, path.slice(0, i + 1)));
    const parent = at === 0 ? broker : dig(broker, path.slice(0, at))!;
    let el: NewElement = { name: 'policyEntries', children: want.map(newEntry) };
    for (const name of path.slice(at, -1).reverse()) el = { name, children: [el] };
    return e.append(parent, el, `destinationPolicy: added (${want.map(keyOfPolicy).join(', ')})`);
  }
  const existing = childElements(list, 'policyEntry');
  const sameKeys = existing.length === want.length && existing.every((el, i) => keyOf(el) === keyOfPolicy(want[i]));
  if (sameKeys) {
    existing.forEach((el, i) => {
      const r = entrySplices(e.text, el, want[i]);
      e.splices.push(...r.splices);
      if (r.changes.length) e.details.push(`policyEntry ${keyOfPolicy(want[i])}: ${r.changes.join(', ')}`);
    });
    return;
  }
  const unused = [...existing];
  const rendered = want.map((p) => {
    const i = unused.findIndex((el) => keyOf(el) === keyOfPolicy(p));
    if (i < 0) {
      e.details.push(`policyEntry ${keyOfPolicy(p)}: added`);
      return renderElement(newEntry(p), lineIndent(e.text, list.start) + indentUnit(e.text, list), indentUnit(e.text, list), prefixOf(list));
    }
    const [el] = unused.splice(i, 1);
    const r = entrySplices(e.text, el, p);
    if (r.changes.length) e.details.push(`policyEntry ${keyOfPolicy(p)}: ${r.changes.join(', ')}`);
    return elementText(e.text, el, r.splices);
  });
  for (const el of unused) e.details.push(`policyEntry ${keyOf(el) ?? '(no destination)'}: removed`);
  if (!e.details.length) e.details.push(`policyEntries reordered: ${want.map(keyOfPolicy).join(', ')}`);
  e.splices.push(replaceChildren(e.text, list, rendered));
}

function redeliveryElement(r: Redelivery): NewElement {
  const policy: NewElement = {
    name: 'redeliveryPolicy',
    attrs: [['maximumRedeliveries', String(r.maxRedeliveries)], ['initialRedeliveryDelay', String(r.delayMs)], ['redeliveryDelay', String(r.delayMs)]],
  };
  return {
    name: 'redeliveryPlugin',
    attrs: [['fallbackToDeadLetter', 'true'], ['sendToDlqIfMaxRetriesExceeded', 'true']],
    children: [{ name: 'redeliveryPolicyMap', children: [{ name: 'redeliveryPolicyMap', children: [{ name: 'defaultEntry', children: [policy] }] }] }],
  };
}

/** `<plugins><redeliveryPlugin>`: the whole plugin element is written from the settings; other plugins stay. */
function redelivery(e: Edit, broker: XmlElement, r: Redelivery): void {
  const want = redeliveryElement(r);
  const what = `redeliveryPlugin: maximumRedeliveries=${r.maxRedeliveries}, delay ${r.delayMs} ms`;
  const plugins = firstChild(broker, 'plugins');
  if (!plugins) return e.append(broker, { name: 'plugins', children: [want] }, `plugins: added (${what})`);
  const have = firstChild(plugins, 'redeliveryPlugin');
  if (!have) return e.append(plugins, want, `${what}: added`);
  const rendered = renderElement(want, lineIndent(e.text, have.start), indentUnit(e.text, plugins), prefixOf(plugins));
  if (squeezed(e.text.slice(have.start, have.end)) === squeezed(rendered)) return;
  e.splices.push({ start: have.start, end: have.end, text: rendered });
  e.details.push(what);
}

/** Edits activemq.xml in place: only what `want` names changes; every other byte stays. */
export function editPolicies(text: string, want: PolicySettings): XmlEdit {
  const brokers = descendants(parseDocument(text), 'broker');
  if (brokers.length !== 1) throw new XmlLayoutError(brokers.length ? `there are ${brokers.length} <broker> elements` : 'there is no <broker> element', 'conf must be the configuration of one broker (activemq.xml)');
  const broker = brokers[0];
  const e = new Edit(text);
  if (want.redelivery) {
    // The redelivery plugin delays redeliveries through the broker's scheduler.
    if ((broker.attributes.schedulerSupport ?? '').trim().toLowerCase() !== 'true') e.attr(broker, '', 'schedulerSupport', 'true');
    redelivery(e, broker, want.redelivery);
  }
  if (want.schedulerDirectory !== undefined) e.attr(broker, '', 'schedulerDirectory', want.schedulerDirectory);
  usage(e, broker, want);
  if (want.destinations) destinations(e, broker, want.destinations);
  const out = applySplices(text, e.splices);
  try {
    parseDocument(out);
  } catch (err) {
    throw new Error(`editing activemq.xml would leave it malformed (${(err as Error).message}); the file was not changed`);
  }
  return { text: out, details: e.details, splices: e.splices };
}
