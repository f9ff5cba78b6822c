import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { editBrokerXml } from '../../../runner/src/modules/text/broker-xml.js';
import { parseDocument, descendants } from '../../../runner/src/modules/text/xml-splice.js';
import { fixture } from '../../helpers/paths.js';

const DEBIAN = readFileSync(fixture('activemq', 'debian-main-activemq.xml'), 'utf8');
const AUTHZ = [
  { queue: '>', read: ['admins', 'consumers'], write: ['admins'], admin: ['admins'] },
  { topic: 'prices.>', read: ['consumers'], write: [], admin: [] },
];

/** Every changed line of `after` against `before`, which must differ only by inserted or removed lines. */
function addedLines(before: string, after: string): string[] {
  const old = new Set(before.split('\n'));
  return after.split('\n').filter((l) => !old.has(l));
}

describe('activemq.xml security: the JAAS plugin and the authorization map', () => {
  it("adds <plugins> with the JAAS plugin to Debian's broker, every other byte kept, and is then a no-op", () => {
    const e = editBrokerXml(DEBIAN, { security: { anonymous: false } });
    assert.deepEqual(e.details, ['jaasAuthenticationPlugin: added (configuration=activemq)']);
    assert.deepEqual(addedLines(DEBIAN, e.text), ['        <plugins>', '            <jaasAuthenticationPlugin configuration="activemq"/>', '        </plugins>']);
    assert.equal(e.text.split('\n').filter((l) => !addedLines(DEBIAN, e.text).includes(l)).join('\n'), DEBIAN.split('\n').join('\n'));
    const again = editBrokerXml(e.text, { security: { anonymous: false } });
    assert.equal(again.text, e.text);
    assert.deepEqual(again.details, []);
  });

  it('writes the authorization map with the advisory topics for every group named, and replaces it only when it differs', () => {
    const e = editBrokerXml(DEBIAN, { security: { anonymous: false, authorization: AUTHZ } });
    const entries = descendants(parseDocument(e.text), 'authorizationEntry').map((el) => ({ ...el.attributes }));
    assert.deepEqual(entries, [
      { queue: '>', read: 'admins,consumers', write: 'admins', admin: 'admins' },
      { topic: 'prices.>', read: 'consumers' },
      { topic: 'ActiveMQ.Advisory.>', read: 'admins,consumers', write: 'admins,consumers', admin: 'admins,consumers' },
    ]);
    const plugins = descendants(parseDocument(e.text), 'plugins')[0];
    assert.deepEqual(plugins.children.filter((c) => 'name' in c).map((c) => (c as { name: string }).name), ['jaasAuthenticationPlugin', 'authorizationPlugin'], 'authentication first');
    assert.equal(editBrokerXml(e.text, { security: { anonymous: false, authorization: AUTHZ } }).text, e.text);
    const fewer = editBrokerXml(e.text, { security: { anonymous: false, authorization: AUTHZ.slice(0, 1) } });
    assert.equal(fewer.details.length, 1);
    assert.match(fewer.details[0], /^authorization: queue > \(read: admins,consumers; write: admins; admin: admins\); advisory topics for admins,consumers$/);
    assert.equal(descendants(parseDocument(fewer.text), 'authorizationEntry').length, 2);
    const none = editBrokerXml(e.text, { security: { anonymous: false, authorization: [] } });
    assert.deepEqual(none.details, ['authorizationPlugin: removed']);
    assert.equal(none.text, editBrokerXml(DEBIAN, { security: { anonymous: false } }).text, 'removed with its lines');
  });

  it('anonymous access removes the JAAS plugin and keeps the other plugins', () => {
    const withOther = DEBIAN.replace('<persistenceAdapter>', '<plugins>\n            <statisticsBrokerPlugin/>\n        </plugins>\n        <persistenceAdapter>');
    const secured = editBrokerXml(withOther, { security: { anonymous: false } });
    assert.match(secured.text, /<plugins>\n {12}<jaasAuthenticationPlugin configuration="activemq"\/>\n {12}<statisticsBrokerPlugin\/>\n {8}<\/plugins>/);
    const open = editBrokerXml(secured.text, { security: { anonymous: true } });
    assert.deepEqual(open.details, ['jaasAuthenticationPlugin: removed (anonymous access)']);
    assert.equal(open.text, withOther);
  });

  it("a network connector's login: userName and password, the password never in the details", () => {
    const c = { name: 'to-b2', uri: 'static:(tcp://127.0.10.3:61616)', duplex: false, userName: 'bridge', password: 'S3cret!' };
    const e = editBrokerXml(DEBIAN, { networkConnectors: [c] });
    assert.match(e.text, /<networkConnector name="to-b2" uri="static:\(tcp:\/\/127\.0\.10\.3:61616\)" duplex="false" userName="bridge" password="S3cret!"\/>/);
    const changed = editBrokerXml(e.text, { networkConnectors: [{ ...c, password: 'other' }] });
    assert.deepEqual(changed.details, ['networkConnector to-b2: password changed']);
    assert.ok(!JSON.stringify([e.details, changed.details]).includes('S3cret'));
  });

  it('the sslContext: added with the stores as file: resources, passwords changed by name only, removed when off', () => {
    const ctx = { keyStore: '/etc/amq/broker.ks', keyStorePassword: 'Ks-pw-1', trustStore: '/etc/amq/broker.ts' };
    const e = editBrokerXml(DEBIAN, { sslContext: ctx });
    assert.deepEqual(e.details, ['sslContext: added (keyStore /etc/amq/broker.ks, trustStore /etc/amq/broker.ts)']);
    assert.match(e.text, /<sslContext>\n {12}<sslContext keyStore="file:\/etc\/amq\/broker\.ks" keyStorePassword="Ks-pw-1" keyStoreType="pkcs12" trustStore="file:\/etc\/amq\/broker\.ts" trustStorePassword="Ks-pw-1" trustStoreType="pkcs12"\/>\n {8}<\/sslContext>/);
    assert.equal(editBrokerXml(e.text, { sslContext: ctx }).text, e.text);
    const changed = editBrokerXml(e.text, { sslContext: { ...ctx, keyStorePassword: 'Ks-pw-2' } });
    assert.deepEqual(changed.details, ['sslContext keyStorePassword: changed', 'sslContext trustStorePassword: changed']);
    const off = editBrokerXml(e.text, { sslContext: null });
    assert.deepEqual(off.details, ['sslContext: removed']);
    assert.equal(off.text, DEBIAN);
  });
});
