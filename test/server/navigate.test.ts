import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { catalog } from '../../runner/src/modules/index.js';
import { analyze } from '../../runner/src/runbook/analyze.js';
import { definition } from '../../server/src/analysis/definition.js';
import { references } from '../../server/src/analysis/references.js';
import { symbols } from '../../server/src/analysis/symbols.js';
import type { DocSymbol, Target } from '../../server/src/analysis/types.js';
import { fixture } from '../helpers/paths.js';
import { editedSite, SITE, SITE_INVENTORY, analyzeSite } from '../helpers/site.js';

/** `file:line:col` (1-based) of a target and the text it covers. */
function show(t: Target, siteText: string): string {
  const text = t.file && t.file !== SITE ? readFileSync(t.file, 'utf8') : siteText;
  const before = text.slice(0, t.span.start).split('\n');
  const name = t.file === undefined ? 'site.yaml' : t.file.split('/').pop();
  return `${name}:${before.length}:${before[before.length - 1].length + 1} ${text.slice(t.span.start, t.span.end)}`;
}

function definitionAt(find: string, marked: string): string[] {
  const { a, text, offset } = editedSite(find, marked);
  return definition(a, text, offset, catalog, SITE).map((t) => show(t, text));
}

function referencesAt(find: string, marked: string, withDeclaration = true): string[] {
  const { a, text, offset } = editedSite(find, marked);
  return references(a, text, offset, catalog, withDeclaration).map((t) => show(t, text));
}

const outline = (list: DocSymbol[], depth = 0): string[] => list.flatMap((s) => [`${'  '.repeat(depth)}${s.kind} ${s.name}`, ...outline(s.children, depth + 1)]);

describe('document symbols', () => {
  it('plays with their tasks and handlers, and the vars and secrets', () => {
    assert.deepEqual(outline(symbols(analyzeSite())), [
      'vars vars',
      '  variable export_dir',
      '  variable shared_dir',
      '  variable conf_dir',
      '  variable nfs_server',
      '  variable users',
      'secrets secrets',
      '  secret admin_password',
      'play Prepare the NFS server',
      '  task Install the NFS server',
      '  task Export the data directory',
      '  handler reload exports',
      'play Configure the brokers',
      '  task Mount the shared store',
      '  task Broker environment',
      '  task Configure the broker',
      '  task Broker users',
      '  task Wait for the peer',
      '  handler restart activemq',
    ]);
  });

  it("an inventory's hosts and groups", () => {
    const text = readFileSync(SITE_INVENTORY, 'utf8');
    const got = outline(symbols(analyze(text, { path: SITE_INVENTORY })));
    assert.deepEqual(got, ['hosts hosts', '  host nfs1', '  host broker1', '    variable broker_name', '    variable peer', '  host broker2', '    variable broker_name', '    variable peer', '  host lb1', 'groups groups', '  group nfs', '  group brokers', '    variable openwire_port', '  group lb']);
  });

  it('every symbol range holds its selection range', () => {
    const check = (s: DocSymbol) => {
      assert.ok(s.span.start <= s.selection.start && s.selection.end <= s.span.end, s.name);
      s.children.forEach(check);
    };
    symbols(analyzeSite()).forEach(check);
  });
});

describe('go to definition', () => {
  it('a variable: its definition for each host of the play', () => {
    assert.deepEqual(definitionAt('path: "{{ export_dir }}"', 'path: "{{ export^_dir }}"'), ['site.yaml:5:3 export_dir']);
    assert.deepEqual(definitionAt('broker_name: "{{ broker_name }}"', 'broker_name: "{{ broker_^name }}"'), ['inventory.yaml:4:47 broker_name', 'inventory.yaml:5:47 broker_name']);
    assert.deepEqual(definitionAt('kahadb_directory: "{{ store }}"', 'kahadb_directory: "{{ st^ore }}"'), ['site.yaml:36:7 store']);
    assert.deepEqual(definitionAt('password: "{{ admin_password }}"', 'password: "{{ admin^_password }}"'), ['site.yaml:13:3 admin_password']);
  });

  it('a handler name in notify: the handler', () => {
    assert.deepEqual(definitionAt('notify: reload exports', 'notify: rel^oad exports'), ['site.yaml:28:15 reload exports']);
    assert.deepEqual(definitionAt('notify: [restart activemq]', 'notify: [restart ^activemq]'), ['site.yaml:62:15 restart activemq']);
  });

  it('a host or a group: its inventory entry', () => {
    assert.deepEqual(definitionAt('hosts: brokers', 'hosts: bro^kers'), ['inventory.yaml:9:3 brokers']);
    assert.deepEqual(definitionAt('{{ hosts.nfs1.address }}', '{{ hosts.n^fs1.address }}'), ['inventory.yaml:3:3 nfs1']);
    assert.deepEqual(definitionAt('{{ hosts[peer].address }}', '{{ hosts[pe^er].address }}'), ['inventory.yaml:4:69 peer', 'inventory.yaml:5:69 peer']);
  });

  it('a template src: the file; the inventory: its file', () => {
    assert.deepEqual(definitionAt('src: templates/broker.env.tpl', 'src: templates/bro^ker.env.tpl'), [`broker.env.tpl:1:1 ${''}`]);
    const { a, text, offset } = editedSite('src: templates/broker.env.tpl', 'src: templates/bro^ker.env.tpl');
    assert.equal(definition(a, text, offset, catalog, SITE)[0].file, fixture('lsp', 'templates', 'broker.env.tpl'));
    const inv = editedSite('inventory: inventory.yaml', 'inventory: inven^tory.yaml');
    assert.equal(definition(inv.a, inv.text, inv.offset, catalog, SITE)[0].file, SITE_INVENTORY);
  });
});

describe('references', () => {
  it('a handler: the handler and every notify naming it', () => {
    assert.deepEqual(referencesAt('notify: [restart activemq]', 'notify: [restart ^activemq]'), [
      'site.yaml:62:15 restart activemq',
      'site.yaml:47:17 restart activemq',
      'site.yaml:55:17 restart activemq',
      'site.yaml:58:18 restart activemq',
    ]);
    assert.equal(referencesAt('notify: [restart activemq]', 'notify: [restart ^activemq]', false).length, 3);
  });

  it('a variable: its definitions, then every use in the playbook and the inventory', () => {
    assert.deepEqual(referencesAt('path: "{{ export_dir }}"', 'path: "{{ export^_dir }}"'), [
      'site.yaml:5:3 export_dir',
      'site.yaml:24:21 export_dir',
      'site.yaml:41:37 export_dir',
    ]);
    assert.deepEqual(referencesAt('  shared_dir: /shared', '  shared^_dir: /shared', false), [
      'site.yaml:36:18 shared_dir',
      'site.yaml:40:21 shared_dir',
      'site.yaml:52:31 shared_dir',
    ]);
    assert.deepEqual(referencesAt('"{{ hosts[peer].address }}"', '"{{ hosts[pe^er].address }}"'), [
      'inventory.yaml:4:69 peer',
      'inventory.yaml:5:69 peer',
      'site.yaml:60:37 peer',
    ]);
  });
});
