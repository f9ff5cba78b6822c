import assert from 'node:assert/strict';
import { decodeFrames, encodeFrame, sessionBroker } from '../../runner/src/cluster/stomp.js';

describe("the drill's STOMP frames", () => {
  it('decodes frames split anywhere, keeps what is unfinished, and reads headers and bodies back', () => {
    const wire = encodeFrame('MESSAGE', { destination: '/queue/q', 'message-id': 'ID:a:1' }, 'body one') + '\n' + encodeFrame('RECEIPT', { 'receipt-id': 'r1' });
    const cut = 30;
    const first = decodeFrames(wire.slice(0, cut));
    assert.deepEqual(first.frames, []);
    const rest = decodeFrames(first.rest + wire.slice(cut));
    assert.deepEqual(rest.frames, [
      { command: 'MESSAGE', headers: { destination: '/queue/q', 'message-id': 'ID:a:1' }, body: 'body one' },
      { command: 'RECEIPT', headers: { 'receipt-id': 'r1' }, body: '' },
    ]);
    assert.equal(rest.rest, '');
  });

  it('escapes header values as STOMP 1.2 asks, except in CONNECT (a passcode with a colon goes as it is)', () => {
    assert.equal(encodeFrame('ACK', { id: 'ID:b-1:1' }), 'ACK\nid:ID\\cb-1\\c1\n\n\0');
    assert.equal(encodeFrame('CONNECT', { passcode: 'a:b\\c' }), 'CONNECT\npasscode:a:b\\c\n\n\0');
    assert.deepEqual(decodeFrames('MESSAGE\nack:x\\cy\\\\z\\n\n\nb\0').frames[0].headers, { ack: 'x:y\\z\n' });
    assert.deepEqual(decodeFrames('CONNECTED\nsession:ID:h-1-2-3:4\n\n\0').frames[0].headers, { session: 'ID:h-1-2-3:4' });
  });

  it("names the broker instance behind a session id, as ActiveMQ writes it", () => {
    assert.equal(sessionBroker('ID:broker1-41821-1796299398747-4:3'), 'broker1-41821-1796299398747');
    assert.equal(sessionBroker(undefined), undefined);
  });
});
