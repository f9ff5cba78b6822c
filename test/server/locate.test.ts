import assert from 'node:assert/strict';
import { locate } from '../../server/src/analysis/locate.js';
import { caret } from '../helpers/caret.js';

const at = (marked: string) => {
  const { text, offset } = caret(marked);
  return locate(text, offset);
};

const head = `name: x
inventory: inventory.yaml
plays:
  - name: first
    hosts: nfs
    tasks:
      - name: a
        command: { cmd: ls }
`;

describe('locate: offset to path', () => {
  it('a key being typed on its own line, with no colon yet', () => {
    const loc = at(`${head}  - name: second\n    hosts: brokers\n    tasks:\n      - name: t\n        nfs_^\n`);
    assert.deepEqual(loc.path, ['plays', 1, 'tasks', 0, 'nfs_']);
    assert.equal(loc.on, 'key');
    assert.equal(loc.prefix, 'nfs_');
    assert.deepEqual(loc.siblings, ['name']);
    assert.equal(loc.column, 8);
  });

  it('a value after a key', () => {
    const loc = at(`${head}  - name: second\n    hosts: bro^kers\n`);
    assert.deepEqual(loc.path, ['plays', 1, 'hosts']);
    assert.equal(loc.on, 'value');
    assert.equal(loc.token.text, 'brokers');
    assert.equal(loc.prefix, 'bro');
  });

  it('inside a flow mapping, between entries', () => {
    const loc = at(`${head}      - name: b\n        nfs_export: { path: /x, ^ }\n`);
    assert.deepEqual(loc.path, ['plays', 0, 'tasks', 1, 'nfs_export', '']);
    assert.equal(loc.on, 'key');
    assert.equal(loc.flow, true);
    assert.deepEqual(loc.siblings, ['path']);
  });

  it('nested flow collections: a list inside a mapping inside a list', () => {
    const loc = at(`${head}      - name: b\n        nfs_export: { path: /x, clients: [{ host: "*", options: [rw, s^] }] }\n`);
    assert.deepEqual(loc.path, ['plays', 0, 'tasks', 1, 'nfs_export', 'clients', 0, 'options', 1]);
    assert.equal(loc.on, 'value');
    assert.equal(loc.token.text, 's');
  });

  it('a new list item with nothing after the dash', () => {
    const loc = at(`${head}      - ^\n`);
    assert.deepEqual(loc.path, ['plays', 0, 'tasks', 1, '']);
    assert.equal(loc.newItem, true);
    assert.equal(loc.column, 8);
  });

  it('a bare word on a list item line under a key that takes names', () => {
    const loc = at(`name: x\nplays:\n  - name: p\n    hosts:\n      - nfs\n      - bro^\n`);
    assert.deepEqual(loc.path, ['plays', 0, 'hosts', 1, 'bro']);
    assert.equal(loc.bare, true);
  });

  it('inside {{ }} in a quoted value, and inside a block scalar', () => {
    const quoted = at(`${head}      - name: b\n        directory:\n          path: "{{ export^ }}"\n`);
    assert.deepEqual(quoted.path, ['plays', 0, 'tasks', 1, 'directory', 'path']);
    assert.ok(quoted.expr);
    const block = at(`${head}      - name: b\n        file:\n          path: /f\n          content: |\n            x = {{ wor^\n`);
    assert.deepEqual(block.path, ['plays', 0, 'tasks', 1, 'file', 'content']);
    assert.equal(block.inScalar, true);
    assert.ok(block.expr);
  });

  it('a blank line below a module key: its parameters', () => {
    const loc = at(`${head}      - name: b\n        nfs_export:\n          path: /x\n          ^\n`);
    assert.deepEqual(loc.path, ['plays', 0, 'tasks', 1, 'nfs_export', '']);
    assert.deepEqual(loc.siblings, ['path']);
  });

  it('the play index counts the plays above, however long they are', () => {
    const plays = Array.from({ length: 30 }, (_, i) => `  - name: p${i}\n    hosts: nfs\n    tasks:\n      - name: t\n        command: ls\n`).join('');
    const loc = at(`name: x\nplays:\n${plays}  - name: last\n    hosts: nf^s\n`);
    assert.deepEqual(loc.path, ['plays', 30, 'hosts']);
  });

  it('top-level keys: the ones already present are siblings', () => {
    const loc = at(`name: x\nva^\nplays: []\n`);
    assert.deepEqual(loc.path, ['va']);
    assert.deepEqual(loc.siblings, ['name', 'plays']);
  });
});
