import type { XmlElement } from '@rgrove/parse-xml';
import { appendChild, childElements, firstChild, indentUnit, lineIndent, prefixOf, renderElement, setAttribute, type NewElement, type Splice } from './xml-splice.js';

/** The login.config entry the JAAS plugin names; activemq_users writes it. */
export const JAAS_CONFIGURATION = 'activemq';

/** The topics every client reads and writes: ActiveMQ's advisories (consumers, producers, temporary destinations). */
export const ADVISORY_TOPICS = 'ActiveMQ.Advisory.>';

/** Who may do what on the destinations matching a pattern (`>` every one, `orders.>` a tree). */
export interface AuthorizationEntry {
  queue?: string;
  topic?: string;
  read: readonly string[];
  write: readonly string[];
  admin: readonly string[];
}

/** The security of a broker: its clients log in (JAAS) or not, and what each group may do. */
export interface BrokerSecurity {
  anonymous: boolean;
  /** undefined: the file's authorization stays; []: none. */
  authorization?: readonly AuthorizationEntry[];
}

/** Every group an authorization names, sorted. */
export function authorizationGroups(entries: readonly AuthorizationEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => [...e.read, ...e.write, ...e.admin]))].sort();
}

const joined = (groups: readonly string[]) => [...new Set(groups)].join(',');

/** The authorizationPlugin element: the runbook's entries, then the advisory topics for every group named. */
export function authorizationElement(entries: readonly AuthorizationEntry[]): NewElement {
  const all = joined(authorizationGroups(entries));
  const rows: NewElement[] = entries.map((e) => ({
    name: 'authorizationEntry',
    attrs: [
      ...(e.queue !== undefined ? [['queue', e.queue] as const] : []),
      ...(e.topic !== undefined ? [['topic', e.topic] as const] : []),
      ...(['read', 'write', 'admin'] as const).filter((k) => e[k].length).map((k) => [k, joined(e[k])] as const),
    ],
  }));
  rows.push({ name: 'authorizationEntry', attrs: [['topic', ADVISORY_TOPICS], ['read', all], ['write', all], ['admin', all]] });
  return { name: 'authorizationPlugin', children: [{ name: 'map', children: [{ name: 'authorizationMap', children: [{ name: 'authorizationEntries', children: rows }] }] }] };
}

/** Removes an element, with its line when it stands alone on one. */
function removal(text: string, el: XmlElement): Splice {
  const lineStart = text.lastIndexOf('\n', el.start - 1) + 1;
  const eol = text.indexOf('\n', el.end);
  const lineEnd = eol < 0 ? text.length : eol + 1;
  const alone = /^[ \t]*$/.test(text.slice(lineStart, el.start)) && /^[ \t\r]*\n?$/.test(text.slice(el.end, lineEnd));
  return alone ? { start: lineStart, end: lineEnd, text: '' } : { start: el.start, end: el.end, text: '' };
}

const describeEntry = (e: AuthorizationEntry) =>
  `${e.queue !== undefined ? `queue ${e.queue}` : `topic ${e.topic}`} (${(['read', 'write', 'admin'] as const).map((k) => `${k}: ${e[k].join(',') || '-'}`).join('; ')})`;

/**
 * The splices that give `broker` the wanted security: the JAAS authentication plugin (or none,
 * for anonymous access) and the authorization map, inside `<plugins>`; other plugins stay.
 */
export function securitySplices(text: string, broker: XmlElement, want: BrokerSecurity): { splices: Splice[]; details: string[] } {
  const splices: Splice[] = [];
  const details: string[] = [];
  const plugins = firstChild(broker, 'plugins');
  const jaas = plugins && firstChild(plugins, 'jaasAuthenticationPlugin');
  const authz = plugins && firstChild(plugins, 'authorizationPlugin');
  const wanted: NewElement[] = [];
  if (want.anonymous) {
    if (jaas) {
      splices.push(removal(text, jaas));
      details.push('jaasAuthenticationPlugin: removed (anonymous access)');
    }
  } else if (!jaas) {
    wanted.push({ name: 'jaasAuthenticationPlugin', attrs: [['configuration', JAAS_CONFIGURATION]] });
    details.push(`jaasAuthenticationPlugin: added (configuration=${JAAS_CONFIGURATION})`);
  } else {
    const s = setAttribute(text, jaas, 'configuration', JAAS_CONFIGURATION);
    if (s) {
      splices.push(s);
      details.push(`jaasAuthenticationPlugin configuration: ${jaas.attributes.configuration ?? '(unset)'} -> ${JAAS_CONFIGURATION}`);
    }
  }
  if (want.authorization !== undefined) {
    const entries = want.authorization;
    if (!entries.length) {
      if (authz) {
        splices.push(removal(text, authz));
        details.push('authorizationPlugin: removed');
      }
    } else {
      const el = authorizationElement(entries);
      const summary = `authorization: ${entries.map(describeEntry).join(', ')}; advisory topics for ${authorizationGroups(entries).join(',')}`;
      if (!authz) {
        wanted.push(el);
        details.push(summary);
      } else {
        const indent = lineIndent(text, authz.start);
        const rendered = renderElement(el, indent, indentUnit(text, authz), prefixOf(authz));
        if (text.slice(authz.start, authz.end) !== rendered) {
          splices.push({ start: authz.start, end: authz.end, text: rendered });
          details.push(summary);
        }
      }
    }
  }
  if (!wanted.length) return { splices, details };
  if (!plugins) {
    splices.push(appendChild(text, broker, { name: 'plugins', children: wanted }));
  } else {
    // Authentication before authorization, as ActiveMQ's filters expect to read them.
    const anchor = childElements(plugins)[0];
    if (wanted[0].name === 'jaasAuthenticationPlugin' && anchor) {
      const indent = lineIndent(text, anchor.start);
      splices.push({ start: anchor.start, end: anchor.start, text: `${renderElement(wanted[0], indent, indentUnit(text, anchor), prefixOf(plugins))}\n${indent}` });
      for (const el of wanted.slice(1)) splices.push(appendChild(text, plugins, el));
    } else {
      for (const el of wanted) splices.push(appendChild(text, plugins, el));
    }
  }
  return { splices, details };
}

/** The broker's sslContext: the stores its TLS transports use. */
export interface SslContext {
  keyStore: string;
  keyStorePassword: string;
  trustStore?: string;
  trustStorePassword?: string;
}

/** The attributes of the inner <sslContext>: stores as file: resources, PKCS12. */
export function sslContextAttrs(c: SslContext): [string, string][] {
  const attrs: [string, string][] = [['keyStore', `file:${c.keyStore}`], ['keyStorePassword', c.keyStorePassword], ['keyStoreType', 'pkcs12']];
  if (c.trustStore !== undefined) attrs.push(['trustStore', `file:${c.trustStore}`], ['trustStorePassword', c.trustStorePassword ?? c.keyStorePassword], ['trustStoreType', 'pkcs12']);
  return attrs;
}

const PASSWORDS = new Set(['keyStorePassword', 'trustStorePassword']);

/** `<sslContext><sslContext .../></sslContext>` made as wanted (null: removed); passwords named, never shown. */
export function sslContextSplices(text: string, broker: XmlElement, want: SslContext | null): { splices: Splice[]; details: string[] } {
  const outer = firstChild(broker, 'sslContext');
  if (want === null) return outer ? { splices: [removal(text, outer)], details: ['sslContext: removed'] } : { splices: [], details: [] };
  const attrs = sslContextAttrs(want);
  const stores = `keyStore ${want.keyStore}${want.trustStore !== undefined ? `, trustStore ${want.trustStore}` : ''}`;
  if (!outer) return { splices: [appendChild(text, broker, { name: 'sslContext', children: [{ name: 'sslContext', attrs }] })], details: [`sslContext: added (${stores})`] };
  const inner = firstChild(outer, 'sslContext');
  if (!inner) return { splices: [appendChild(text, outer, { name: 'sslContext', attrs })], details: [`sslContext: added (${stores})`] };
  const splices: Splice[] = [];
  const details: string[] = [];
  for (const [k, v] of attrs) {
    const s = setAttribute(text, inner, k, v);
    if (!s) continue;
    splices.push(s);
    details.push(PASSWORDS.has(k) ? `sslContext ${k}: changed` : `sslContext ${k}: ${inner.attributes[k] ?? '(unset)'} -> ${v}`);
  }
  return { splices, details };
}
