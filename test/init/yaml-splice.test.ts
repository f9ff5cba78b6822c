import assert from 'node:assert/strict';
import { repeatEntries, setTopLevel, type Repeat } from '../../runner/src/init/yaml-splice.js';

const third: Repeat = { token: 'b2', copies: [[['b2', 'b3'], ['g[1]', 'g[2]']]] };

describe('repeating per-broker entries in YAML text', () => {
  it('a flow list entry gets its copy after it, on the same line', () => {
    assert.equal(repeatEntries('x: ["{{ b1 }}", "{{ b2 }}"]   # note\n', third), 'x: ["{{ b1 }}", "{{ b2 }}", "{{ b3 }}"]   # note\n');
  });

  it('a block mapping pair is copied as a line with its indentation; a trailing comment stays on the original', () => {
    const text = 'vars:\n  b1: "{{ g[0] }}"\n  b2: "{{ g[1] }}"   # the second\n  other: 1\n';
    assert.equal(repeatEntries(text, third), 'vars:\n  b1: "{{ g[0] }}"\n  b2: "{{ g[1] }}"   # the second\n  b3: "{{ g[2] }}"\n  other: 1\n');
  });

  it('a multi-line block list entry is copied whole, after the last line of the original', () => {
    const text = 'servers:\n  - name: b1\n    port: 1\n  - name: b2\n    port: 2\nnext: true\n';
    assert.equal(repeatEntries(text, third), 'servers:\n  - name: b1\n    port: 1\n  - name: b2\n    port: 2\n  - name: b3\n    port: 2\nnext: true\n');
  });

  it('only the innermost entry is repeated, not the play or task around it, and not entries whose siblings mention the token too', () => {
    const text = [
      'plays:',
      '  - name: one',
      '    tasks:',
      '      - name: connect',
      '        links:',
      '          - { name: "to-{{ peer }}", uri: "tcp://{{ hosts[peer].address }}" }',
      '',
    ].join('\n');
    const out = repeatEntries(text, { token: 'peer', copies: [[['peer', 'peer2']], [['peer', 'peer3']]] });
    assert.equal(
      out,
      text.replace(
        '          - { name: "to-{{ peer }}", uri: "tcp://{{ hosts[peer].address }}" }\n',
        '          - { name: "to-{{ peer }}", uri: "tcp://{{ hosts[peer].address }}" }\n          - { name: "to-{{ peer2 }}", uri: "tcp://{{ hosts[peer2].address }}" }\n          - { name: "to-{{ peer3 }}", uri: "tcp://{{ hosts[peer3].address }}" }\n',
      ),
    );
  });

  it('renames whole words only, and no copies leave the text as it was', () => {
    assert.equal(repeatEntries('l: [b1, b2, b22]\n', third), 'l: [b1, b2, b3, b22]\n');
    assert.equal(repeatEntries('l: [b1, b2]\n', { token: 'b2', copies: [] }), 'l: [b1, b2]\n');
  });

  it('setTopLevel replaces one scalar and nothing else', () => {
    assert.equal(setTopLevel('# c\nname: x\ninventory: old.yaml   # keep\n', 'inventory', 'new.yaml'), '# c\nname: x\ninventory: new.yaml   # keep\n');
    assert.throws(() => setTopLevel('name: x\n', 'inventory', 'a'), /no top-level 'inventory'/);
  });
});
