import type { XmlElement } from '@rgrove/parse-xml';
import { securitySplices, sslContextSplices, type BrokerSecurity, type SslContext } from './broker-security.js';
import type { Transport } from './transports.js';
import { describeUriChange } from './uri-change.js';
import { editList, newList, type ListItem } from './xml-list.js';
import {
  appendChild,
  applySplices,
  childElements,
  descendants,
  firstChild,
  parseDocument,
  setAttribute,
  XmlLayoutError,
  type NewElement,
  type Splice,
  type XmlEdit,
} from './xml-splice.js';

/** What to set in activemq.xml; anything undefined stays as the file has it. */
export interface BrokerSettings {
  brokerName?: string;
  dataDirectory?: string;
  useJmx?: boolean;
  schedulerSupport?: boolean;
  managementConnector?: { create: boolean; port?: number };
  kahadbDirectory?: string;
  lockPoll?: number;
  transports?: readonly Transport[];
  networkConnectors?: readonly NetworkConnector[];
  security?: BrokerSecurity;
  /** null: no sslContext; undefined: as the file has it. */
  sslContext?: SslContext | null;
}

export interface NetworkConnector {
  name: string;
  uri: string;
  duplex: boolean;
  /** The login on the peer broker, when it asks for one. */
  userName?: string;
  password?: string;
}

const sameBool = (want: string) => (cur: string | undefined) => (cur ?? '').trim().toLowerCase() === want;
const pairs = (...p: (readonly [string, string] | false)[]) => p.filter((x): x is readonly [string, string] => x !== false);

class BrokerEdit {
  readonly splices: Splice[] = [];
  readonly details: string[] = [];

  constructor(
    readonly text: string,
    readonly broker: XmlElement,
  ) {}

  attr(el: XmlElement, what: string, name: string, value: string, same?: (cur: string) => boolean): void {
    const s = setAttribute(this.text, el, name, value, same);
    if (!s) return;
    this.splices.push(s);
    this.details.push(`${what}${name}: ${el.attributes[name] ?? '(unset)'} -> ${value}`);
  }

  append(parent: XmlElement, el: NewElement, detail: string): void {
    this.splices.push(appendChild(this.text, parent, el));
    this.details.push(detail);
  }

  list(listName: string, child: string, items: readonly ListItem[]): void {
    const el = firstChild(this.broker, listName);
    const r = el ? editList(this.text, el, child, items) : items.length ? newList(this.text, this.broker, listName, child, items) : undefined;
    if (!r) return;
    this.splices.push(...r.splices);
    this.details.push(...r.details);
  }
}

const described = (el: NewElement): string => {
  const attrs = (el.attrs ?? []).map(([k, v]) => `${k}=${v}`);
  const inner = (el.children ?? []).map(described);
  return [el.name, ...attrs, ...inner].join(' ');
};

function management(e: BrokerEdit, m: { create: boolean; port?: number }): void {
  const attrs = pairs(['createConnector', String(m.create ?? true)], m.port !== undefined && ['connectorPort', String(m.port)]);
  const inner: NewElement = { name: 'managementContext', attrs };
  const outer = firstChild(e.broker, 'managementContext');
  if (!outer) return e.append(e.broker, { name: 'managementContext', children: [inner] }, `managementContext: added (${attrs.map(([k, v]) => `${k}=${v}`).join(', ')})`);
  const el = firstChild(outer, 'managementContext');
  if (!el) return e.append(outer, inner, `managementContext: added (${attrs.map(([k, v]) => `${k}=${v}`).join(', ')})`);
  e.attr(el, 'managementContext ', 'createConnector', attrs[0][1], sameBool(attrs[0][1]));
  if (m.port !== undefined) e.attr(el, 'managementContext ', 'connectorPort', String(m.port));
}

function persistence(e: BrokerEdit, dir: string | undefined, lockPoll: number | undefined): void {
  if (dir === undefined && lockPoll === undefined) return;
  const poll = lockPoll === undefined ? undefined : String(lockPoll);
  const lockerEl: NewElement = { name: 'locker', children: [{ name: 'shared-file-locker', attrs: [['lockAcquireSleepInterval', poll ?? '']] }] };
  const kahaEl: NewElement = { name: 'kahaDB', attrs: pairs(dir !== undefined && ['directory', dir]), children: poll ? [lockerEl] : [] };
  const adapter = firstChild(e.broker, 'persistenceAdapter');
  if (!adapter) {
    const factory = firstChild(e.broker, 'persistenceFactory');
    if (factory) {
      throw new XmlLayoutError(
        `the broker's store is set by <persistenceFactory>, not a KahaDB <persistenceAdapter>`,
        'kahadb_directory and lock_poll apply to KahaDB: replace the persistenceFactory with <persistenceAdapter><kahaDB/></persistenceAdapter>, or leave both parameters out',
      );
    }
    return e.append(e.broker, { name: 'persistenceAdapter', children: [kahaEl] }, `persistenceAdapter: added (${described(kahaEl)})`);
  }
  const kaha = firstChild(adapter, 'kahaDB');
  if (!kaha) {
    const other = childElements(adapter)[0];
    if (other) {
      throw new XmlLayoutError(`the broker's store is <${other.name}>, not KahaDB`, 'kahadb_directory and lock_poll apply to a KahaDB store only; leave them out for this broker');
    }
    return e.append(adapter, kahaEl, `kahaDB: added (${described(kahaEl)})`);
  }
  if (dir !== undefined) e.attr(kaha, 'kahaDB ', 'directory', dir);
  if (poll === undefined) return;
  const locker = firstChild(kaha, 'locker');
  if (!locker) return e.append(kaha, lockerEl, `locker: added (shared-file-locker lockAcquireSleepInterval=${poll})`);
  const lock = childElements(locker)[0];
  if (!lock) return e.append(locker, lockerEl.children![0], `locker: added (shared-file-locker lockAcquireSleepInterval=${poll})`);
  e.attr(lock, `${lock.name} `, 'lockAcquireSleepInterval', poll);
}

function connectorAttrs(n: NetworkConnector): [string, string][] {
  const attrs: [string, string][] = [['uri', n.uri], ['duplex', String(n.duplex ?? false)]];
  if (n.userName !== undefined) attrs.push(['userName', n.userName]);
  if (n.password !== undefined) attrs.push(['password', n.password]);
  return attrs;
}

/** A connector's password never shows, not even masked: only that it changed. */
const describeConnectorAttr = (attr: string, from: string | undefined, to: string) =>
  attr === 'password' ? `password ${from === undefined ? 'set' : 'changed'}` : `${attr} ${from ?? '(unset)'} -> ${to}`;

function assertWellFormed(text: string): void {
  try {
    parseDocument(text);
  } catch (err) {
    throw new Error(`editing activemq.xml would leave it malformed (${(err as Error).message}); the file was not changed`);
  }
}

/** Edits activemq.xml in place: only what `want` names changes; every other byte stays. */
export function editBrokerXml(text: string, want: BrokerSettings): XmlEdit {
  const brokers = descendants(parseDocument(text), 'broker');
  if (brokers.length === 0) throw new XmlLayoutError('there is no <broker> element', 'conf must be the broker configuration (activemq.xml)');
  if (brokers.length > 1) throw new XmlLayoutError(`there are ${brokers.length} <broker> elements`, 'this module edits a file that configures one broker');
  const e = new BrokerEdit(text, brokers[0]);
  const b = e.broker;
  if (want.brokerName !== undefined) e.attr(b, '', 'brokerName', want.brokerName);
  if (want.dataDirectory !== undefined) e.attr(b, '', 'dataDirectory', want.dataDirectory);
  if (want.useJmx !== undefined) e.attr(b, '', 'useJmx', String(want.useJmx), sameBool(String(want.useJmx)));
  if (want.schedulerSupport !== undefined) e.attr(b, '', 'schedulerSupport', String(want.schedulerSupport), sameBool(String(want.schedulerSupport)));
  if (want.managementConnector) management(e, want.managementConnector);
  persistence(e, want.kahadbDirectory, want.lockPoll);
  if (want.transports) {
    const describe = (_: string, from: string | undefined, to: string) => describeUriChange(from, to);
    e.list('transportConnectors', 'transportConnector', want.transports.map((t) => ({ name: t.name, attrs: [['uri', t.uri]], describe })));
  }
  if (want.networkConnectors) {
    const same = (attr: string, cur: string | undefined, v: string) => (attr === 'duplex' ? sameBool(v)(cur ?? 'false') : cur === v);
    e.list(
      'networkConnectors',
      'networkConnector',
      want.networkConnectors.map((n) => ({ name: n.name, attrs: connectorAttrs(n), same, describe: describeConnectorAttr })),
    );
  }
  if (want.sslContext !== undefined) {
    const r = sslContextSplices(text, b, want.sslContext);
    e.splices.push(...r.splices);
    e.details.push(...r.details);
  }
  if (want.security) {
    const r = securitySplices(text, b, want.security);
    e.splices.push(...r.splices);
    e.details.push(...r.details);
  }
  const out = applySplices(text, e.splices);
  assertWellFormed(out);
  return { text: out, details: e.details, splices: e.splices };
}
