import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { catalog } from '../../runner/src/modules/index.js';
import { analyze } from '../../runner/src/runbook/analyze.js';
import { highlights, reachesInventory, refuseName, renameEdits, symbolAt } from '../../server/src/analysis/rename.js';
import type { TextEdit } from '../../server/src/analysis/types.js';
import { caret } from '../helpers/caret.js';
import { SITE, SITE_INVENTORY, siteText } from '../helpers/site.js';

const inventoryText = readFileSync(SITE_INVENTORY, 'utf8');

function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((x, y) => y.span.start - x.span.start)) out = out.slice(0, e.span.start) + e.text + out.slice(e.span.end);
  return out;
}

/** The site fixture (and its inventory, as `files`) analysed. */
function analyzeWith(site: string, inventory = inventoryText) {
  return analyze(site, { path: SITE, readFile: (p) => (p === SITE_INVENTORY ? inventory : null) });
}

/** Renames what is at `^` in `marked` (a piece of the fixture) and returns both files after the edits. */
function rename(find: string, marked: string, to: string) {
  const { text, offset } = caret(siteText().replace(find, marked));
  assert.equal(text, siteText(), `the fixture has '${find}'`);
  const a = analyzeWith(text);
  const at = symbolAt(a, text, offset, catalog);
  assert.ok(at && !('refused' in at), JSON.stringify(at));
  assert.equal(refuseName(a, at.sym, to), undefined);
  const edits = renameEdits(a, at.sym, to);
  const site = applyEdits(text, edits.filter((e) => e.file === undefined));
  const inventory = applyEdits(inventoryText, edits.filter((e) => e.file === SITE_INVENTORY));
  return { sym: at.sym, site, inventory, edits, diagnostics: analyzeWith(site, inventory).diagnostics.map((d) => `${d.code}: ${d.message}`), reaches: reachesInventory(a, at.sym) };
}

const refusal = (find: string, marked: string) => {
  const { text, offset } = caret(siteText().replace(find, marked));
  const at = symbolAt(analyzeWith(text), text, offset, catalog);
  return at && 'refused' in at ? at.refused : undefined;
};

describe('rename (pure)', () => {
  it('a variable defined in the inventory: its definitions there and every use in the runbook; the runbook still validates', () => {
    const got = rename('"{{ broker_name }}"', '"{{ broker^_name }}"', 'node_name');
    assert.deepEqual(got.sym, { kind: 'variable', name: 'broker_name' });
    assert.ok(got.reaches);
    assert.match(got.site, /broker_name: "\{\{ node_name \}\}"/);
    assert.match(got.inventory, /vars: \{ node_name: broker1, peer: broker2 \}/);
    assert.match(got.inventory, /vars: \{ node_name: broker2, peer: broker1 \}/);
    assert.deepEqual(got.diagnostics, []);
  });

  it('a playbook variable from its key: its uses, in this runbook only', () => {
    const got = rename('  shared_dir: /shared', '  shared^_dir: /shared', 'store_dir');
    assert.equal(got.reaches, false, 'the inventory neither defines nor reads it');
    assert.equal((got.site.match(/store_dir/g) ?? []).length, 4);
    assert.doesNotMatch(got.site, /shared_dir/);
    assert.deepEqual(got.diagnostics, []);
  });

  it('a host: its key, the groups listing it, the expressions naming it', () => {
    const got = rename('{{ hosts.nfs1.address }}', '{{ hosts.nf^s1.address }}', 'storage1');
    assert.deepEqual(got.sym, { kind: 'host', name: 'nfs1' });
    assert.match(got.inventory, /^ {2}storage1: +\{ address: 192\.168\.10\.191 \}/m);
    assert.match(got.inventory, /nfs: +\{ hosts: \[storage1\] \}/);
    assert.match(got.site, /\{\{ hosts\.storage1\.address \}\}/);
    assert.deepEqual(got.diagnostics, []);
  });

  it('a group: its key, the plays naming it', () => {
    const got = rename('    hosts: brokers', '    hosts: bro^kers', 'amq');
    assert.deepEqual(got.sym, { kind: 'group', name: 'brokers' });
    assert.match(got.inventory, /^ {2}amq: \{ hosts: \[broker1, broker2\]/m);
    assert.match(got.site, /^ {4}hosts: amq$/m);
    assert.deepEqual(got.diagnostics, []);
  });

  it('a handler: its name and every notify, quoted when the new name needs it', () => {
    const got = rename('notify: [restart activemq]', 'notify: [restart ^activemq]', 'restart: the broker');
    assert.deepEqual(got.sym, { kind: 'handler', name: 'restart activemq', play: 1 });
    assert.equal((got.site.match(/"restart: the broker"/g) ?? []).length, 4, 'the handler and three notify');
    assert.deepEqual(got.diagnostics, []);
  });

  it('a secret and a task', () => {
    const secret = rename('  admin_password: { env', '  admin_pass^word: { env', 'console_password');
    assert.deepEqual(secret.sym, { kind: 'secret', name: 'admin_password' });
    assert.match(secret.site, /password: "\{\{ console_password \}\}"/);
    assert.deepEqual(secret.diagnostics, []);
    const task = rename('- name: Broker users', '- name: Broker ^users', 'Users of the broker');
    assert.deepEqual(task.edits.map((e) => e.text), ['Users of the broker']);
  });

  it('refuses built-in names, modules, the group all, and names already taken, with a reason', () => {
    assert.match(refusal('{{ hosts[peer].address }}', '{{ ho^sts[peer].address }}')!, /^'hosts' is built in/);
    assert.match(refusal('{{ hosts[peer].address }}', '{{ hosts[peer].addr^ess }}')!, /^'address' is what every host has/);
    assert.match(refusal('        nfs_export:', '        nfs_ex^port:')!, /module of the catalog/);
    assert.match(refusal('"{{ users }}"', '"{{ users | jo^in }}"')!, /^'join' is a filter of the expression language/);
    const a = analyzeWith(siteText());
    assert.match(refuseName(a, { kind: 'variable', name: 'shared_dir' }, 'root')!, /^'root' is read by name: the cluster rules compare/);
    assert.match(refuseName(a, { kind: 'variable', name: 'shared_dir' }, 'export_dir')!, /already a variable/);
    assert.match(refuseName(a, { kind: 'variable', name: 'shared_dir' }, 'hosts')!, /built in/);
    assert.match(refuseName(a, { kind: 'variable', name: 'shared_dir' }, 'shared-dir')!, /not a valid variable name/);
    assert.match(refuseName(a, { kind: 'host', name: 'nfs1' }, 'brokers')!, /already a group/);
    assert.match(refuseName(a, { kind: 'group', name: 'nfs' }, 'all')!, /group of every host/);
    assert.match(refuseName(a, { kind: 'handler', name: 'restart activemq', play: 1 }, '')!, /needs a name/);
    assert.match(refuseName(a, { kind: 'task', name: 'Broker users', play: 1 }, 'Wait for the peer')!, /unique in a play/);
  });

  it('document highlight: definitions written, uses read, in this document only', () => {
    const { text, offset } = caret(siteText().replace('{{ conf_dir }}/activemq.xml', '{{ conf^_dir }}/activemq.xml'));
    const got = highlights(analyzeWith(text), text, offset, catalog).map((h) => `${text.slice(0, h.span.start).split('\n').length}:${h.write ? 'write' : 'read'}`);
    assert.deepEqual(got, ['7:write', '50:read', '57:read']);
  });
});
