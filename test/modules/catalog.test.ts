import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { modules } from '../../runner/src/modules/index.js';
import { typesOf, type ParamSpec } from '../../runner/src/modules/lib/params.js';
import { analyze } from '../../runner/src/runbook/analyze.js';

function eachSpec(name: string, spec: ParamSpec, visit: (path: string, s: ParamSpec) => void): void {
  visit(name, spec);
  if (spec.items) eachSpec(`${name}[]`, spec.items, visit);
  for (const [k, f] of Object.entries(spec.fields ?? {})) eachSpec(`${name}.${k}`, f, visit);
}

describe('module catalog', () => {
  it('declares every module of the format once, and the additions', () => {
    const names = modules.map((m) => m.name);
    const format = ['activemq_broker', 'activemq_console', 'activemq_ha_check', 'activemq_users', 'command', 'directory', 'file', 'haproxy', 'line', 'mount', 'nfs_export', 'package', 'service', 'template', 'wait_for'];
    const additions = ['activemq_destinations', 'activemq_env', 'activemq_keystore', 'activemq_policies', 'group', 'link', 'systemd_unit', 'user'];
    assert.deepEqual([...names].sort(), [...format, ...additions].sort());
    assert.equal(new Set(names).size, names.length);
  });

  for (const m of modules) {
    describe(m.name, () => {
      it('has a one-line summary, docs, and a one-line description for every parameter', () => {
        assert.ok(m.summary.length > 10 && !m.summary.includes('\n'));
        assert.ok(m.docs.trim().length > 40);
        for (const [name, spec] of Object.entries(m.params as Record<string, ParamSpec>)) {
          eachSpec(name, spec, (path, s) => {
            assert.ok(s.description.length > 3, `${path} has a description`);
            assert.ok(!s.description.includes('\n'), `${path}: one line`);
            if (s.choices && s.default !== undefined && typeof s.default === 'string') assert.ok(s.choices.includes(s.default), `${path}: default is a choice`);
            if (s.required) assert.equal(s.default, undefined, `${path}: required and defaulted`);
            assert.ok(typesOf(s).length > 0);
          });
        }
        if (m.freeForm) assert.ok(m.freeForm in m.params);
      });

      it('its examples validate cleanly', () => {
        const tasks = parse(m.examples) as unknown[];
        assert.ok(Array.isArray(tasks) && tasks.length > 0, 'examples are a list of tasks');
        const body = m.examples.replace(/^/gm, '      ');
        const names = [...new Set([...m.examples.matchAll(/\{\{ (\w+_password) \}\}/g)].map((x) => x[1]))];
        const secrets = names.length ? `secrets: { ${names.map((n) => `${n}: { env: ${n.toUpperCase()} }`).join(', ')} }\n` : '';
        const text = `name: example\ninventory: { hosts: { h1: { connection: local } } }\n${secrets}plays:\n  - name: p\n    hosts: h1\n    tasks:\n${body}`;
        const a = analyze(text);
        assert.deepEqual(a.diagnostics.map((d) => `${d.code}: ${d.message}`), []);
        assert.equal(a.params.size, tasks.length, 'every example task resolves');
      });
    });
  }
});
