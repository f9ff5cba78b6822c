import assert from 'node:assert/strict';
import { catalog } from '../../runner/src/modules/index.js';
import { renderParamDoc } from '../../runner/src/modules/lib/docs.js';
import { complete } from '../../server/src/analysis/complete.js';
import { hover } from '../../server/src/analysis/hover.js';
import type { Completion } from '../../server/src/analysis/types.js';
import { analyzeSite, editedSite } from '../helpers/site.js';

function completeAt(find: string, marked: string): Completion[] {
  const { a, text, offset } = editedSite(find, marked);
  return complete(a, text, offset, catalog);
}

const labels = (items: Completion[]) => items.map((c) => c.label);
const sorted = (items: Completion[]) => [...items].sort((x, y) => (x.sort ?? x.label).localeCompare(y.sort ?? y.label));

describe('completion', () => {
  it('top-level keys not yet present', () => {
    const a = analyzeSite();
    const text = 'name: x\n\nplays: []\n';
    const items = complete(a, text, text.indexOf('\n') + 1, catalog);
    assert.deepEqual(labels(items).sort(), ['inventory', 'secrets', 'vars']);
    assert.equal(items.find((c) => c.label === 'vars')!.insert, 'vars:\n  ');
    assert.equal(items.find((c) => c.label === 'inventory')!.insert, 'inventory: ');
  });

  it('play keys, task keys and handler keys', () => {
    const play = completeAt('    serial: 1\n', '    serial: 1\n    ^\n');
    assert.deepEqual(labels(play), ['tags']);
    const play2 = completeAt('    become: true\n    tasks:\n      - name: Install', '    ^\n    tasks:\n      - name: Install');
    assert.deepEqual(labels(play2).sort(), ['become', 'serial', 'tags', 'vars']);
    const task = completeAt('        notify: reload exports', '        notify: reload exports\n        ta^');
    assert.ok(labels(task).includes('tags') && labels(task).includes('when') && !labels(task).includes('notify'));
    assert.ok(!labels(task).includes('command'), 'a task with a module gets no second module');
    const handler = completeAt("        command: { cmd: exportfs -ra }", "        command: { cmd: exportfs -ra }\n        ^");
    assert.deepEqual(labels(handler).sort(), ['become', 'ignore_errors', 'when']);
  });

  it('module names with their summary, on a line being typed', () => {
    const items = completeAt('        package: { name: nfs-kernel-server }\n', '        nfs_^\n');
    const nfs = items.find((c) => c.label === 'nfs_export')!;
    assert.equal(nfs.kind, 'module');
    assert.equal(nfs.detail, catalog.get('nfs_export')!.summary);
    assert.equal(nfs.insert, 'nfs_export:\n          path: ${1:path}');
    assert.equal(nfs.snippet, true);
    assert.deepEqual(labels(items).filter((l) => catalog.has(l)).sort(), [...catalog.keys()].sort());
  });

  it("a module's parameters: required first, with type and default", () => {
    const mount = sorted(completeAt('          src: "{{ nfs_server }}:{{ export_dir }}"\n', '          ^\n'));
    assert.deepEqual(mount.slice(0, 1).map((c) => c.label), ['src']);
    const fstype = mount.find((c) => c.label === 'fstype')!;
    assert.equal(fstype.detail, 'string, default nfs');
    assert.equal(fstype.documentation, renderParamDoc('fstype', catalog.get('mount')!.params.fstype));
    const state = mount.find((c) => c.label === 'state')!;
    assert.equal(state.detail, 'string, default mounted');
    assert.ok(!labels(mount).includes('path'), 'parameters already given are not offered');
  });

  it('required parameters come before the others', () => {
    const items = sorted(completeAt('        template:\n          src: templates/broker.env.tpl\n          dest: /etc/default/activemq\n', '        template:\n          ^\n'));
    assert.deepEqual(items.slice(0, 2).map((c) => c.label), ['dest', 'src']);
    assert.match(items[0].detail!, /required/);
  });

  it('parameters inside a flow mapping', () => {
    const items = completeAt('{ name: nfs-kernel-server }', '{ name: nfs-kernel-server, ^ }');
    assert.deepEqual(labels(items).sort(), ['manager', 'state', 'update_cache']);
    assert.equal(items.find((c) => c.label === 'state')!.insert, 'state: ');
  });

  it('allowed values and booleans', () => {
    assert.deepEqual(labels(completeAt('format: exports', 'format: ex^ports')), ['exports', 'ganesha']);
    assert.deepEqual(labels(completeAt('state: restarted', 'state: ^restarted')), ['started', 'stopped', 'restarted', 'reloaded']);
    assert.deepEqual(labels(completeAt('    serial: 1\n', '    serial: 1\n    become: ^\n')), ['true', 'false']);
    const replace = completeAt('format: exports', 'format: ex^ports')[0].replace;
    const { text } = editedSite('format: exports', 'format: ex^ports');
    assert.equal(text.slice(replace.start, replace.end), 'exports');
  });

  it('host and group names in hosts:', () => {
    const items = completeAt('hosts: nfs', 'hosts: n^fs');
    assert.deepEqual(labels(items), ['nfs1', 'broker1', 'broker2', 'lb1', 'nfs', 'brokers', 'lb', 'all']);
    assert.equal(items[0].detail, '192.168.10.191');
    const listed = completeAt('hosts: brokers', 'hosts: [nfs1, ^]');
    assert.ok(labels(listed).includes('broker2'));
    const negated = completeAt('hosts: brokers', 'hosts: [brokers, !bro^ker1]');
    const { text } = editedSite('hosts: brokers', 'hosts: [brokers, !bro^ker1]');
    const b1 = negated.find((c) => c.label === 'broker1')!;
    assert.equal(text.slice(b1.replace.start, b1.replace.end), 'broker1', 'the ! stays');
  });

  it('handler names in notify:', () => {
    assert.deepEqual(labels(completeAt('notify: reload exports', 'notify: re^')), ['reload exports']);
    assert.deepEqual(labels(completeAt('notify: [restart activemq]', 'notify: [^]')), ['restart activemq']);
  });

  it('variables inside {{ }}: the play hosts see playbook, group, host and play variables', () => {
    const items = completeAt('"{{ store }}"', '"{{ ^ }}"');
    const names = labels(items);
    for (const n of ['export_dir', 'store', 'broker_name', 'peer', 'openwire_port', 'admin_password', 'host', 'hosts', 'groups']) assert.ok(names.includes(n), n);
    assert.equal(items.find((c) => c.label === 'export_dir')!.detail, '/data/activemq-data');
    assert.equal(items.find((c) => c.label === 'admin_password')!.detail, '(secret)');
  });

  it('paths below host., hosts., hosts.NAME., groups. and filters', () => {
    assert.deepEqual(labels(completeAt('"{{ store }}"', '"{{ hosts.^ }}"')), ['nfs1', 'broker1', 'broker2', 'lb1']);
    assert.deepEqual(labels(completeAt('"{{ store }}"', '"{{ host.^ }}"')), ['name', 'address', 'port', 'user', 'groups', 'vars']);
    assert.deepEqual(labels(completeAt('"{{ store }}"', '"{{ hosts.broker1.a^ }}"')), ['name', 'address', 'port', 'user', 'groups', 'vars']);
    assert.ok(labels(completeAt('"{{ store }}"', '"{{ hosts.broker1.vars.^ }}"')).includes('broker_name'));
    assert.deepEqual(labels(completeAt('"{{ store }}"', '"{{ groups.^ }}"')), ['nfs', 'brokers', 'lb', 'all']);
    assert.deepEqual(labels(completeAt('"{{ store }}"', '"{{ store | ^ }}"')), ['default', 'join', 'upper', 'lower', 'not', 'without', 'if']);
    const peer = completeAt('"{{ store }}"', '"{{ hosts[peer].^ }}"');
    assert.ok(labels(peer).includes('address'));
  });

  it('whole-task snippets at a new task item', () => {
    const items = completeAt('    tasks:\n      - name: Install the NFS server', '    tasks:\n      - ^\n      - name: Install the NFS server');
    const snippet = items.find((c) => c.label === 'template task')!;
    assert.equal(snippet.kind, 'snippet');
    const summary = catalog.get('template')!.summary.replace(/[$}\\]/g, (c) => `\\${c}`);
    assert.equal(snippet.insert, `name: \${1:${summary}}\n        template:\n          src: \${2:src}\n          dest: \${3:dest}`);
    assert.ok(labels(items).includes('name'));
  });

  it('keys in a vars mapping: variables defined elsewhere, to override', () => {
    const items = completeAt('      store: "{{ shared_dir }}/kahadb"\n', '      store: "{{ shared_dir }}/kahadb"\n      ^\n');
    assert.ok(labels(items).includes('export_dir') && labels(items).includes('broker_name'));
    assert.ok(!labels(items).includes('store'));
  });

  it('completes on the analysis of the text before the edit, and with no analysis of the edit', () => {
    const a = analyzeSite();
    const broken = `${a.doc.text}\n  - name: [unclosed\n    hosts: ^`;
    const offset = broken.indexOf('^');
    const items = complete(a, broken.replace('^', ''), offset, catalog);
    assert.ok(labels(items).includes('brokers'));
  });
});

describe('a module added to the catalog reaches the editor from its one definition', () => {
  it('activemq_destinations: completed as a module, its parameters completed and hovered', () => {
    const items = completeAt('        package: { name: nfs-kernel-server }\n', '        activemq_d^\n');
    const mod = items.find((c) => c.label === 'activemq_destinations')!;
    assert.ok(mod, 'offered as a module');
    assert.equal(mod.detail, catalog.get('activemq_destinations')!.summary);
    const params = completeAt('        package: { name: nfs-kernel-server }\n', '        activemq_destinations:\n          conf: /x.xml\n          ^\n');
    assert.deepEqual(labels(params).sort(), ['backup', 'queues', 'topics']);
    const { a, text, offset } = editedSite('        package: { name: nfs-kernel-server }\n', '        activemq_destinations: { conf: /x.xml, que^ues: [orders] }\n');
    const h = hover(a, text, offset, catalog)!;
    assert.equal(h.markdown, renderParamDoc('queues', catalog.get('activemq_destinations')!.params.queues));
  });
});

describe('inside a for_each item: the item keys, and the list item fields inside item', () => {
  const base = '          transports: [openwire, stomp]\n';
  it('a new list item offers for_each; a for_each item offers as and item; inside item, the list item fields', () => {
    const fresh = completeAt(base, '          transports: [openwire, stomp]\n          network_connectors:\n            - ^\n');
    assert.ok(labels(fresh).includes('for_each') && labels(fresh).includes('uri'), labels(fresh).join(', '));
    const each = completeAt(base, '          transports: [openwire, stomp]\n          network_connectors:\n            - for_each: "{{ groups.brokers }}"\n              ^\n');
    assert.deepEqual(labels(each).sort(), ['as', 'item']);
    const inside = completeAt(base, '          transports: [openwire, stomp]\n          network_connectors:\n            - for_each: "{{ groups.brokers }}"\n              as: peer\n              item:\n                name: x\n                ^\n');
    assert.deepEqual(labels(inside).sort(), ['duplex', 'password', 'uri', 'user_name']);
  });

  it('hover on for_each and on a field inside item', () => {
    const text = '          transports: [openwire, stomp]\n          network_connectors:\n            - for_^each: "{{ groups.brokers }}"\n              item: { name: x, uri: "static:(tcp://a:1)" }\n';
    const { a, text: t, offset } = editedSite(base, text);
    assert.match(hover(a, t, offset, catalog)!.markdown, /the list to make items from/);
    const inner = editedSite(base, '          transports: [openwire, stomp]\n          network_connectors:\n            - for_each: "{{ groups.brokers }}"\n              item: { name: x, du^plex: true, uri: "static:(tcp://a:1)" }\n');
    assert.match(hover(inner.a, inner.text, inner.offset, catalog)!.markdown, /messages flow both ways/);
  });
});
