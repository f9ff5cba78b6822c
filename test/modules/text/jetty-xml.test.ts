import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { editJettyXml } from '../../../runner/src/modules/text/jetty-xml.js';
import { XmlLayoutError, XmlSyntaxError } from '../../../runner/src/modules/text/xml-splice.js';
import { fixture } from '../../helpers/paths.js';

const JETTY = readFileSync(fixture('activemq', 'jetty.xml'), 'utf8');

function changedLines(before: string, after: string): [string, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(b.length, a.length, 'same number of lines');
  return a.flatMap((l, i) => (l === b[i] ? [] : [[l, b[i]] as [string, string]]));
}

describe('jetty.xml web console edit (jetty-xml)', () => {
  it("changes only the jettyPort bean's host and port lines", () => {
    const r = editJettyXml(JETTY, { host: '0.0.0.0', port: 8162 });
    assert.deepEqual(changedLines(JETTY, r.text), [
      ['        <property name="host" value="127.0.0.1"/>', '        <property name="host" value="0.0.0.0"/>'],
      ['        <property name="port" value="8161"/>', '        <property name="port" value="8162"/>'],
    ]);
    assert.deepEqual(r.details, ['jettyPort host: 127.0.0.1 -> 0.0.0.0', 'jettyPort port: 8161 -> 8162']);
    assert.ok(r.text.includes(`<property name="host" value="#{systemProperties['jetty.host']}" />`), 'the connector bean keeps its own host property');
  });

  it('is byte-identical when host and port are already set, and when only the port is given', () => {
    assert.equal(editJettyXml(JETTY, { host: '127.0.0.1', port: 8161 }).text, JETTY);
    const r = editJettyXml(JETTY, { port: 8161 });
    assert.equal(r.text, JETTY);
    assert.deepEqual(r.details, []);
    const once = editJettyXml(JETTY, { host: '0.0.0.0', port: 8162 }).text;
    assert.equal(editJettyXml(once, { host: '0.0.0.0', port: 8162 }).text, once);
  });

  it('adds a missing host property beside the port, indented like it', () => {
    const text = JETTY.replace('        <property name="host" value="127.0.0.1"/>\n', '');
    const r = editJettyXml(text, { host: '0.0.0.0', port: 8161 });
    assert.ok(r.text.includes('        <property name="port" value="8161"/>\n        <property name="host" value="0.0.0.0"/>\n    </bean>'), r.text);
    assert.deepEqual(r.details, ['jettyPort host: (unset) -> 0.0.0.0']);
  });

  it('rewrites a property given as a <value> element', () => {
    const text = JETTY.replace('<property name="port" value="8161"/>', '<property name="port"><value>8161</value></property>');
    const r = editJettyXml(text, { port: 9000 });
    assert.deepEqual(changedLines(text, r.text), [['        <property name="port"><value>8161</value></property>', '        <property name="port" value="9000"/>']]);
    assert.equal(editJettyXml(text, { port: 8161 }).text, text);
  });

  it('refuses a file without the jettyPort bean, and a malformed one', () => {
    assert.throws(() => editJettyXml('<beans><bean id="x"/></beans>', { port: 8161 }), (e: Error) => e instanceof XmlLayoutError && /jettyPort/.test(e.message));
    assert.throws(() => editJettyXml(JETTY.replace('</beans>', ''), { port: 8161 }), (e: Error) => e instanceof XmlSyntaxError && e.line > 100);
  });
});
