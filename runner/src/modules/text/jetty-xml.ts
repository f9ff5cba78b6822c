import type { XmlDocument, XmlElement } from '@rgrove/parse-xml';
import {
  appendChild,
  applySplices,
  childElements,
  descendants,
  parseDocument,
  renderElement,
  setAttribute,
  XmlLayoutError,
  childIndent,
  indentUnit,
  prefixOf,
  type Splice,
  type XmlEdit,
} from './xml-splice.js';

const CONSOLE_PORT_CLASS = 'org.apache.activemq.web.WebConsolePort';

/** The bean that says where the web console listens. */
function consoleBean(doc: XmlDocument): XmlElement | undefined {
  const beans = descendants(doc, 'bean');
  return beans.find((b) => b.attributes.class === CONSOLE_PORT_CLASS) ?? beans.find((b) => b.attributes.id === 'jettyPort');
}

/** Sets the `host` and `port` properties of jetty.xml's jettyPort bean; every other byte stays. */
export function editJettyXml(text: string, want: { host?: string; port?: number }): XmlEdit {
  const doc = parseDocument(text);
  const bean = consoleBean(doc);
  if (!bean) {
    throw new XmlLayoutError(`there is no jettyPort bean (class ${CONSOLE_PORT_CLASS})`, "conf must be ActiveMQ's jetty.xml, which declares the web console's host and port");
  }
  const splices: Splice[] = [];
  const details: string[] = [];
  const set = (name: string, value: string) => {
    const prop = childElements(bean, 'property').find((p) => p.attributes.name === name);
    if (!prop) {
      splices.push(appendChild(text, bean, { name: 'property', attrs: [['name', name], ['value', value]] }));
      details.push(`jettyPort ${name}: (unset) -> ${value}`);
      return;
    }
    if (prop.attributes.value !== undefined || childElements(prop).length === 0) {
      const s = setAttribute(text, prop, 'value', value);
      if (s) {
        splices.push(s);
        details.push(`jettyPort ${name}: ${prop.attributes.value ?? '(unset)'} -> ${value}`);
      }
      return;
    }
    // <property name="port"><value>8161</value></property>: the value is the element's text.
    const current = prop.text.trim();
    if (current === value) return;
    const rendered = renderElement({ name: 'property', attrs: [['name', name], ['value', value]] }, childIndent(text, bean), indentUnit(text, bean), prefixOf(prop));
    splices.push({ start: prop.start, end: prop.end, text: rendered });
    details.push(`jettyPort ${name}: ${current} -> ${value}`);
  };
  if (want.host !== undefined) set('host', want.host);
  if (want.port !== undefined) set('port', String(want.port));
  return { text: applySplices(text, splices), details, splices };
}
