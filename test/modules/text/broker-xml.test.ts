import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseXml, XmlComment, XmlElement, type XmlDocument } from '@rgrove/parse-xml';
import { editBrokerXml, type BrokerSettings } from '../../../runner/src/modules/text/broker-xml.js';
import { expandTransport } from '../../../runner/src/modules/text/transports.js';
import { XmlLayoutError, XmlSyntaxError } from '../../../runner/src/modules/text/xml-splice.js';
import { fixture } from '../../helpers/paths.js';

const DEBIAN = readFileSync(fixture('activemq', 'debian-main-activemq.xml'), 'utf8');
const UPSTREAM = readFileSync(fixture('activemq', 'upstream-example-activemq.xml'), 'utf8');
const NETWORK = readFileSync(fixture('activemq', 'upstream-static-network-broker1.xml'), 'utf8');
const MALFORMED = readFileSync(fixture('activemq', 'malformed-activemq.xml'), 'utf8');

const std = (names: string[], maxConnections = 1000) => names.map((n) => expandTransport(n, '0.0.0.0', maxConnections, 104857600));

const EVERYTHING: BrokerSettings = {
  brokerName: 'broker1',
  dataDirectory: '/shared/activemq-data',
  useJmx: true,
  schedulerSupport: true,
  managementConnector: { create: true, port: 1099 },
  kahadbDirectory: '/shared/activemq-data/kahadb',
  lockPoll: 1000,
  transports: std(['openwire', 'amqp', 'stomp', 'mqtt', 'ws']),
  networkConnectors: [{ name: 'to-broker2', uri: 'static:(tcp://192.168.10.193:61616)', duplex: true }],
};

/** The lines of `after` that differ from `before`, when both have the same number of lines. */
function changedLines(before: string, after: string): [string, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  assert.equal(b.length, a.length, 'same number of lines');
  return a.flatMap((l, i) => (l === b[i] ? [] : [[l, b[i]] as [string, string]]));
}

function comments(doc: XmlDocument | XmlElement, text: string): string[] {
  return doc.children.flatMap((c) => (c instanceof XmlComment ? [text.slice(c.start, c.end)] : c instanceof XmlElement ? comments(c, text) : []));
}

const parse = (t: string) => parseXml(t, { includeOffsets: true, preserveComments: true });

describe('activemq.xml in-place edit (broker-xml)', () => {
  describe("Debian's main instance", () => {
    it('changes only the brokerName line for broker_name', () => {
      const r = editBrokerXml(DEBIAN, { brokerName: 'broker1' });
      assert.deepEqual(changedLines(DEBIAN, r.text), [['            brokerName="localhost"', '            brokerName="broker1"']]);
      assert.deepEqual(r.details, ['brokerName: localhost -> broker1']);
    });

    it('changes dataDirectory and useJmx in place', () => {
      const r = editBrokerXml(DEBIAN, { dataDirectory: '/shared/activemq-data', useJmx: true });
      assert.deepEqual(changedLines(DEBIAN, r.text), [
        ['            useJmx="false"', '            useJmx="true"'],
        ['            dataDirectory="${activemq.base}/data">', '            dataDirectory="/shared/activemq-data">'],
      ]);
      assert.deepEqual(r.details, ['dataDirectory: ${activemq.base}/data -> /shared/activemq-data', 'useJmx: false -> true']);
    });

    it('adds a missing attribute after the last one, aligned like it', () => {
      const r = editBrokerXml(DEBIAN, { schedulerSupport: true });
      assert.ok(r.text.includes('            dataDirectory="${activemq.base}/data"\n            schedulerSupport="true">\n'), r.text);
      assert.deepEqual(r.details, ['schedulerSupport: (unset) -> true']);
    });

    it('changes the KahaDB directory in place', () => {
      const r = editBrokerXml(DEBIAN, { kahadbDirectory: '/shared/activemq-data/kahadb' });
      assert.deepEqual(changedLines(DEBIAN, r.text), [['            <kahaDB directory="${activemq.base}/data/kahadb"/>', '            <kahaDB directory="/shared/activemq-data/kahadb"/>']]);
      assert.deepEqual(r.details, ['kahaDB directory: ${activemq.base}/data/kahadb -> /shared/activemq-data/kahadb']);
    });

    it('creates the locker inside kahaDB for lock_poll', () => {
      const r = editBrokerXml(DEBIAN, { lockPoll: 1000 });
      const block = [
        '        <persistenceAdapter>',
        '            <kahaDB directory="${activemq.base}/data/kahadb">',
        '                <locker>',
        '                    <shared-file-locker lockAcquireSleepInterval="1000"/>',
        '                </locker>',
        '            </kahaDB>',
        '        </persistenceAdapter>',
      ].join('\n');
      assert.ok(r.text.includes(block), r.text);
      assert.deepEqual(r.details, ['locker: added (shared-file-locker lockAcquireSleepInterval=1000)']);
      const again = editBrokerXml(r.text, { lockPoll: 5000 });
      assert.deepEqual(changedLines(r.text, again.text), [['                    <shared-file-locker lockAcquireSleepInterval="1000"/>', '                    <shared-file-locker lockAcquireSleepInterval="5000"/>']]);
      assert.deepEqual(again.details, ['shared-file-locker lockAcquireSleepInterval: 1000 -> 5000']);
    });

    it('creates the managementContext after the last child of the broker', () => {
      const r = editBrokerXml(DEBIAN, { managementConnector: { create: true, port: 1099 } });
      const block = [
        '        </transportConnectors>',
        '        <managementContext>',
        '            <managementContext createConnector="true" connectorPort="1099"/>',
        '        </managementContext>',
        '',
        '    </broker>',
      ].join('\n');
      assert.ok(r.text.includes(block), r.text);
      assert.deepEqual(r.details, ['managementContext: added (createConnector=true, connectorPort=1099)']);
    });

    it('writes the whole transport list, & as &amp;', () => {
      const r = editBrokerXml(DEBIAN, { transports: std(['openwire', 'amqp', 'stomp', 'mqtt', 'ws']) });
      const q = '?maximumConnections=1000&amp;wireFormat.maxFrameSize=104857600';
      const block = [
        '        <transportConnectors>',
        `            <transportConnector name="openwire" uri="tcp://0.0.0.0:61616${q}"/>`,
        `            <transportConnector name="amqp" uri="amqp://0.0.0.0:5672${q}"/>`,
        `            <transportConnector name="stomp" uri="stomp://0.0.0.0:61613${q}"/>`,
        `            <transportConnector name="mqtt" uri="mqtt://0.0.0.0:1883${q}"/>`,
        `            <transportConnector name="ws" uri="ws://0.0.0.0:61614${q}"/>`,
        '        </transportConnectors>',
      ].join('\n');
      assert.ok(r.text.includes(block), r.text);
      assert.deepEqual(r.details, [
        'transportConnector openwire: tcp://127.0.0.1:61616 -> tcp://0.0.0.0:61616, maximumConnections (unset) -> 1000, wireFormat.maxFrameSize (unset) -> 104857600',
        'transportConnector amqp: added',
        'transportConnector stomp: added',
        'transportConnector mqtt: added',
        'transportConnector ws: added',
      ]);
      const parsed = parse(r.text);
      const uris = (function find(el: XmlDocument | XmlElement): string[] {
        return el.children.flatMap((c) => (c instanceof XmlElement ? (c.name === 'transportConnector' ? [c.attributes.uri] : find(c)) : []));
      })(parsed);
      assert.equal(uris[0], 'tcp://0.0.0.0:61616?maximumConnections=1000&wireFormat.maxFrameSize=104857600');
    });

    it('names a changed limit in the details, and edits only that line', () => {
      const first = editBrokerXml(DEBIAN, { transports: std(['openwire', 'stomp']) }).text;
      const r = editBrokerXml(first, { transports: std(['openwire', 'stomp'], 2000) });
      assert.deepEqual(r.details, ['transportConnector openwire: maximumConnections 1000 -> 2000', 'transportConnector stomp: maximumConnections 1000 -> 2000']);
      assert.equal(changedLines(first, r.text).length, 2);
    });

    it('removes transports no longer listed', () => {
      const first = editBrokerXml(DEBIAN, { transports: std(['openwire', 'stomp']) }).text;
      const r = editBrokerXml(first, { transports: std(['openwire']) });
      assert.deepEqual(r.details, ['transportConnector stomp: removed']);
      assert.ok(!r.text.includes('stomp://'));
      assert.ok(r.text.includes('<transportConnector name="openwire" uri="tcp://0.0.0.0:61616?maximumConnections=1000&amp;wireFormat.maxFrameSize=104857600"/>\n        </transportConnectors>'));
    });

    it('keeps the other attributes of a connector that stays when the list is rewritten', () => {
      const text = DEBIAN.replace('uri="tcp://127.0.0.1:61616"/>', 'uri="tcp://127.0.0.1:61616" updateClusterClients="true"/>');
      const r = editBrokerXml(text, { transports: [{ name: 'stomp', uri: 'stomp://0.0.0.0:61613' }, { name: 'openwire', uri: 'tcp://0.0.0.0:61616' }] });
      assert.ok(r.text.includes('            <transportConnector name="stomp" uri="stomp://0.0.0.0:61613"/>\n            <transportConnector name="openwire" uri="tcp://0.0.0.0:61616" updateClusterClients="true"/>\n'), r.text);
      assert.deepEqual(r.details, ['transportConnector stomp: added', 'transportConnector openwire: tcp://127.0.0.1:61616 -> tcp://0.0.0.0:61616']);
    });

    it('creates <networkConnectors> with the connectors', () => {
      const r = editBrokerXml(DEBIAN, { networkConnectors: [{ name: 'nob', uri: 'static:(tcp://192.168.10.193:61616)', duplex: true }] });
      const block = [
        '        </transportConnectors>',
        '        <networkConnectors>',
        '            <networkConnector name="nob" uri="static:(tcp://192.168.10.193:61616)" duplex="true"/>',
        '        </networkConnectors>',
      ].join('\n');
      assert.ok(r.text.includes(block), r.text);
      assert.deepEqual(r.details, ['networkConnector nob: added']);
      const flipped = editBrokerXml(r.text, { networkConnectors: [{ name: 'nob', uri: 'static:(tcp://192.168.10.193:61616)', duplex: false }] });
      assert.deepEqual(flipped.details, ['networkConnector nob: duplex true -> false']);
      assert.equal(changedLines(r.text, flipped.text).length, 1);
    });

    it('with every parameter: bytes outside the edits, comments and other beans stay; a second edit changes nothing', () => {
      const r = editBrokerXml(DEBIAN, EVERYTHING);
      const first = Math.min(...r.splices.map((s) => s.start));
      const last = Math.max(...r.splices.map((s) => s.end));
      assert.ok(first > 0 && last < DEBIAN.length);
      assert.equal(r.text.slice(0, first), DEBIAN.slice(0, first));
      assert.equal(r.text.slice(r.text.length - (DEBIAN.length - last)), DEBIAN.slice(last));
      assert.deepEqual(comments(parse(r.text), r.text), comments(parse(DEBIAN), DEBIAN));
      assert.ok(r.text.includes('    <bean class="org.springframework.beans.factory.config.PropertyPlaceholderConfigurer"/>\n'));
      assert.ok(r.text.includes('    <broker xmlns="http://activemq.apache.org/schema/core"\n            useJmx="true"\n            brokerName="broker1"\n'));
      assert.deepEqual(r.details, [
        'brokerName: localhost -> broker1',
        'dataDirectory: ${activemq.base}/data -> /shared/activemq-data',
        'useJmx: false -> true',
        'schedulerSupport: (unset) -> true',
        'managementContext: added (createConnector=true, connectorPort=1099)',
        'kahaDB directory: ${activemq.base}/data/kahadb -> /shared/activemq-data/kahadb',
        'locker: added (shared-file-locker lockAcquireSleepInterval=1000)',
        'transportConnector openwire: tcp://127.0.0.1:61616 -> tcp://0.0.0.0:61616, maximumConnections (unset) -> 1000, wireFormat.maxFrameSize (unset) -> 104857600',
        'transportConnector amqp: added',
        'transportConnector stomp: added',
        'transportConnector mqtt: added',
        'transportConnector ws: added',
        'networkConnector to-broker2: added',
      ]);

      const again = editBrokerXml(r.text, EVERYTHING);
      assert.equal(again.text, r.text);
      assert.deepEqual(again.details, []);
      assert.deepEqual(again.splices, []);
    });

    it('writes CRLF line ends into a CRLF file, and is idempotent there too', () => {
      const crlf = DEBIAN.replace(/\n/g, '\r\n');
      const r = editBrokerXml(crlf, EVERYTHING);
      assert.equal(r.text, editBrokerXml(DEBIAN, EVERYTHING).text.replace(/\n/g, '\r\n'));
      assert.equal(editBrokerXml(r.text, EVERYTHING).text, r.text);
      const emptyList = editBrokerXml(NETWORK.replace(/\n/g, '\r\n'), { networkConnectors: [{ name: 'n', uri: 'static:(tcp://b:1)', duplex: true }] }).text;
      assert.ok(!/[^\r]\n/.test(emptyList), 'no bare LF');
    });

    it('leaves the file as it is when no parameter is given', () => {
      const r = editBrokerXml(DEBIAN, {});
      assert.equal(r.text, DEBIAN);
      assert.deepEqual(r.details, []);
    });

    it('treats True and true alike, and keeps single quotes of an edited attribute', () => {
      const text = DEBIAN.replace('useJmx="false"', "useJmx='False'").replace('brokerName="localhost"', "brokerName='localhost'");
      const r = editBrokerXml(text, { useJmx: false, brokerName: "o'brien" });
      assert.deepEqual(changedLines(text, r.text), [["            brokerName='localhost'", "            brokerName='o&apos;brien'"]]);
    });
  });

  describe('upstream example layouts', () => {
    it('replaces unnamed connectors of the example, naming them by URI', () => {
      const r = editBrokerXml(UPSTREAM, { brokerName: 'broker1', transports: std(['openwire']) });
      assert.deepEqual(r.details, [
        'brokerName: (unset) -> broker1',
        'transportConnector openwire: added',
        'transportConnector tcp://localhost:61616: removed',
        'transportConnector stomp://localhost:61613: removed',
      ]);
      assert.ok(r.text.includes('<broker xmlns="http://activemq.apache.org/schema/core" useJmx="false" brokerName="broker1">'));
      assert.equal(editBrokerXml(r.text, { brokerName: 'broker1', transports: std(['openwire']) }).text, r.text);
      assert.ok(r.text.endsWith('  </broker>\n  \n</beans>\n<!-- END SNIPPET: xbean -->\n'));
    });

    it('refuses kahadb_directory when the store is a persistenceFactory', () => {
      assert.throws(() => editBrokerXml(UPSTREAM, { kahadbDirectory: '/shared/kahadb' }), (e: Error) => e instanceof XmlLayoutError && /persistenceFactory/.test(e.message));
    });

    it('fills the empty networkConnectors and edits the existing managementContext in place', () => {
      const r = editBrokerXml(NETWORK, {
        managementConnector: { create: false, port: 1616 },
        networkConnectors: [{ name: 'to-broker2', uri: 'static:(tcp://broker2:61616)', duplex: false }],
      });
      assert.deepEqual(r.details, ['managementContext createConnector: true -> false', 'managementContext connectorPort: (unset) -> 1616', 'networkConnector to-broker2: added']);
      assert.ok(r.text.includes('            <managementContext createConnector="false" connectorPort="1616"/>\n'));
      assert.ok(
        r.text.includes(
          '            Take a look at activemq-static_network-broker2.xml for example\n        -->\n        <networkConnectors>\n            <networkConnector name="to-broker2" uri="static:(tcp://broker2:61616)" duplex="false"/>\n        </networkConnectors>\n',
        ),
        r.text,
      );
      const again = editBrokerXml(r.text, { networkConnectors: [] });
      assert.deepEqual(again.details, ['networkConnector to-broker2: removed']);
      assert.ok(again.text.includes('        <networkConnectors>\n        </networkConnectors>\n'));
    });

    it('adds a locker to an existing self-closing kahaDB that has a trailing space', () => {
      const r = editBrokerXml(NETWORK, { lockPoll: 1000, kahadbDirectory: '/shared/kahadb' });
      assert.ok(
        r.text.includes('        <persistenceAdapter>\n            <kahaDB directory="/shared/kahadb">\n                <locker>\n                    <shared-file-locker lockAcquireSleepInterval="1000"/>\n                </locker>\n            </kahaDB>\n        </persistenceAdapter>'),
        r.text,
      );
    });
  });

  describe('a broker written with a namespace prefix', () => {
    const AMQ = [
      '<beans xmlns="http://www.springframework.org/schema/beans" xmlns:amq="http://activemq.apache.org/schema/core">',
      '  <amq:broker brokerName="x">',
      '    <amq:transportConnectors>',
      '      <amq:transportConnector name="openwire" uri="tcp://0.0.0.0:61616"/>',
      '    </amq:transportConnectors>',
      '  </amq:broker>',
      '</beans>',
      '',
    ].join('\n');

    it('writes new elements in the same namespace, indented two by two', () => {
      const want: BrokerSettings = {
        transports: [{ name: 'openwire', uri: 'tcp://0.0.0.0:61616' }, { name: 'stomp', uri: 'stomp://0.0.0.0:61613' }],
        managementConnector: { create: false },
        lockPoll: 1000,
      };
      const r = editBrokerXml(AMQ, want);
      assert.equal(
        r.text,
        [
          '<beans xmlns="http://www.springframework.org/schema/beans" xmlns:amq="http://activemq.apache.org/schema/core">',
          '  <amq:broker brokerName="x">',
          '    <amq:transportConnectors>',
          '      <amq:transportConnector name="openwire" uri="tcp://0.0.0.0:61616"/>',
          '      <amq:transportConnector name="stomp" uri="stomp://0.0.0.0:61613"/>',
          '    </amq:transportConnectors>',
          '    <amq:managementContext>',
          '      <amq:managementContext createConnector="false"/>',
          '    </amq:managementContext>',
          '    <amq:persistenceAdapter>',
          '      <amq:kahaDB>',
          '        <amq:locker>',
          '          <amq:shared-file-locker lockAcquireSleepInterval="1000"/>',
          '        </amq:locker>',
          '      </amq:kahaDB>',
          '    </amq:persistenceAdapter>',
          '  </amq:broker>',
          '</beans>',
          '',
        ].join('\n'),
      );
      assert.equal(editBrokerXml(r.text, want).text, r.text);
    });
  });

  describe('refusals', () => {
    it('refuses a malformed file with the line and column of the problem', () => {
      assert.throws(
        () => editBrokerXml(MALFORMED, { brokerName: 'broker1' }),
        (e: Error) => e instanceof XmlSyntaxError && e.line === 41 && e.column === 9 && e.reason === 'Missing end tag for element persistenceAdapter',
      );
    });

    it('refuses a file without a broker', () => {
      assert.throws(() => editBrokerXml('<beans/>', { brokerName: 'b' }), (e: Error) => e instanceof XmlLayoutError && e.message === 'there is no <broker> element');
    });

    it('refuses kahaDB settings when the store is JDBC', () => {
      const text = DEBIAN.replace('<kahaDB directory="${activemq.base}/data/kahadb"/>', '<jdbcPersistenceAdapter dataSource="#pg"/>');
      assert.throws(() => editBrokerXml(text, { lockPoll: 1000 }), (e: Error) => e instanceof XmlLayoutError && e.message === "the broker's store is <jdbcPersistenceAdapter>, not KahaDB");
    });
  });
});
