import assert from 'node:assert/strict';
import { analyze } from '../../runner/src/runbook/analyze.js';

const inventory = `
hosts:
  b1: { address: 10.0.0.1, vars: { level: host } }
  b2: { address: 10.0.0.2 }
groups:
  all: { vars: { level: all, only_all: yes-all } }
  brokers: { hosts: [b1, b2], children: [primary], vars: { level: group, only_group: g } }
  primary: { hosts: [b1], vars: { level: child-group } }
`;

function valueOn(playbook: string, host: string, extra?: Record<string, unknown>) {
  const files: Record<string, string> = { '/p/inv.yaml': inventory };
  const a = analyze(playbook, { path: '/p/pb.yaml', readFile: (p) => files[p] ?? null, ...(extra ? { extraVars: extra } : {}) });
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const play = a.plays[0];
  const key = [...a.params.keys()].find((k) => k.endsWith(`|${host}`))!;
  void play;
  return (a.params.get(key) as { cmd: string }).cmd;
}

const pb = (playVars = '') => `
name: precedence
inventory: inv.yaml
vars: { level: playbook, only_pb: p }
plays:
  - name: p
    hosts: brokers
    ${playVars}
    tasks:
      - name: t
        command: "{{ level }}"
`;

describe('variable precedence', () => {
  it('host vars beat group vars; a child group beats its parent; all is lowest of the groups', () => {
    assert.equal(valueOn(pb(), 'b1'), 'host');
    assert.equal(valueOn(pb(), 'b2'), 'group');
  });
  it('play vars beat host vars; -e beats everything', () => {
    assert.equal(valueOn(pb('vars: { level: play }'), 'b1'), 'play');
    assert.equal(valueOn(pb('vars: { level: play }'), 'b1', { level: 'extra' }), 'extra');
  });
  it('group all beats playbook vars', () => {
    const inv2 = pb().replace('{{ level }}', '{{ only_all }}-{{ only_pb }}-{{ only_group }}');
    assert.equal(valueOn(inv2, 'b2'), 'yes-all-p-g');
  });
  it('variables refer to each other lazily, per host', () => {
    const text = pb().replace('vars: { level: playbook, only_pb: p }', 'vars: { level: playbook, url: "tcp://{{ host.address }}:{{ port }}", port: 61616 }').replace('{{ level }}', '{{ url }}');
    assert.equal(valueOn(text, 'b1'), 'tcp://10.0.0.1:61616');
    assert.equal(valueOn(text, 'b2'), 'tcp://10.0.0.2:61616');
  });
  it('host, hosts and groups are built in', () => {
    const text = pb().replace('{{ level }}', "{{ host.name }} {{ groups.brokers | join(',') }} {{ hosts.b2.address }} {{ host.groups | join(',') }}");
    assert.equal(valueOn(text, 'b1'), 'b1 b1,b2 10.0.0.2 all,brokers,primary');
  });
});
