import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startProject, type StartProject } from '../../runner/src/init/project.js';
import { analyze, taskKey, type Analysis } from '../../runner/src/runbook/analyze.js';
import { readText } from '../../runner/src/cli/load.js';
import { playbook } from '../helpers/paths.js';

const shipped = (name: string) => readText(playbook(name));
const DIR = '/project';

/** The project's playbook analysed as `amq-run validate` would, reading only the project's files. */
function analyse(project: StartProject): Analysis {
  const files = new Map(project.files.map((f) => [join(DIR, f.path), f.content]));
  return analyze(files.get(join(DIR, project.playbook))!, { path: join(DIR, project.playbook), readFile: (p) => files.get(p) ?? null });
}

/** A task's parameters as resolved for one host. */
function params(a: Analysis, module: string, host: string, handler = false): Record<string, unknown> {
  for (const { play } of a.plays) {
    const task = (handler ? play.handlers : play.tasks).find((t) => t.module === module);
    if (task) return a.params.get(taskKey(play, task, host)) as Record<string, unknown>;
  }
  throw new Error(`no ${module} task`);
}

describe('the project amq-run init writes', () => {
  for (const network of [false, true]) {
    const name = network ? 'network.yaml' : 'ha.yaml';
    for (const brokers of [2, 3, 7, 63]) {
      it(`${name} for ${brokers} brokers, with its inventory, validates with 0 diagnostics`, () => {
        const project = startProject({ network, brokers }, shipped);
        assert.equal(project.playbook, name);
        const a = analyse(project);
        assert.deepEqual(a.diagnostics, []);
        assert.equal(a.inventoryPath, join(DIR, 'inventory.yaml'));
        const inventory = parse(project.files.find((f) => f.path === 'inventory.yaml')!.content) as { hosts: Record<string, { address: string }>; groups: Record<string, { hosts: string[] }> };
        const names = Array.from({ length: brokers }, (_, i) => `broker${i + 1}`);
        assert.deepEqual(inventory.groups.brokers.hosts, names);
        assert.deepEqual(names.map((b) => inventory.hosts[b].address), names.map((_, i) => `192.168.10.${192 + i}`));
      });
    }
  }

  it('for two brokers, the playbook is the shipped one but for its inventory line', () => {
    for (const network of [false, true]) {
      const project = startProject({ network, brokers: 2 }, shipped);
      const original = readFileSync(playbook(project.playbook), 'utf8');
      assert.equal(project.files.find((f) => f.path === project.playbook)!.content, original.replace('inventory: inventory.example.yaml', 'inventory: inventory.yaml'));
    }
  });

  it('ha.yaml has the classic hosts, and each extra broker as a backup server of every backend and in both master checks', () => {
    const two = startProject({ network: false, brokers: 2 }, shipped);
    const hosts = (parse(two.files[0].content) as { hosts: Record<string, { address: string }> }).hosts;
    assert.deepEqual(Object.entries(hosts).map(([n, h]) => `${n} ${h.address}`), ['nfs1 192.168.10.191', 'broker1 192.168.10.192', 'broker2 192.168.10.193', 'lb1 192.168.10.100']);

    const a = analyse(startProject({ network: false, brokers: 3 }, shipped));
    const { backends } = params(a, 'haproxy', 'lb1') as { backends: { name: string; servers: { name: string; address: string; backup?: boolean }[] }[] };
    for (const b of backends) {
      assert.deepEqual(b.servers.map((s) => s.name), ['broker1', 'broker2', 'broker3'], b.name);
      assert.deepEqual(b.servers.map((s) => Boolean(s.backup)), [false, true, true], b.name);
    }
    assert.equal(backends[0].servers[2].address, '192.168.10.194:61616');
    const probe = ['192.168.10.192:61616', '192.168.10.193:61616', '192.168.10.194:61616'];
    assert.deepEqual(params(a, 'activemq_ha_check', 'lb1').brokers, probe);
    assert.deepEqual(params(a, 'activemq_ha_check', 'broker3', true).brokers, probe);
    assert.equal(params(a, 'activemq_broker', 'broker3').broker_name, 'broker3');
  });

  it('network.yaml connects each of 3 brokers to the two others', () => {
    const a = analyse(startProject({ network: true, brokers: 3 }, shipped));
    const uris = (host: string) => (params(a, 'activemq_broker', host).network_connectors as { uri: string }[]).map((c) => c.uri);
    assert.deepEqual(uris('broker1'), ['static:(tcp://192.168.10.193:61616)', 'static:(tcp://192.168.10.194:61616)']);
    assert.deepEqual(uris('broker2'), ['static:(tcp://192.168.10.192:61616)', 'static:(tcp://192.168.10.194:61616)']);
    assert.deepEqual(uris('broker3'), ['static:(tcp://192.168.10.192:61616)', 'static:(tcp://192.168.10.193:61616)']);
  });

  it('points the editor at the inventory, and names the secret to export', () => {
    const project = startProject({ network: false, brokers: 2 }, shipped);
    assert.deepEqual(JSON.parse(project.files.find((f) => f.path === '.vscode/settings.json')!.content), { 'amqRunbook.inventory': 'inventory.yaml', 'amqRunbook.filePatterns': ['ha.yaml'] });
    assert.deepEqual(project.secrets, ['AMQ_ADMIN_PASSWORD']);
    assert.deepEqual(project.files.map((f) => f.path), ['inventory.yaml', 'ha.yaml', 'files/activemq-log4j.properties', '.vscode/settings.json']);
  });

  it('brings along a template the playbook renders, and fails loudly when it is not shipped', () => {
    const withTemplate = (name: string) =>
      name === 'ha.yaml' ? `${shipped('ha.yaml')}      - name: Rendered\n        template: { src: templates/env.sh, dest: /etc/env.sh }\n` : name === 'templates/env.sh' ? 'X={{ root }}\n' : shipped(name);
    const project = startProject({ network: false, brokers: 2 }, withTemplate);
    assert.deepEqual(project.files.find((f) => f.path === 'templates/env.sh')?.content, 'X={{ root }}\n');
    assert.throws(() => startProject({ network: false, brokers: 2 }, (n) => (n === 'templates/env.sh' ? null : withTemplate(n))), /the file templates\/env\.sh that ha\.yaml reads is missing/);
  });
});
