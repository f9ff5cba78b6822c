import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { catalog } from '../../runner/src/modules/index.js';
import { renderParamDoc } from '../../runner/src/modules/lib/docs.js';
import { analyze } from '../../runner/src/runbook/analyze.js';
import { hostKeys } from '../../runner/src/runbook/schema.js';
import { complete } from '../../server/src/analysis/complete.js';
import { hover } from '../../server/src/analysis/hover.js';
import { caret } from '../helpers/caret.js';
import { SITE_INVENTORY } from '../helpers/site.js';

/** The fixture inventory analysed on its own, and the edited text with the cursor. */
function edited(find: string, marked: string) {
  const original = readFileSync(SITE_INVENTORY, 'utf8');
  assert.ok(original.includes(find), find);
  const { text, offset } = caret(original.replace(find, marked));
  return { a: analyze(original, { path: SITE_INVENTORY }), text, offset };
}

describe('editing an inventory', () => {
  it('host keys, with their docs', () => {
    const { a, text, offset } = edited('lb1:     { address: 192.168.10.100 }', 'lb1:     { address: 192.168.10.100, ^ }');
    const items = complete(a, text, offset, catalog);
    assert.deepEqual(items.map((c) => c.label).sort(), ['become', 'become_password', 'connect_timeout', 'connection', 'identity', 'known_hosts', 'password', 'port', 'user', 'vars']);
    assert.equal(items.find((c) => c.label === 'user')!.documentation, renderParamDoc('user', hostKeys.user));
  });

  it('host names in a group, group names in children, allowed values', () => {
    const hosts = edited('lb:      { hosts: [lb1] }', 'lb:      { hosts: [lb1, ^] }');
    assert.deepEqual(complete(hosts.a, hosts.text, hosts.offset, catalog).map((c) => c.label), ['nfs1', 'broker1', 'broker2', 'lb1']);
    const children = edited('lb:      { hosts: [lb1] }', 'lb:      { hosts: [lb1], children: [^] }');
    assert.deepEqual(complete(children.a, children.text, children.offset, catalog).map((c) => c.label), ['nfs', 'brokers', 'lb']);
    const connection = edited('connection: ssh', 'connection: ^ssh');
    assert.deepEqual(complete(connection.a, connection.text, connection.offset, catalog).map((c) => c.label), ['ssh', 'local']);
  });

  it('hover on a host, a host key, a group', () => {
    const host = edited('  broker2: {', '  bro^ker2: {');
    assert.match(hover(host.a, host.text, host.offset, catalog)!.markdown, /^\*\*broker2\*\* \(host\)/);
    const key = edited('lb1:     { address:', 'lb1:     { addr^ess:');
    assert.equal(hover(key.a, key.text, key.offset, catalog)!.markdown, renderParamDoc('address', hostKeys.address));
    const group = edited('brokers: { hosts:', 'bro^kers: { hosts:');
    assert.match(hover(group.a, group.text, group.offset, catalog)!.markdown, /^\*\*brokers\*\* \(group\)\n\nhosts: broker1, broker2/);
  });
});
