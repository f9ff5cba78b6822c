import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze } from '../../runner/src/runbook/analyze.js';
import { readText } from '../../runner/src/cli/load.js';
import { fixture } from '../helpers/paths.js';
import { catalog } from '../../runner/src/modules/index.js';
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
  const fixes = quickFixes(a.doc, own, catalog);
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
    assert.match(got.text, /          path: "\{\{ shared_dir \}\}"\n          src:  # what to mount: server:\/export for NFS, a directory for a bind mount\n/);
    // The removed line was the only one reading nfs_server.
    assert.deepEqual(got.diagnostics, ["unused-variable: variable 'nfs_server' is never used", "missing-required: module 'mount' is missing 'src'"], 'a string is the user\'s to write: what it is stands as a comment until then');
  });

  it('adds them to a flow mapping, and under a module with no parameters yet', () => {
    const flow = fixed("service: { name: activemq, state: restarted }", 'service: { state: restarted }', 'missing-required');
    assert.match(flow.text, /service: \{ state: restarted, name: \}/);
    const empty = fixed('        template:\n          src: templates/broker.env.tpl\n          dest: /etc/default/activemq\n          mode: "0644"\n', '        template:\n', 'missing-required');
    assert.equal(empty.title, "Add the missing 'src', 'dest'");
    assert.match(empty.text, /        template:\n          src:  # [^\n]+\n          dest:  # [^\n]+\n        notify: restart activemq/);
  });

  it('adds a missing task name', () => {
    const got = fixed('      - name: Install the NFS server\n        package: { name: nfs-kernel-server }', '      - package: { name: nfs-kernel-server }', 'missing-required');
    assert.match(got.text, /      - package: \{ name: nfs-kernel-server \}\n        name:  # the name of the task, unique in its play\n/);
  });

  /** A case of the invalid corpus, its quick fix for `code`, and the diagnostics after it. */
  function fixedCase(name: string, code: string) {
    const path = fixture('invalid', name);
    const text = readFileSync(path, 'utf8');
    const env = { path, readFile: readText };
    const a = analyze(text, env);
    const fix = quickFixes(a.doc, a.diagnostics.filter((d) => d.file === undefined), catalog).find((f) => f.fixes.code === code);
    assert.ok(fix, `a fix for ${code} in ${name}`);
    const after = apply(text, fix.edits);
    return { title: fix.title, text: after, diagnostics: analyze(after, env).diagnostics.map((d) => `${d.code}: ${d.message}`) };
  }

  it('a mode written as a number: quoted', () => {
    const got = fixedCase('20-mode-number.yaml', 'mode-not-octal');
    assert.equal(got.title, 'Quote the mode: "0775"');
    assert.match(got.text, /directory: \{ path: \/data, mode: "0775" \}/);
    assert.deepEqual(got.diagnostics, []);
  });

  it('a password written in the runbook: moved to a new secrets: section, read from the environment', () => {
    const got = fixedCase('33-password-literal.yaml', 'secret-required');
    assert.equal(got.title, "Move it to secrets: as 'admin_password', read from the environment variable AMQ_ADMIN_PASSWORD");
    assert.match(got.text, /\nsecrets:\n  admin_password: \{ env: AMQ_ADMIN_PASSWORD \}\nplays:\n/);
    assert.match(got.text, /- \{ name: admin, password: "\{\{ admin_password \}\}", groups: \[admins\] \}/);
    assert.doesNotMatch(got.text, /admin123/);
    assert.deepEqual(got.diagnostics, []);
  });

  it('an SSH password of an inline inventory: named after its host, added to the secrets there are', () => {
    const got = fixedCase('58-ssh-password-literal.yaml', 'secret-required');
    assert.match(got.text, /broker1: \{ address: 192\.168\.10\.192, password: "\{\{ broker1_password \}\}" \}/);
    assert.match(got.text, /secrets:\n  broker1_password: \{ env: AMQ_BROKER1_PASSWORD \}\n/);
    assert.deepEqual(got.diagnostics, []);
    const existing = fixed('users: "{{ users }}" }', 'users: [{ name: admin, password: s3cret }] }', 'secret-required');
    assert.match(existing.text, /secrets:\n  admin_password: \{ env: AMQ_ADMIN_PASSWORD \}\n  admin_password_2: \{ env: AMQ_ADMIN_PASSWORD_2 \}\n/, 'a name not taken');
    // The edit wrote the users out where the variable was read.
    assert.deepEqual(existing.diagnostics, ["unused-variable: variable 'users' is never used"]);
  });

  it('an undefined variable: declared in vars:, made when there is none', () => {
    const got = fixed('path: "{{ export_dir }}"', 'path: "{{ export_root }}"', 'undefined-variable');
    assert.equal(got.title, "Declare 'export_root' in vars:");
    assert.match(got.text, /  users:\n    - \{ name: admin, password: "\{\{ admin_password \}\}", groups: \[admins\] \}\n  export_root: ""\n/);
    assert.deepEqual(got.diagnostics, ["wrong-type: path must be a path, not ''"], 'declared; its value is still to write');
    const none = fixedCase('23-undefined-variable-far.yaml', 'undefined-variable');
    assert.match(none.text, /\nvars:\n  [a-z_]+: ""\nplays:\n/);
    assert.deepEqual(none.diagnostics, []);
  });

  it('a missing port gets 0, which is still reported', () => {
    const got = fixed('        wait_for: { host: "{{ hosts[peer].address }}", port: "{{ openwire_port }}", timeout: 60 }', '        wait_for: { timeout: 60 }', 'missing-required');
    assert.match(got.text, /wait_for: \{ timeout: 60, port: 0 \}/);
    assert.deepEqual(got.diagnostics, ['port-range: port 0 is outside 1-65535']);
  });
});
