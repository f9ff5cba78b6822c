import assert from 'node:assert/strict';
import { quickFixes } from '../../server/src/analysis/code-actions.js';
import type { TextEdit } from '../../server/src/analysis/types.js';
import { analyzeSite, siteText } from '../helpers/site.js';

function apply(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start)) out = out.slice(0, e.span.start) + e.text + out.slice(e.span.end);
  return out;
}

/** The fixture with one edit, its diagnostics' quick fixes, and the text after the fix for `code`. */
function fixed(find: string, replace: string, code: string): { title: string; text: string; diagnostics: string[] } {
  const text = siteText().replace(find, replace);
  assert.notEqual(text, siteText(), `the fixture has '${find}'`);
  const a = analyzeSite(text);
  const own = a.diagnostics.filter((d) => d.file === undefined);
  const fixes = quickFixes(a.doc, own);
  const fix = fixes.find((f) => f.fixes.code === code);
  assert.ok(fix, `a fix for ${code} among ${own.map((d) => `${d.code}: ${d.message}`).join('; ')}`);
  const after = apply(text, fix.edits);
  return { title: fix.title, text: after, diagnostics: analyzeSite(after).diagnostics.map((d) => `${d.code}: ${d.message}`) };
}

describe('quick fixes', () => {
  it('did-you-mean for a key, a module, a parameter', () => {
    const key = fixed('    serial: 1', '    serail: 1', 'unknown-key');
    assert.equal(key.title, "Change 'serail' to 'serial'");
    assert.equal(key.text, siteText());
    assert.equal(fixed('        nfs_export:', '        nfs_exprt:', 'unknown-module').text, siteText());
    assert.equal(fixed('          format: exports', '          fromat: exports', 'unknown-param').text, siteText());
  });

  it('did-you-mean for a value, a variable, a host and a handler', () => {
    assert.equal(fixed('          format: exports', '          format: exprts', 'bad-choice').text, siteText());
    const variable = fixed('path: "{{ export_dir }}"', 'path: "{{ export_dr }}"', 'undefined-variable');
    assert.equal(variable.title, "Change 'export_dr' to 'export_dir'");
    assert.equal(variable.text, siteText());
    assert.equal(fixed('    hosts: brokers', '    hosts: brokrs', 'undefined-host').text, siteText());
    assert.equal(fixed('        notify: reload exports', '        notify: reload exprts', 'undefined-handler').text, siteText());
  });

  it('adds the missing required parameters to a block mapping', () => {
    const got = fixed('          src: "{{ nfs_server }}:{{ export_dir }}"\n', '', 'missing-required');
    assert.equal(got.title, "Add the missing 'src'");
    assert.match(got.text, /          path: "\{\{ shared_dir \}\}"\n          src: \n/);
    // The removed line was the only one reading nfs_server.
    assert.deepEqual(got.diagnostics, ["unused-variable: variable 'nfs_server' is never used", "missing-required: module 'mount' is missing 'src'"], 'the value is the user\'s to write');
  });

  it('adds them to a flow mapping, and under a module with no parameters yet', () => {
    const flow = fixed("service: { name: activemq, state: restarted }", 'service: { state: restarted }', 'missing-required');
    assert.match(flow.text, /service: \{ state: restarted, name: \}/);
    const empty = fixed('        template:\n          src: templates/broker.env.tpl\n          dest: /etc/default/activemq\n          mode: "0644"\n', '        template:\n', 'missing-required');
    assert.equal(empty.title, "Add the missing 'src', 'dest'");
    assert.match(empty.text, /        template:\n          src: \n          dest: \n        notify: restart activemq/);
  });

  it('adds a missing task name', () => {
    const got = fixed('      - name: Install the NFS server\n        package: { name: nfs-kernel-server }', '      - package: { name: nfs-kernel-server }', 'missing-required');
    assert.match(got.text, /      - package: \{ name: nfs-kernel-server \}\n        name: \n/);
  });
});
