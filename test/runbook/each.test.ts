import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze, taskKey, type Analysis } from '../../runner/src/runbook/analyze.js';
import { playbook } from '../helpers/paths.js';

const THREE = `hosts:
  nfs1:    { address: 192.168.10.191 }
  broker1: { address: 192.168.10.192, vars: { broker_name: broker1 } }
  broker2: { address: 192.168.10.193, vars: { broker_name: broker2 } }
  broker3: { address: 192.168.10.194, vars: { broker_name: broker3 } }
  lb1:     { address: 192.168.10.100 }
groups:
  nfs:     { hosts: [nfs1] }
  brokers: { hosts: [broker1, broker2, broker3] }
  lb:      { hosts: [lb1] }
`;

function withInventory(name: string, inventory: string): Analysis {
  return analyze(readFileSync(playbook(name), 'utf8'), { path: playbook(name), readFile: (p) => (p.endsWith('inventory.example.yaml') ? inventory : readFileSync(p, 'utf8')), inventoryPath: playbook('inventory.example.yaml') });
}

function paramsOf(a: Analysis, module: string, host: string): Record<string, unknown> {
  const play = a.plays.find((p) => p.play.tasks.some((t) => t.module === module))!.play;
  const task = play.tasks.find((t) => t.module === module)!;
  return a.params.get(taskKey(play, task, host))!;
}

describe('for_each: a list written once for any number of hosts', () => {
  it('ha.yaml with three brokers: HAProxy gets three servers, the first primary, and the HA check three addresses', () => {
    const a = withInventory('ha.yaml', THREE);
    assert.deepEqual(a.diagnostics, []);
    const hp = paramsOf(a, 'haproxy', 'lb1') as { backends: { name: string; servers: { name: string; address: string; backup: boolean }[] }[] };
    for (const b of hp.backends) {
      assert.deepEqual(b.servers.map((s) => [s.name, s.backup]), [['broker1', false], ['broker2', true], ['broker3', true]], b.name);
    }
    assert.deepEqual(hp.backends[0].servers.map((s) => s.address), ['192.168.10.192:61616', '192.168.10.193:61616', '192.168.10.194:61616']);
    const check = paramsOf(a, 'activemq_ha_check', 'lb1') as { brokers: string[] };
    assert.deepEqual(check.brokers, ['192.168.10.192:61616', '192.168.10.193:61616', '192.168.10.194:61616']);
  });

  it('network.yaml with three brokers: each broker gets a connector to each of the others', () => {
    const a = withInventory('network.yaml', THREE);
    assert.deepEqual(a.diagnostics, []);
    const uris = (h: string) => (paramsOf(a, 'activemq_broker', h) as { network_connectors: { name: string; uri: string }[] }).network_connectors.map((c) => `${c.name} ${c.uri}`);
    assert.deepEqual(uris('broker1'), ['to-broker2 static:(tcp://192.168.10.193:61616)', 'to-broker3 static:(tcp://192.168.10.194:61616)']);
    assert.deepEqual(uris('broker3'), ['to-broker1 static:(tcp://192.168.10.192:61616)', 'to-broker2 static:(tcp://192.168.10.193:61616)']);
  });

  const task = (servers: string) => `name: t
inventory: inv.yaml
plays:
  - name: p
    hosts: lb1
    tasks:
      - name: x
        haproxy:
          frontends: [{ name: f, bind: "*:61616", default_backend: b }]
          backends:
            - name: b
              servers:
${servers.replace(/^/gm, '                ')}
`;
  const diagnose = (servers: string) => {
    const a = analyze(task(servers), { path: '/t/pb.yaml', readFile: (p) => (p === '/t/inv.yaml' ? THREE : null) });
    return a.diagnostics.map((d) => `${a.doc.lines.linePos(d.span.start).line}:${a.doc.lines.linePos(d.span.start).col} [${d.code}] ${d.message}`);
  };

  it('each made item is checked against the item spec, once, at the template', () => {
    assert.deepEqual(diagnose('- for_each: "{{ groups.brokers }}"\n  item: { name: "{{ each }}", adress: x }'), [
      "14:27 [missing-required] servers[for_each] is missing 'address'",
      "14:47 [unknown-param] unknown field 'adress' in servers[for_each]",
    ]);
  });

  it('for_each must give a list; its keys and its name are checked', () => {
    assert.deepEqual(diagnose('- for_each: "{{ groups.brokers[0] }}"\n  item: { name: a, address: "x:1" }'), ["13:29 [wrong-type] for_each must give a list, not 'broker1'"]);
    assert.deepEqual(diagnose('- for_each: "{{ groups.brokers }}"\n  items: { name: a, address: "x:1" }'), [
      "13:19 [missing-required] a for_each item is missing 'item'",
      "14:19 [unknown-key] unknown key 'items' in a for_each item",
    ]);
    assert.deepEqual(diagnose('- for_each: "{{ groups.brokers }}"\n  as: host\n  item: { name: a, address: "x:1" }'), ["14:23 [bad-variable-name] 'host' cannot name the element of a for_each"]);
  });

  it('plain items and made items mix; the element and loop are known only inside item', () => {
    const a = analyze(task('- { name: first, address: "10.0.0.5:61616" }\n- for_each: "{{ groups.brokers | without(\'broker2\') }}"\n  as: b\n  item: { name: "{{ b }}", address: "{{ hosts[b].address }}:6161{{ loop.index }}" }'), { path: '/t/pb.yaml', readFile: (p) => (p === '/t/inv.yaml' ? THREE : null) });
    assert.deepEqual(a.diagnostics, []);
    const hp = paramsOf(a, 'haproxy', 'lb1') as { backends: { servers: { name: string; address: string }[] }[] };
    assert.deepEqual(hp.backends[0].servers.map((s) => `${s.name} ${s.address}`), ['first 10.0.0.5:61616', 'broker1 192.168.10.192:61610', 'broker3 192.168.10.194:61611']);
    assert.deepEqual(diagnose('- for_each: "{{ groups.brokers }}"\n  as: b\n  item: { name: "{{ b }}", address: "x:1" }\n- { name: "{{ b }}", address: "y:2" }'), ["16:31 [undefined-variable] undefined variable 'b'"]);
  });
});
