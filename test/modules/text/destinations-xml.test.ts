import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { editDestinations } from '../../../runner/src/modules/text/destinations-xml.js';
import { XmlLayoutError } from '../../../runner/src/modules/text/xml-splice.js';
import { fixture } from '../../helpers/paths.js';

const DEBIAN = readFileSync(fixture('activemq', 'debian-main-activemq.xml'), 'utf8');
const UPSTREAM = readFileSync(fixture('activemq', 'upstream-example-activemq.xml'), 'utf8');
const q = (name: string) => ({ kind: 'queue' as const, name });
const t = (name: string) => ({ kind: 'topic' as const, name });

/** The text outside `<destinations>`: what must stay byte for byte. */
function outside(text: string): string {
  return text.replace(/\n?[ \t]*<destinations>[\s\S]*?<\/destinations>/, '');
}

describe('<destinations> in activemq.xml', () => {
  for (const [name, text] of [['Debian', DEBIAN], ['upstream', UPSTREAM]] as const) {
    it(`adds the list to ${name}'s activemq.xml, every other byte kept`, () => {
      const edit = editDestinations(text, [q('orders'), t('prices')]);
      assert.equal(outside(edit.text), text);
      assert.match(edit.text, /\n( +)<destinations>\n\1 +<queue physicalName="orders"\/>\n\1 +<topic physicalName="prices"\/>\n\1<\/destinations>/);
      assert.deepEqual(edit.details, ['queue orders: added', 'topic prices: added']);
      assert.equal(editDestinations(edit.text, [q('orders'), t('prices')]).text, edit.text, 'a second edit changes nothing');
    });
  }

  it('keeps the text of entries it keeps, and removes the others', () => {
    const base = editDestinations(DEBIAN, [q('orders'), t('prices')]).text;
    const styled = base.replace('<queue physicalName="orders"/>', "<queue physicalName='orders' />");
    const edit = editDestinations(styled, [q('orders'), q('audit')]);
    assert.ok(edit.text.includes("<queue physicalName='orders' />"));
    assert.ok(edit.text.includes('<queue physicalName="audit"/>'));
    assert.ok(!edit.text.includes('prices'));
    assert.deepEqual(edit.details, ['queue audit: added', 'topic prices: removed']);
  });

  it('an empty list empties <destinations>', () => {
    const base = editDestinations(DEBIAN, [q('orders')]).text;
    const edit = editDestinations(base, []);
    assert.deepEqual(edit.details, ['queue orders: removed']);
    assert.ok(!/physicalName/.test(edit.text));
    assert.deepEqual(editDestinations(DEBIAN, []).details, [], 'nothing to add to a file without the list');
  });

  it('a queue and a topic may share a name', () => {
    const edit = editDestinations(DEBIAN, [q('events'), t('events')]);
    assert.deepEqual(edit.details, ['queue events: added', 'topic events: added']);
  });

  it('refuses a file without one <broker>', () => {
    assert.throws(() => editDestinations('<beans/>', [q('x')]), (e: Error) => e instanceof XmlLayoutError && /no <broker> element/.test(e.message));
  });
});
